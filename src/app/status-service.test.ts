import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkedSchool, LAST_SYNC, SCHOOL } from '../../test/fixtures/app/checked-school.js';
import { at } from '../../test/fixtures/checks/builder.js';
import { createTestMirror, type TestMirror } from '../../test/helpers/mirrors.js';
import type { AppContext } from './context.js';
import { StatusService } from './status-service.js';

/** What `ezh status` and `/metrics` show, over two successful syncs, a failed one and a check run. */
describe('status service', () => {
  let m: TestMirror;
  let app: AppContext;
  let status: StatusService;
  beforeAll(async () => {
    m = await createTestMirror('sqlite');
    ({ app } = await checkedSchool(m));
    const db = (await app.mirror()).db;
    // A run still `running` whose process is gone (no lease): an operator reads it interrupted.
    await db.run(
      `INSERT INTO sync_runs (id, school_id, source, mode, status, started_at, finished_at, scopes_total, scopes_done)
       VALUES ('s4', ?, 'dnevnik', 'full', 'running', ?, NULL, 9, 0)`,
      [SCHOOL, at('2026-10-21T08:00:00')],
    );
    status = new StatusService(db);
  });
  afterAll(async () => {
    await app?.close();
    await m?.dispose();
  });

  it('lists the sync runs newest first; a running run without its process reads interrupted', async () => {
    const { runs, lastOwner } = await status.syncRuns(10);
    expect(runs.map((r) => [r.id, r.status])).toEqual([
      ['s4', 'interrupted'],
      ['s3', 'succeeded'],
      ['s2', 'failed'],
      ['s1', 'succeeded'],
    ]);
    expect(runs.find((r) => r.id === 's2')?.error).toBe('the platform answered 503');
    expect(lastOwner).toBeNull();
    expect((await status.syncRuns(2)).runs.map((r) => r.id)).toEqual(['s4', 's3']);
  });

  it('counts runs per status and dates the last successful sync (not the failed or unfinished one)', async () => {
    const counts = await status.syncRunCounts();
    expect(
      counts
        .filter((c) => c.school === SCHOOL)
        .map((c) => `${c.status} ${c.runs}`)
        .sort(),
    ).toEqual(['failed 1', 'running 1', 'succeeded 2']);
    expect((await status.lastSuccessfulSync()).get(SCHOOL)).toBe(LAST_SYNC);
  });

  it('counts the open findings per rule and shows the latest check run with its findings', async () => {
    expect(await status.openFindings()).toEqual([
      { school: SCHOOL, rule: 'topic-missing', severity: expect.any(String), open: 3 },
    ]);
    const [last] = await status.lastCheckRuns();
    expect(last).toMatchObject({ school: SCHOOL, status: 'succeeded', findings: 3 });
    expect((await status.lastCheckRun())?.asOf).toBe(LAST_SYNC);
  });

  it('no operator events and no archives yet: empty lists, not errors', async () => {
    expect(await status.openEvents(10)).toEqual([]);
    expect(await status.openOperatorEvents()).toEqual([]);
    expect(await status.archives(5)).toEqual([]);
  });
});
