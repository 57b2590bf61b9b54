import { afterEach, describe, expect, it } from 'vitest';
import { createTestMirror, ENGINES, type TestMirror } from '../../test/helpers/mirrors.js';
import { mirrorCoverage } from './data-time.js';

/**
 * A `held` sync read every scope and only kept back deletions it was unsure of: the mirror is as
 * fresh as after a succeeded one, so checks are evaluated as of its end, not an older sync's.
 */
describe.each(ENGINES)('mirror coverage on %s', (engine) => {
  let m: TestMirror | undefined;
  afterEach(async () => {
    await m?.dispose();
    m = undefined;
  });

  it('counts a held sync as the last successful one; a failed or partial one does not count', async () => {
    m = await createTestMirror(engine);
    const runs = [
      ['r1', 'succeeded', 1_000, 2_000, 5],
      ['r2', 'held', 3_000, 4_000, 5],
      ['r3', 'partial', 5_000, 6_000, 2],
      ['r4', 'failed', 7_000, 8_000, 0],
    ] as const;
    for (const [id, status, started, finished, done] of runs) {
      await m.db.run(
        `INSERT INTO sync_runs (id, school_id, source, mode, status, started_at, finished_at, scopes_total, scopes_done)
         VALUES (?, 'S1', 'dnevnik', 'incremental', ?, ?, ?, 5, ?)`,
        [id, status, started, finished, done],
      );
    }
    expect(await mirrorCoverage(m.db, 'S1')).toEqual({ firstSyncAt: 1_000, lastSyncedAt: 4_000 });
  });
});
