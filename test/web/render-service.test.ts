import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addUser } from '../../src/app/accounts-service.js';
import { createAppContext, type AppContext } from '../../src/app/context.js';
import { webRendersDir } from '../../src/app/document-renders.js';
import { startSandbox, type SandboxServer } from '../../src/sandbox/index.js';
import { startSite, type Site } from '../../src/web/site.js';
import { createTestMirror, type TestMirror } from '../helpers/mirrors.js';
import {
  deletePrefixKeys,
  obliterateQueues,
  TEST_REDIS_URL,
  testPrefix,
} from '../helpers/redis.js';
import { sandboxConfig, syncSandboxSchool } from '../helpers/sandbox-sync.js';
import { clusterConfig, startWorker, type WorkerProcess } from '../helpers/worker-cluster.js';
import { PASSWORD, WebClient } from './harness.js';

/**
 * Issue 22, service mode: the site is "one more stateless process behind the proxy, any number
 * of them". A document ordered on one `ezh serve` is printed by an `ezh worker` (another process:
 * a `reports.render` job on Redis), and its status page and PDF are answered by another `ezh
 * serve` — no sticky sessions needed. Two sites in this process (each its own app context, mirror
 * connection and Redis connection, as two processes), one worker process of the reports queue.
 */
describe('web renders in service mode: ordered on one site, printed by a worker, served by another', () => {
  let sb: SandboxServer;
  let mirror: TestMirror;
  let dir: string;
  let prefix: string;
  let worker: WorkerProcess | null = null;
  const apps: AppContext[] = [];
  const sites: Site[] = [];

  beforeAll(async () => {
    sb = await startSandbox({ size: 'small', seed: '1' });
    mirror = await createTestMirror('postgres');
    dir = mkdtempSync(join(tmpdir(), 'ezh-web-renders-'));
    prefix = testPrefix();
    const school = sb.schools[0]!;
    await syncSandboxSchool(mirror.db, sandboxConfig(sb), sb.clock, school.id, { full: true });
    await addUser(
      mirror.db,
      {
        login: 'deputy',
        displayName: 'Завуч',
        password: PASSWORD,
        roles: ['admin'],
        personId: null,
      },
      Date.now() - 1000,
    );
    await addUser(
      mirror.db,
      {
        login: 'other',
        displayName: 'Другой завуч',
        password: PASSWORD,
        roles: ['admin'],
        personId: null,
      },
      Date.now() - 1000,
    );
    // The config every process reads (the workers' and the sites'): one output directory.
    const { configFile } = clusterConfig({
      dir,
      url: sb.url,
      schools: [school],
      schema: mirror.database.schema,
      prefix,
    });
    const raw = JSON.parse(readFileSync(configFile, 'utf8')) as Record<string, unknown>;
    writeFileSync(
      configFile,
      JSON.stringify({
        ...raw,
        outDir: join(dir, 'out'),
        web: {
          mode: 'service',
          host: '127.0.0.1',
          port: 0,
          sessionSecret: 'cd'.repeat(32),
        },
      }),
    );
    worker = startWorker(configFile, ['--queues', 'reports']);
    for (let i = 0; i < 2; i++) {
      const app = createAppContext({ configFile, logLevel: 'silent', clock: sb.clock });
      apps.push(app);
      sites.push(await startSite(app, { mode: 'service', port: 0 }));
    }
  }, 180_000);

  afterAll(async () => {
    for (const s of sites) await s.close().catch(() => undefined);
    for (const a of apps) await a.close().catch(() => undefined);
    if (worker) {
      worker.child.kill('SIGTERM');
      await worker.exited;
    }
    await obliterateQueues(prefix).catch(() => undefined);
    await deletePrefixKeys(prefix).catch(() => undefined);
    await mirror?.dispose();
    await sb?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  }, 60_000);

  it(
    'the status page and the PDF are answered by the other site, for the owner only',
    { timeout: 180_000 },
    async () => {
      const [a, b] = sites.map((s) => s.web.url) as [string, string];
      const onA = new WebClient(a);
      expect((await onA.login('deputy', PASSWORD)).status).toBe(302);
      // The same browser through a proxy that sends it to the other process from now on.
      const onB = new WebClient(b);
      for (const [k, v] of onA.cookies) onB.cookies.set(k, v);

      const month = new Date(sb.clock.now()).toISOString().slice(0, 7);
      const ordered = await onA.post('/documents/activity', { month }, { from: '/documents' });
      expect(ordered.status, ordered.text).toBe(302);
      const status = ordered.location!;
      expect(status).toMatch(/^\/renders\/[0-9a-f-]{36}$/);
      const id = status.split('/').pop()!;

      // Polled on B until ready: the page answers at once with the progress indicator, then
      // offers the file.
      const first = await onB.get(status);
      expect(first.status).toBe(200);
      let page = first;
      const deadline = Date.now() + 150_000;
      while (!page.text.includes(`${status}/file`) && Date.now() < deadline) {
        expect(page.status).toBe(200);
        expect(page.text).not.toContain('не получился');
        await new Promise((r) => setTimeout(r, 500));
        page = await onB.get(status);
      }
      expect(page.text, page.text).toContain(`${status}/file`);

      const file = await fetch(new URL(`${status}/file`, b), {
        headers: { cookie: onB.cookieHeader() },
      });
      expect(file.status).toBe(200);
      expect(file.headers.get('content-type')).toBe('application/pdf');
      const pdf = Buffer.from(await file.arrayBuffer());
      expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
      // A itself serves the same file; the worker printed it, not a site.
      expect((await onA.get(`${status}/file`)).status).toBe(200);
      const connection = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: null });
      const reports = new Queue('reports', { connection, prefix });
      try {
        const job = await reports.getJob(`web-render-${id}`);
        expect(job?.name).toBe('reports.render');
        expect(job?.data).toEqual({ report: 'activity', schoolId: sb.schools[0]!.id, render: id });
        expect(await job?.getState()).toBe('completed');
        expect(job?.returnvalue).toEqual({ render: id, state: 'done' });
      } finally {
        await reports.close();
        connection.disconnect();
      }
      // Private: the render's folder 0700, the PDF 0600, under the shared output directory.
      const folder = join(webRendersDir(apps[0]!.config), id);
      expect(statSync(folder).mode & 0o777).toBe(0o700);
      const [pdfName] = readdirSync(folder);
      expect(pdfName).toMatch(/^activity-.*\.pdf$/);
      expect(statSync(join(folder, pdfName!)).mode & 0o777).toBe(0o600);
      expect(readFileSync(join(folder, pdfName!)).equals(pdf)).toBe(true);

      // Another account sees neither, on either site.
      const other = new WebClient(b);
      expect((await other.login('other', PASSWORD)).status).toBe(302);
      expect((await other.get(status)).status).toBe(404);
      expect((await other.get(`${status}/file`)).status).toBe(404);

      // A site that does not see the worker's output directory answers 404, not a broken stream.
      rmSync(join(folder, pdfName!));
      expect((await onB.get(`${status}/file`)).status).toBe(404);
    },
  );
});
