// tier: services (it prints a document: Chromium, through the documents service)
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SCHOOL, seedSchool, ZONE } from '../../test/integration/alerts-fixture.js';
import { createTestMirror, type TestMirror } from '../../test/helpers/mirrors.js';
import { getWebRender, insertWebRender } from '../mirror/repositories/web-renders.js';
import { createAppContext, type AppContext } from './context.js';
import {
  DocumentRenders,
  printWebRender,
  webRendersDir,
  type RenderQueue,
} from './document-renders.js';

/**
 * The web's renders: started at once, printed in the background (here, or by a worker the queue
 * hands them to), visible to their owner only; a document given wrong params fails with the
 * reason in Russian (and never reaches a browser); files are private and expire.
 */
describe('DocumentRenders', () => {
  let m: TestMirror;
  let app: AppContext;
  let out: string;
  beforeAll(async () => {
    m = await createTestMirror('sqlite');
    await seedSchool(m.db);
    out = mkdtempSync(join(tmpdir(), 'ezh-renders-test-'));
    app = createAppContext({
      overrides: {
        database: { type: 'sqlite', path: m.database.path },
        schools: [{ id: SCHOOL, timeZone: ZONE }],
        outDir: out,
      },
    });
  });
  afterAll(async () => {
    await app?.close();
    await m?.dispose();
    if (out) rmSync(out, { recursive: true, force: true });
  });

  it('answers at once, fails a bad request with its reason, and shows it to its owner only', async () => {
    const renders = new DocumentRenders(app);
    const started = await renders.start({
      owner: 'local:admin',
      documentId: 'activity',
      params: { month: 'октябрь' },
      schoolId: SCHOOL,
    });
    expect(['queued', 'running']).toContain(started.state);
    await renders.idle();
    const done = (await renders.get('local:admin', started.id))!;
    expect(done.state).toBe('failed');
    expect(done.error).toMatch(/^неверные параметры: /);
    expect(done.path).toBeNull();
    expect(await renders.get('local:someone-else', started.id)).toBeNull();
    await expect(renders.start({ owner: 'x', documentId: 'no-such', params: {} })).rejects.toThrow(
      /unknown document/,
    );
  });

  it('prints a document into a private folder of the output directory, then removes it once it expires', async () => {
    const renders = new DocumentRenders(app, { keepMs: 300 });
    const started = await renders.start({
      owner: 'local:admin',
      documentId: 'activity',
      params: { month: '2026-10' },
      schoolId: SCHOOL,
    });
    await renders.idle();
    const done = (await renders.get('local:admin', started.id))!;
    expect(done.error).toBeNull();
    expect(done.state).toBe('done');
    expect(done.path).toBe(join(webRendersDir(app.config), started.id, done.fileName!));
    expect(statSync(done.path!).mode & 0o777).toBe(0o600);
    expect(statSync(join(webRendersDir(app.config), started.id)).mode & 0o777).toBe(0o700);
    await new Promise((r) => setTimeout(r, 400));
    // Expired: gone when next asked for, though nobody started another render since.
    expect(await renders.get('local:admin', started.id)).toBeNull();
    expect(readdirSync(webRendersDir(app.config))).not.toContain(started.id);
    expect(await getWebRender(m.db, started.id)).toBeNull();
  }, 60_000);

  it('with a queue, hands the render over instead of printing it; the worker prints it once', async () => {
    const queued: Parameters<RenderQueue>[0][] = [];
    const renders = new DocumentRenders(app, { queue: async (r) => void queued.push(r) });
    const started = await renders.start({
      owner: 'local:admin',
      documentId: 'activity',
      params: { month: 'октябрь' },
      schoolId: SCHOOL,
    });
    await renders.idle();
    expect(queued).toEqual([{ id: started.id, documentId: 'activity', schoolId: SCHOOL }]);
    expect((await renders.get('local:admin', started.id))!.state).toBe('queued');
    expect(await printWebRender(app, started.id)).toBe('failed');
    // Delivered again (a retried job): left as it ended.
    expect(await printWebRender(app, started.id)).toBe('failed');
    expect((await renders.get('local:admin', started.id))!.error).toMatch(/^неверные параметры/);
    expect(await printWebRender(app, 'no-such-render')).toBeNull();
  });

  it('a queue that refuses the render fails it at once', async () => {
    const renders = new DocumentRenders(app, {
      queue: () => Promise.reject(new Error('Redis is down')),
    });
    const started = await renders.start({
      owner: 'local:admin',
      documentId: 'activity',
      params: { month: '2026-10' },
    });
    expect(started.state).toBe('failed');
    expect(started.error).toMatch(/очередь заданий недоступна/);
  });

  it('printing here, fails what a previous process left unfinished; the server stopping fails what is queued', async () => {
    await insertWebRender(m.db, {
      id: 'left-running',
      owner: 'local:admin',
      documentId: 'activity',
      title: 'x',
      schoolId: SCHOOL,
      params: '{}',
      startedAt: Date.now(),
    });
    const renders = new DocumentRenders(app);
    const left = (await renders.get('local:admin', 'left-running'))!;
    expect(left.state).toBe('failed');
    expect(left.error).toMatch(/перезапустился/);
    const bad = { owner: 'local:admin', documentId: 'activity', params: { month: 'x' } };
    const first = await renders.start(bad);
    const second = await renders.start(bad);
    await renders.close();
    expect((await renders.get('local:admin', first.id))!.state).toBe('failed');
    const stopped = (await renders.get('local:admin', second.id))!;
    expect(stopped.state).toBe('failed');
    expect(existsSync(join(webRendersDir(app.config), second.id))).toBe(false);
  });
});
