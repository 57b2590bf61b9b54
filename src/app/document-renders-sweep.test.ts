import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SCHOOL, seedSchool, ZONE } from '../../test/integration/alerts-fixture.js';
import { createTestMirror, type TestMirror } from '../../test/helpers/mirrors.js';
import { finishWebRender, insertWebRender } from '../mirror/repositories/web-renders.js';
import { createAppContext, type AppContext } from './context.js';
import { DocumentRenders, webRendersDir } from './document-renders.js';

/**
 * One expired render whose folder cannot be removed (another process still holds its file
 * on an NFS outDir, a folder owned by the workers' user, an immutable file: here `chattr +i`)
 * must not fail every other render's status or order: it is logged and retried at the next sweep.
 */
describe('DocumentRenders: an expired folder that cannot be removed', () => {
  let m: TestMirror;
  let app: AppContext;
  let out: string;
  let stuck = '';
  beforeAll(async () => {
    m = await createTestMirror('sqlite');
    await seedSchool(m.db);
    out = mkdtempSync(join(tmpdir(), 'ezh-renders-review-'));
    app = createAppContext({
      overrides: {
        database: { type: 'sqlite', path: m.database.path },
        schools: [{ id: SCHOOL, timeZone: ZONE }],
        outDir: out,
      },
    });
  });
  afterAll(async () => {
    if (stuck) execFileSync('chattr', ['-i', stuck]);
    await app?.close();
    await m?.dispose();
    if (out) rmSync(out, { recursive: true, force: true });
  });

  it('one folder that cannot be removed does not break everyone else’s renders', async () => {
    const db = (await app.mirror()).db;
    const t0 = Date.now() - 3 * 60 * 60 * 1000;
    const base = { documentId: 'activity', title: 'x', schoolId: SCHOOL, params: '{}' };
    // An old render of someone, expired; its file cannot be removed.
    await insertWebRender(db, { id: 'old', owner: 'local:a', startedAt: t0, ...base });
    await finishWebRender(db, 'old', { at: t0 + 1000, fileName: 'old.pdf' });
    const dir = join(webRendersDir(app.config), 'old');
    mkdirSync(dir, { recursive: true });
    stuck = join(dir, 'old.pdf');
    writeFileSync(stuck, '%PDF');
    execFileSync('chattr', ['+i', stuck]);
    // Another user's fresh render, done a minute ago.
    await insertWebRender(db, {
      id: 'mine',
      owner: 'local:b',
      startedAt: Date.now() - 60_000,
      ...base,
    });
    await finishWebRender(db, 'mine', { at: Date.now() - 30_000, error: 'x' });

    const renders = new DocumentRenders(app, { queue: async () => {} });
    await expect(renders.get('local:b', 'mine')).resolves.toMatchObject({ id: 'mine' });
    // It stays, and goes at a later sweep once it can.
    const again = await renders.get('local:a', 'old');
    expect(again?.id).toBe('old');
    execFileSync('chattr', ['-i', stuck]);
    stuck = '';
    await expect(renders.get('local:a', 'old')).resolves.toBeNull();
    await renders.close();
  });
});
