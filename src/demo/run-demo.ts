import { rmSync } from 'node:fs';
import { join, relative } from 'node:path';
import { DateTime } from 'luxon';
import { writeDemoAlerts } from './demo-alerts.js';
import { createAppContext, type AppContext, type ContextOptions } from '../app/context.js';
import { runChecksForApp } from '../app/checks-service.js';
import { connectorForSchool } from '../connectors/registry.js';
import { countEntities, formatTable } from '../mirror/stats.js';
import { ensurePrivateDir, writePrivateFileAtomic } from '../platform/private-files.js';
import { renderAllDemoDocuments } from '../app/documents-service.js';
import { startSandbox } from '../sandbox/index.js';
import { syncSchool } from '../jobs/sync-school.js';
import { verifyMirror } from '../sync/verify-mirror.js';
import {
  comparisonDetails,
  comparisonTable,
  comparisonVerdict,
} from '../sync/verify-mirror-report.js';
import type { SyncSummary } from '../sync/engine.js';
import { demoArchive } from './demo-archive.js';
import { demoOverrides } from './demo-config.js';

export interface DemoOptions {
  seed: string;
  /** School days of the sandbox timeline to live through after the first sync. */
  days: number;
  dataDir: string;
}

export interface DemoOutcome {
  files: string[];
  findings: number;
}

/**
 * `ezh demo`: the whole product on the sandbox platform, in-process. A first full sync of the
 * school at the sandbox's start; then `days` mornings of incremental syncs while the sandbox's
 * teachers keep working (new, edited, deleted and late entries); then checks, every document,
 * the alerts that would be sent, and an archive, all into the output directory.
 */
export async function runDemo(
  global: Pick<ContextOptions, 'configFile' | 'logLevel'>,
  options: DemoOptions,
  print: (line: string) => void,
): Promise<DemoOutcome> {
  const sandbox = await startSandbox({ size: 'small', seed: options.seed });
  let app: AppContext | undefined;
  try {
    ensurePrivateDir(options.dataDir);
    for (const suffix of ['', '-wal', '-shm']) {
      rmSync(join(options.dataDir, `demo.sqlite${suffix}`), { force: true });
    }
    app = createAppContext({
      ...global,
      overrides: demoOverrides(sandbox, options.dataDir),
      clock: sandbox.clock,
    });
    const outDir = app.config.outDir;
    ensurePrivateDir(outDir);
    const mirror = await app.mirror();
    // The demo's school: the sandbox's first (its config lists them all, with their zones).
    const school = app.config.schools[0]!;
    const zone = sandbox.schools[0]!.timeZone;
    const at = (ms: number) => DateTime.fromMillis(ms, { zone }).toFormat('dd.MM.yyyy HH:mm');
    print(
      `Sandbox platform: ${sandbox.url} (school ${school.id}, ${zone}), its clock at ${at(sandbox.now())}`,
    );
    print(`Mirror: ${mirror.describe}`);

    const connector = connectorForSchool(app.config, school);
    const deps = {
      db: mirror.db,
      connector,
      clock: sandbox.clock,
      logger: app.logger,
      config: app.config,
    };
    try {
      const first = await syncSchool(deps, { schoolId: school.id, full: true });
      print(`\nFirst sync (full): ${describeRun(first)}`);
      for (let day = 1; day <= options.days; day++) {
        sandbox.advanceTo(nextMorning(sandbox.now(), zone));
        const run = await syncSchool(deps, { schoolId: school.id });
        print(`${at(sandbox.now())} incremental sync: ${describeRun(run)}`);
      }
      // The same comparison as `ezh verify-mirror`: the year read again through the connector.
      const comparison = await verifyMirror(deps, school.id);
      print('\nMirror compared with the platform (live records, as `ezh verify-mirror` does):');
      print(comparisonTable(comparison));
      for (const line of comparisonDetails(comparison)) print(line);
      print(comparisonVerdict(comparison));
    } finally {
      await connector.close();
    }

    const counts = await countEntities(mirror.db, school.id);
    print('\nHistory kept in the mirror:');
    print(
      formatTable(
        ['entity', 'live', 'deleted', 'versions'],
        counts.map((c) => [c.stream, c.live, c.deleted, c.versions]),
      ),
    );

    const files: string[] = [];
    const checks = await runChecksForApp(app, {
      clock: sandbox.clock,
      outFile: join(outDir, 'findings.json'),
    });
    files.push(join(outDir, 'findings.json'));
    const byRule = new Map<string, number>();
    for (const f of checks.report.findings) byRule.set(f.rule, (byRule.get(f.rule) ?? 0) + 1);
    print(`\nChecks as of ${at(sandbox.now())}: ${checks.report.findings.length} findings`);
    print(
      formatTable(
        ['rule', 'findings'],
        [...byRule].sort().map(([rule, n]) => [rule, n]),
      ),
    );

    files.push(...(await renderAllDemoDocuments(app, { outDir })));
    const alerts = await writeDemoAlerts(app, { outDir, asOf: sandbox.now() });
    files.push(...alerts.files);
    files.push(
      ...(await demoArchive(app, {
        outDir,
        asOf: sandbox.now(),
        clock: sandbox.clock,
        schoolId: school.id,
      })),
    );

    writePrivateFileAtomic(
      join(outDir, 'answer-key.json'),
      `${JSON.stringify(sandbox.answerKey(sandbox.now(), { schoolId: school.id }), null, 2)}\n`,
    );
    files.push(join(outDir, 'answer-key.json'));
    print(`\nWritten into ${outDir}:`);
    for (const f of files) print(`  ${relative(process.cwd(), f)}`);
    print('\nClick through it as each role on the web: ezh serve --demo (http://127.0.0.1:8080/)');
    return { files, findings: checks.report.findings.length };
  } finally {
    await app?.close();
    await sandbox.close();
  }
}

function describeRun(s: SyncSummary): string {
  const sum = (k: 'inserted' | 'changed' | 'deleted' | 'unchanged' | 'quarantined') =>
    s.streams.reduce((n, st) => n + st[k], 0);
  const quarantined = sum('quarantined');
  return `${s.status}, ${s.requests} requests, ${sum('inserted')} new, ${sum('changed')} changed, ${sum('deleted')} deleted, ${sum('unchanged')} unchanged${quarantined ? `, ${quarantined} quarantined` : ''}`;
}

/** 07:00 of the next day in the school's zone: syncs see yesterday's entries before the 12:00 deadline. */
function nextMorning(now: number, zone: string): number {
  return DateTime.fromMillis(now, { zone })
    .plus({ days: 1 })
    .set({ hour: 7, minute: 0, second: 0, millisecond: 0 })
    .toMillis();
}
