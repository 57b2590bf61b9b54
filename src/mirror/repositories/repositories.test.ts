import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestMirror, ENGINES, type TestMirror } from '../../../test/helpers/mirrors.js';
import * as archives from './archives.js';
import * as checkRuns from './check-runs.js';
import * as findingActions from './finding-actions.js';
import * as findings from './findings.js';
import * as operatorEvents from './operator-events.js';
import { parseRows, RowShapeError } from './rows.js';
import * as syncRuns from './sync-runs.js';

const T0 = Date.UTC(2026, 9, 5, 6, 0);
const stats = (n: number): syncRuns.StreamStats => ({
  requests: n,
  retries: 0,
  inserted: n,
  changed: 0,
  unchanged: 0,
  deleted: 0,
  quarantined: 0,
  errors: 0,
  durationMs: 10 * n,
});

function finding(key: string, rule = 'late-marks'): findings.FindingWrite {
  return {
    key,
    rule,
    severity: 'warning',
    schoolId: 'S1',
    classId: 'C1',
    subjectId: null,
    teacherId: 'T1',
    studentId: null,
    lessonId: null,
    date: '2026-10-05',
    deadline: T0 + 1000,
    message: `finding ${key}`,
    details: '{}',
  };
}

describe.each(ENGINES)('bookkeeping repositories on %s', (engine) => {
  let m: TestMirror;
  beforeAll(async () => {
    m = await createTestMirror(engine);
  }, 60_000);
  afterAll(async () => {
    await m?.dispose();
  });

  it('sync runs come back typed: numbers as numbers, nullable columns null, sums summed', async () => {
    await syncRuns.insertRun(m.db, {
      id: 'r1',
      schoolId: 'S1',
      source: 'dnevnik',
      mode: 'full',
      startedAt: T0,
      notes: '{"request":{"mode":"full"}}',
    });
    expect(await syncRuns.getRun(m.db, 'r1')).toEqual({
      id: 'r1',
      school_id: 'S1',
      source: 'dnevnik',
      mode: 'full',
      status: 'running',
      started_at: T0,
      finished_at: null,
      scopes_total: 0,
      scopes_done: 0,
      error: null,
      notes: '{"request":{"mode":"full"}}',
    });
    await m.db.transaction(async (tx) => {
      await syncRuns.addStreamStats(tx, 'r1', 'marks', stats(2));
      await syncRuns.addStreamStats(tx, 'r1', 'marks', stats(3));
    });
    await syncRuns.finishRun(m.db, 'r1', {
      status: 'succeeded',
      finishedAt: T0 + 60_000,
      error: null,
    });
    await syncRuns.insertRun(m.db, {
      id: 'r2',
      schoolId: 'S1',
      source: 'dnevnik',
      mode: 'confirm',
      startedAt: T0 + 120_000,
      notes: '{}',
    });

    expect((await syncRuns.latestRuns(m.db, 5)).map((r) => [r.id, r.status])).toEqual([
      ['r2', 'running'],
      ['r1', 'succeeded'],
    ]);
    expect((await syncRuns.runningRuns(m.db)).map((r) => r.id)).toEqual(['r2']);
    expect(await syncRuns.streamStatsOf(m.db, 'r1')).toEqual([{ stream: 'marks', ...stats(5) }]);
    // Sums over runs: bigint on PostgreSQL, integer on SQLite; both read as numbers.
    expect(await syncRuns.streamTotals(m.db)).toEqual([
      {
        school: 'S1',
        stream: 'marks',
        requests: 5,
        retries: 0,
        inserted: 5,
        changed: 0,
        unchanged: 0,
        deleted: 0,
        quarantined: 0,
        errors: 0,
      },
    ]);
    expect(await syncRuns.lastSuccessfulSyncs(m.db)).toEqual(new Map([['S1', T0 + 60_000]]));
    expect(await syncRuns.lastFinishedOfMode(m.db, 'S1', 'confirm')).toBeNull();
    expect(await syncRuns.countDoneScopes(m.db, 'r2')).toBe(0);
    expect(
      (await syncRuns.runCounts(m.db)).sort((a, b) => a.status.localeCompare(b.status)),
    ).toEqual([
      { school: 'S1', status: 'running', runs: 1 },
      { school: 'S1', status: 'succeeded', runs: 1 },
    ]);
  });

  it('a row the repository cannot read fails naming the table, the column and the value', async () => {
    await m.db.run(
      `INSERT INTO sync_runs (id, school_id, source, mode, status, started_at, scopes_total, scopes_done)
       VALUES ('bad', 'S9', 'dnevnik', 'full', 'paused', ?, 0, 0)`,
      [T0 - 1],
    );
    const read = syncRuns.getRun(m.db, 'bad');
    await expect(read).rejects.toBeInstanceOf(RowShapeError);
    await expect(syncRuns.getRun(m.db, 'bad')).rejects.toThrow(
      'sync_runs: column "status" should be one of running, succeeded, held, partial, failed, but the row holds "paused" (string)',
    );
    await m.db.run(`DELETE FROM sync_runs WHERE id = 'bad'`);

    await m.db.run(
      `INSERT INTO archives (file_name, paths, kind, period, school_id, created_at, as_of, status)
       VALUES ('broken.tar.gz', '/media/a.tar.gz', 'regular', NULL, 'S9', ?, ?, 'complete')`,
      [T0, T0],
    );
    await expect(archives.list(m.db, { schoolId: 'S9' })).rejects.toThrow(
      'archives: column "paths" should be JSON (a JSON array of paths)',
    );
    await m.db.run(`DELETE FROM archives WHERE file_name = 'broken.tar.gz'`);
  });

  it('check runs: the latest current run, what-if runs never among them', async () => {
    const base = { schoolId: 'S1', rules: '{}', entryTimePrecision: 'exact' };
    await checkRuns.insertRun(m.db, {
      ...base,
      id: 'c1',
      asOf: T0,
      startedAt: T0,
      kind: 'current',
    });
    await checkRuns.markSucceeded(m.db, 'c1', T0 + 5, {
      findingCount: 3,
      newCount: 2,
      resolvedCount: 1,
    });
    await checkRuns.insertRun(m.db, {
      ...base,
      id: 'c2',
      asOf: T0 + 9e9,
      startedAt: T0 + 10,
      kind: 'what-if',
    });
    await checkRuns.markSucceeded(m.db, 'c2', T0 + 20, { findingCount: 7 });
    const latest = await checkRuns.latestCurrentRun(m.db);
    expect(latest).toEqual({
      id: 'c1',
      schoolId: 'S1',
      asOf: T0,
      startedAt: T0,
      finishedAt: T0 + 5,
      status: 'succeeded',
      findingCount: 3,
      newCount: 2,
      resolvedCount: 1,
      entryTimePrecision: 'exact',
    });
    expect(await checkRuns.latestCurrentRunPerSchool(m.db)).toEqual([latest]);
    expect((await checkRuns.finishedCurrentRuns(m.db, 'S1', 10)).map((r) => r.id)).toEqual(['c1']);
  });

  it('findings: seen, resolved when unseen, counted, listed; actions numbered per finding', async () => {
    const run1 = { id: 'c1', schoolId: 'S1', asOf: T0 };
    await m.db.transaction(async (tx) => {
      await findings.upsertSeen(tx, run1, [finding('k1'), finding('k2')]);
      await findings.insertEvents(tx, run1, [
        { kind: 'opened', finding: finding('k1') },
        { kind: 'opened', finding: finding('k2') },
      ]);
    });
    expect(await findings.storedState(m.db, ['k1', 'k3'])).toEqual(
      new Map([['k1', { resolved: false }]]),
    );
    const run2 = { id: 'c3', schoolId: 'S1', asOf: T0 + 1000 };
    const resolved = await m.db.transaction(async (tx) => {
      await findings.upsertSeen(tx, run2, [finding('k1')]);
      return findings.resolveUnseen(tx, run2, { ruleIds: ['late-marks'], classIds: null });
    });
    expect(resolved).toBe(1);
    expect(await findings.openCounts(m.db)).toEqual([
      { school: 'S1', rule: 'late-marks', severity: 'warning', open: 1 },
    ]);
    const [k1] = await findings.listUnresolved(m.db, { schoolId: 'S1' });
    expect(k1).toMatchObject({ key: 'k1', className: null, firstSeenAt: T0, date: '2026-10-05' });
    // A class's rows are selected in the query: another class's id lists nothing.
    expect(await findings.listUnresolved(m.db, { schoolId: 'S1', classIds: ['other'] })).toEqual(
      [],
    );
    expect((await findings.findByKeyPrefix(m.db, 'k')).map((f) => f.key).sort()).toEqual([
      'k1',
      'k2',
    ]);

    const act = { schoolId: 'S1', reason: null, actor: 'Завуч', at: T0 };
    await findingActions.appendActions(m.db, [{ ...act, findingKey: 'k1', action: 'acknowledge' }]);
    await findingActions.appendActions(m.db, [
      { ...act, findingKey: 'k1', action: 'waive', reason: 'ИУП', at: T0 + 1 },
    ]);
    const latest = await findingActions.latestActions(m.db, ['k1', 'k2'], T0 + 10);
    expect([...latest.values()]).toEqual([
      { ...act, findingKey: 'k1', seq: 2, action: 'waive', reason: 'ИУП', at: T0 + 1 },
    ]);
    expect(await findingActions.waivedKeys(m.db, 'S1')).toEqual(new Set(['k1']));
    expect((await findingActions.actionsOf(m.db, 'k1')).map((a) => a.seq)).toEqual([1, 2]);
  });

  it('archives and operator events', async () => {
    await archives.insertCreating(m.db, {
      fileName: 'a.tar.gz',
      paths: ['/media/a.tar.gz'],
      kind: 'period',
      period: '1 четверть',
      schoolId: 'S1',
      createdAt: T0,
      asOf: T0,
    });
    await archives.markComplete(m.db, 'a.tar.gz', {
      paths: ['/media/a.tar.gz', '/nas/a.tar.gz'],
      sha256: 'ab',
      size: 3 * 2 ** 32,
      note: null,
    });
    expect(await archives.list(m.db, { schoolId: 'S1' })).toEqual([
      {
        fileName: 'a.tar.gz',
        paths: ['/media/a.tar.gz', '/nas/a.tar.gz'],
        kind: 'period',
        period: '1 четверть',
        schoolId: 'S1',
        createdAt: T0,
        asOf: T0,
        sha256: 'ab',
        size: 3 * 2 ** 32,
        status: 'complete',
        note: null,
      },
    ]);

    const event = {
      kind: 'schema_drift',
      severity: 'warning' as const,
      schoolId: 'S1',
      message: 'unknown field',
      details: '{"stream":"marks"}',
    };
    await operatorEvents.insert(m.db, { ...event, at: T0 });
    await operatorEvents.insert(m.db, { ...event, at: T0 + 1, schoolId: null, details: null });
    expect(await operatorEvents.exists(m.db, { ...event, schoolId: 'S1' })).toBe(true);
    const open = await operatorEvents.listOpen(m.db, { limit: 20 });
    expect(open.map((e) => [e.at, e.schoolId, e.acknowledgedAt])).toEqual([
      [T0 + 1, null, null],
      [T0, 'S1', null],
    ]);
    expect(typeof open[0]!.id).toBe('number');
    expect(await operatorEvents.openCounts(m.db)).toEqual([
      { kind: 'schema_drift', severity: 'warning', open: 2 },
    ]);
  });
});

describe('row parsing', () => {
  const parse = (row: Record<string, unknown>) =>
    parseRows('t', [row], (r) => ({ n: r.int('n'), s: r.textOrNull('s') }));

  it('reads integers handed over as numbers, bigints or decimal strings', () => {
    expect(parse({ n: 5, s: null })).toEqual([{ n: 5, s: null }]);
    expect(parse({ n: 5n, s: 'x' })).toEqual([{ n: 5, s: 'x' }]);
    expect(parse({ n: '1767225600000', s: null })).toEqual([{ n: 1767225600000, s: null }]);
  });

  it('refuses what is not there or not an integer, saying where', () => {
    expect(() => parse({ n: '1.5', s: null })).toThrow(
      't: column "n" should be an integer, but the row holds "1.5" (string)',
    );
    expect(() => parse({ n: null, s: null })).toThrow(
      't: column "n" should be an integer, but the row holds NULL',
    );
    expect(() => parse({ s: null })).toThrow(
      't: column "n" should be an integer, but the row holds no such column',
    );
    expect(() => parse({ n: 1, s: 7 })).toThrow(
      't: column "s" should be text, but the row holds 7 (number)',
    );
  });
});
