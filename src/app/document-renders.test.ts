import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SCHOOL, seedSchool, ZONE } from '../../test/integration/alerts-fixture.js';
import { createTestMirror, type TestMirror } from '../../test/helpers/mirrors.js';
import { createAppContext, type AppContext } from './context.js';
import { DocumentRenders } from './document-renders.js';

/**
 * The web's renders: started at once, run in the background, visible to their owner only; a
 * document given wrong params fails with the reason in Russian (and never reaches a browser).
 */
describe('DocumentRenders', () => {
  let m: TestMirror;
  let app: AppContext;
  beforeAll(async () => {
    m = await createTestMirror('sqlite');
    await seedSchool(m.db);
    app = createAppContext({
      overrides: {
        database: { type: 'sqlite', path: m.database.path },
        schools: [{ id: SCHOOL, timeZone: ZONE }],
      },
    });
  });
  afterAll(async () => {
    await app?.close();
    await m?.dispose();
  });

  it('answers at once, fails a bad request with its reason, and shows it to its owner only', async () => {
    const renders = new DocumentRenders(app);
    const started = renders.start({
      owner: 'local:admin',
      documentId: 'activity',
      params: { month: 'октябрь' },
      schoolId: SCHOOL,
    });
    expect(started.state).toBe('queued');
    await renders.idle();
    const done = renders.get('local:admin', started.id)!;
    expect(done.state).toBe('failed');
    expect(done.error).toMatch(/^неверные параметры: /);
    expect(done.path).toBeNull();
    expect(renders.get('local:someone-else', started.id)).toBeNull();
    expect(() => renders.start({ owner: 'x', documentId: 'no-such', params: {} })).toThrow();
  });

  it('removes a render’s folder once it expires and every folder when the server stops', async () => {
    // The renders' folders go under TMPDIR: a folder of this test's own, to count them.
    const saved = process.env.TMPDIR;
    const tmp = mkdtempSync(join(tmpdir(), 'ezh-renders-test-'));
    process.env.TMPDIR = tmp;
    try {
      const renders = new DocumentRenders(app, undefined, 50);
      const bad = { owner: 'local:admin', documentId: 'activity', params: { month: 'октябрь' } };
      const first = renders.start({ ...bad, schoolId: SCHOOL });
      await renders.idle();
      expect(readdirSync(tmp)).toHaveLength(1);
      await new Promise((r) => setTimeout(r, 120));
      // Expired: gone when next asked for, though nobody started another render since.
      expect(renders.get('local:admin', first.id)).toBeNull();
      expect(readdirSync(tmp)).toEqual([]);
      const second = renders.start({ ...bad, schoolId: SCHOOL });
      await renders.close();
      expect(renders.get('local:admin', second.id)).toBeNull();
      expect(readdirSync(tmp)).toEqual([]);
    } finally {
      if (saved === undefined) delete process.env.TMPDIR;
      else process.env.TMPDIR = saved;
      rmSync(tmp, { recursive: true, force: true });
    }
  });
});
