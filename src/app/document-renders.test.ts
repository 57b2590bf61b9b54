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
});
