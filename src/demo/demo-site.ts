import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { addUser, sampleTeachers } from '../app/accounts-service.js';
import { runChecksForApp } from '../app/checks-service.js';
import { createAppContext, type AppContext, type ContextOptions } from '../app/context.js';
import { connectorForSchool } from '../connectors/registry.js';
import { syncSchool } from '../jobs/sync-school.js';
import { ensurePrivateDir } from '../platform/private-files.js';
import { startSandbox } from '../sandbox/index.js';
import { startSite } from '../web/site.js';
import { demoOverrides } from './demo-config.js';

export interface DemoSiteOptions {
  port: number;
  dataDir: string;
}

/**
 * `ezh serve --demo`: the sandbox school synced into a mirror of its own, checked, and served on
 * 127.0.0.1 with a local account for each role (printed with their passwords, new each start)
 * and «Войти через Дневник.ру» through the sandbox's login page. Runs until `stopped`.
 */
export async function serveDemo(
  global: Pick<ContextOptions, 'configFile' | 'logLevel'>,
  options: DemoSiteOptions,
  print: (line: string) => void,
  stopped: Promise<unknown>,
): Promise<void> {
  const sandbox = await startSandbox({ size: 'small', seed: '1' });
  let app: AppContext | undefined;
  try {
    const dataDir = resolve(options.dataDir);
    ensurePrivateDir(dataDir);
    for (const suffix of ['', '-wal', '-shm']) {
      rmSync(join(dataDir, `web-demo.sqlite${suffix}`), { force: true });
    }
    const base = demoOverrides(sandbox, dataDir);
    const publicUrl = `http://127.0.0.1:${options.port}`;
    app = createAppContext({
      ...global,
      clock: sandbox.clock,
      overrides: {
        ...base,
        database: { type: 'sqlite', path: join(dataDir, 'web-demo.sqlite') },
        platform: {
          ...(base.platform as Record<string, unknown>),
          oauth: { authorizeUrl: sandbox.oauthUrl, clientId: 'ezh-demo', clientSecret: 'demo' },
        },
        web: {
          host: '127.0.0.1',
          port: options.port,
          publicUrl,
          mode: 'embedded',
          // The demo's sessions live as long as the process: a key of its own.
          sessionSecret: randomBytes(32).toString('hex'),
          admins: ['admin'],
          ict: ['ict'],
          oauth: { enabled: true },
        },
      },
    });
    const mirror = await app.mirror();
    const school = app.config.schools[0]!;
    print(`Sandbox platform: ${sandbox.url}; syncing the demo school ${school.id}…`);
    const connector = connectorForSchool(app.config, school);
    try {
      await syncSchool(
        { db: mirror.db, connector, clock: sandbox.clock, logger: app.logger, config: app.config },
        { schoolId: school.id, full: true },
      );
    } finally {
      await connector.close();
    }
    await runChecksForApp(app, { clock: sandbox.clock });
    const teachers = await sampleTeachers(mirror.db, school.id);
    const now = Date.now();
    const accounts: { login: string; role: string; password: string }[] = [];
    const add = async (
      login: string,
      name: string,
      role: string,
      roles: ('admin' | 'ict')[],
      personId: string | null,
    ) => {
      const password = randomBytes(9).toString('base64url');
      await addUser(mirror.db, { login, displayName: name, password, roles, personId }, now);
      accounts.push({ login, role, password });
    };
    await add('admin', 'Смирнова Елена Викторовна', 'администрация', [], null);
    await add('ict', 'Инженер ИКТ', 'инженер ИКТ', [], null);
    if (teachers.classTeacher) {
      await add(
        'classteacher',
        'Классный руководитель',
        'классный руководитель',
        [],
        teachers.classTeacher,
      );
    }
    if (teachers.subjectTeacher) {
      await add('teacher', 'Учитель-предметник', 'учитель-предметник', [], teachers.subjectTeacher);
    }
    const site = await startSite(app, { mode: 'embedded', scheduler: false, port: options.port });
    print(`\nezh demo site: ${site.web.url}/`);
    print('Demo accounts (passwords are new at each start):');
    for (const a of accounts) print(`  ${a.login.padEnd(14)} ${a.password}   ${a.role}`);
    print('Or «Войти через Дневник.ру»: the sandbox shows its people to log in as.');
    print('Stop with Ctrl+C.');
    await stopped;
    await site.close();
  } finally {
    await app?.close();
    await sandbox.close();
  }
}
