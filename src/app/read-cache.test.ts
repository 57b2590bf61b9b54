import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestMirror, ENGINES, type TestMirror } from '../../test/helpers/mirrors.js';
import * as checkRuns from '../mirror/repositories/check-runs.js';
import { readDataVersion } from '../mirror/repositories/data-version.js';
import { appendActions } from '../mirror/repositories/finding-actions.js';
import * as syncRuns from '../mirror/repositories/sync-runs.js';
import { ManualClock } from '../platform/clock.js';
import { ReadCache } from './read-cache.js';

/**
 * The web's read cache is only as right as the data version it is keyed by: every writer that
 * changes what a page shows (a sync starting, committing a scope, ending; a check run starting
 * and ending; an action on a finding) must move it, even with a clock that stands still (the
 * sandbox's), and another school's writes must not.
 */
describe.each(ENGINES)('the data version and the read cache on %s', (engine) => {
  let m: TestMirror;
  const at = 1_760_000_000_000;
  const clock = new ManualClock(at);
  const app = () => ({ mirror: () => Promise.resolve(m), clock });

  beforeAll(async () => {
    m = await createTestMirror(engine);
  });
  afterAll(async () => {
    await m?.dispose();
  });

  it('moves with every write a page can show, the clock standing still; not with another school', async () => {
    const seen = new Set<string>();
    const step = async (what: string) => {
      const v = await readDataVersion(m.db, 'school-1');
      expect(seen.has(v), `${what}: version ${v} seen before`).toBe(false);
      seen.add(v);
    };
    await step('empty');
    const sync = { source: 'dnevnik', mode: 'incremental' as const, startedAt: at, notes: '{}' };
    await syncRuns.insertRun(m.db, { id: 's1', schoolId: 'school-1', ...sync });
    await step('sync started');
    await m.db.transaction((tx) => syncRuns.recordScopeDone(tx, 's1'));
    await step('a scope committed');
    await syncRuns.finishRun(m.db, 's1', { status: 'succeeded', finishedAt: at, error: null });
    await step('sync finished');
    await syncRuns.insertRun(m.db, { id: 's2', schoolId: 'school-1', ...sync });
    await syncRuns.finishRun(m.db, 's2', { status: 'succeeded', finishedAt: at, error: null });
    await step('another sync at the same instant');
    const run = {
      schoolId: 'school-1',
      asOf: at,
      startedAt: at,
      rules: '{}',
      entryTimePrecision: 'platform',
      kind: 'current' as const,
    };
    await checkRuns.insertRun(m.db, { id: 'c1', ...run });
    await step('check started');
    await checkRuns.markSucceeded(m.db, 'c1', at, { findingCount: 0 });
    await step('check finished');
    const action = { schoolId: 'school-1', reason: null, actor: 'завуч', at };
    await appendActions(m.db, [{ findingKey: 'f1', action: 'acknowledge', ...action }]);
    await step('finding acknowledged');

    const before = await readDataVersion(m.db, 'school-1');
    await syncRuns.insertRun(m.db, { id: 'other', schoolId: 'school-2', ...sync });
    await appendActions(m.db, [
      { findingKey: 'f2', action: 'waive', ...action, schoolId: 'school-2', reason: 'x' },
    ]);
    expect(await readDataVersion(m.db, 'school-1')).toBe(before);
  });

  it('loads once for concurrent readers, again after a change or a minute, never keeps a failure', async () => {
    const cache = new ReadCache(app());
    let loads = 0;
    const load = async () => {
      loads++;
      await new Promise((r) => setTimeout(r, 20));
      return { n: loads };
    };
    const firsts = await Promise.all(
      Array.from({ length: 10 }, () => cache.read('k', ['school-1'], load)),
    );
    expect(loads).toBe(1);
    expect(new Set(firsts).size).toBe(1);
    expect(await cache.read('k', ['school-1'], load)).toBe(firsts[0]);

    await appendActions(m.db, [
      {
        findingKey: 'f3',
        action: 'acknowledge',
        schoolId: 'school-1',
        reason: null,
        actor: 'a',
        at,
      },
    ]);
    expect(await cache.read('k', ['school-1'], load)).toEqual({ n: 2 });
    clock.set(at + 61_000);
    expect(await cache.read('k', ['school-1'], load)).toEqual({ n: 3 });
    // Another school's version is not this entry's business.
    await syncRuns.insertRun(m.db, {
      id: 'other-2',
      schoolId: 'school-2',
      source: 'dnevnik',
      mode: 'incremental',
      startedAt: at,
      notes: '{}',
    });
    expect(await cache.read('k', ['school-1'], load)).toEqual({ n: 3 });

    let fail = true;
    const flaky = async () => {
      if (fail) throw new Error('mirror busy');
      return { ok: true };
    };
    await expect(cache.read('f', ['school-1'], flaky)).rejects.toThrow('mirror busy');
    fail = false;
    expect(await cache.read('f', ['school-1'], flaky)).toEqual({ ok: true });
  });

  it('answers a load pushed out of the cache while it ran; keeps one entry per key, not per minute', async () => {
    const cache = new ReadCache(app());
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const slow = cache.read('dashboard', ['school-1'], async () => {
      await gate;
      return { total: 1 };
    });
    // Meanwhile other viewers open 600 other pages: more than the cache holds.
    for (let i = 0; i < 600; i++) {
      await cache.read(`klass:${i}`, ['school-1'], async () => ({ summary: null }));
    }
    release();
    await expect(slow).resolves.toEqual({ total: 1 });

    // Two hours of views of unchanged data: a timeless read loads once; a timed one once a
    // minute, each replacing the last (the cache never holds more than it may).
    const timeless = new ReadCache(app());
    let loads = 0;
    let timedLoads = 0;
    for (let minute = 0; minute < 120; minute++) {
      await timeless.read('directory', ['school-1'], async () => ({ n: ++loads }), {
        timeless: true,
      });
      await timeless.read('trend', ['school-1'], async () => ({ n: ++timedLoads }));
      clock.advance(60_000);
    }
    expect(loads).toBe(1);
    expect(timedLoads).toBe(120);
    expect((timeless as unknown as { entries: { size: number } }).entries.size).toBe(2);
  });
});
