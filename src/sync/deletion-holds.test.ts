import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { configSchema, type Config } from '../config/schema.js';
import { ManualClock } from '../platform/clock.js';
import { createLogger } from '../platform/logger.js';
import { createTestMirror, ENGINES, type TestMirror } from '../../test/helpers/mirrors.js';
import type { SyncOptions } from './request.js';
import { syncSchool } from '../jobs/sync-school.js';
import {
  FakeConnector,
  type FakeConnectorOptions,
  type FakeData,
} from './testing/fake-connector.js';
import { fakeSchool, FAKE_SCHOOL_ID } from './testing/fake-school.js';

/**
 * Deletions the sync must hold back (issue 23, data loss 1–3): rows under a quarantined parent,
 * a whole scope or parent emptied however small, and a scope worn away run after run; the run
 * that holds them is `held`, and `--confirm-deletions` applies what the platform still confirms.
 */

const logger = createLogger({ level: 'silent' });
const T0 = Date.parse('2026-10-20T10:00:00+03:00');
const HOUR = 3_600_000;

function config(): Config {
  return configSchema.parse({
    schools: [{ id: FAKE_SCHOOL_ID, timeZone: 'Europe/Moscow' }],
    jobs: { backoffMs: 0 },
  });
}

describe.each(ENGINES)('deletions held back by the sync (fake connector, %s)', (engine) => {
  let m: TestMirror;
  let clock: ManualClock;
  beforeEach(async () => {
    m = await createTestMirror(engine);
    clock = new ManualClock(T0);
  });
  afterEach(async () => m.dispose());

  const run = (data: FakeData, options: SyncOptions = {}, fake: FakeConnectorOptions = {}) =>
    syncSchool(
      { db: m.db, connector: new FakeConnector(data, fake), clock, logger, config: config() },
      { schoolId: FAKE_SCHOOL_ID, ...options },
    );
  const deletedIds = async (table: string, ids: string[]) =>
    (
      await m.db.query<{ id: string }>(
        `SELECT id FROM ${table} WHERE deleted_at IS NOT NULL AND id IN (${ids.map(() => '?').join(', ')})`,
        ids,
      )
    ).map((r) => r.id);
  const liveCount = async (table: string) =>
    Number(
      (
        await m.db.query<{ n: number }>(
          `SELECT count(*) AS n FROM ${table} WHERE deleted_at IS NULL`,
        )
      )[0]!.n,
    );
  const events = () =>
    m.db.query<{ severity: string; message: string }>(
      "SELECT severity, message FROM operator_events WHERE kind = 'mass_deletion_refused'",
    );

  /** The platform sends lesson `lessonId` in a shape that fails validation (e.g. subject null). */
  function quarantineLesson(data: FakeData, lessonId: string, ref: string | null = lessonId) {
    const drifted: FakeData = {
      ...data,
      lessons: data.lessons.filter((l) => l.id !== lessonId),
      works: data.works.filter((w) => w.lessonId !== lessonId),
      attendance: data.attendance.filter((a) => a.lessonId !== lessonId),
    };
    const fake: FakeConnectorOptions = {
      quarantined: [
        { stream: 'lessons', reason: 'subject: is required', payload: { id: lessonId }, ref },
      ],
    };
    return { drifted, fake };
  }

  it('keeps the homework and attendance of a quarantined lesson, and the lesson', async () => {
    const data = fakeSchool();
    await run(data);
    const lesson = data.lessons.find((l) => l.date === '2026-10-19' && l.classId === '200')!;
    const { drifted, fake } = quarantineLesson(data, lesson.id);
    clock.advance(HOUR);
    const summary = await run(drifted, { full: true }, fake);
    const works = data.works.filter((w) => w.lessonId === lesson.id).map((w) => w.id);
    const entries = data.attendance.filter((a) => a.lessonId === lesson.id).map((a) => a.id);
    expect(works.length).toBeGreaterThan(0);
    expect(await deletedIds('works', works)).toEqual([]);
    expect(await deletedIds('attendance', entries)).toEqual([]);
    expect(await deletedIds('lessons', [lesson.id])).toEqual([]);
    expect(summary.streams.find((s) => s.stream === 'lessons')!.quarantined).toBeGreaterThan(0);
    // Nothing needs an operator: the rows were kept, not held for confirmation.
    expect(summary.status).toBe('succeeded');
  });

  it('keeps every child row of a window whose quarantined lesson has no readable id', async () => {
    const data = fakeSchool();
    await run(data);
    const lesson = data.lessons.find((l) => l.date === '2026-10-19' && l.classId === '200')!;
    const { drifted, fake } = quarantineLesson(data, lesson.id, null);
    clock.advance(HOUR);
    await run(drifted, { full: true }, fake);
    const works = data.works.filter((w) => w.lessonId === lesson.id).map((w) => w.id);
    const entries = data.attendance.filter((a) => a.lessonId === lesson.id).map((a) => a.id);
    expect(await deletedIds('works', works)).toEqual([]);
    expect(await deletedIds('attendance', entries)).toEqual([]);
  });

  it('holds back an emptied class list of a small school, says so, and marks the run held', async () => {
    const data = fakeSchool();
    await run(data);
    clock.advance(HOUR);
    const summary = await run({ ...data, classes: [] });
    expect(await liveCount('classes')).toBe(2);
    expect(summary.status).toBe('held');
    expect(summary.refusals).toEqual([
      expect.objectContaining({ stream: 'classes', missing: 2, reason: 'scope-emptied' }),
    ]);
    const ev = await events();
    expect(ev.length).toBe(1);
    expect(ev[0]!.severity).toBe('critical');
    expect(ev[0]!.message).toContain('--confirm-deletions');
    const rows = await m.db.query<{ status: string }>('SELECT status FROM sync_runs WHERE id = ?', [
      summary.runId,
    ]);
    expect(rows[0]!.status).toBe('held');

    // A held run is finished: the next run starts anew (it is not resumed) and holds again.
    clock.advance(HOUR);
    const again = await run({ ...data, classes: [] });
    expect(again.runId).not.toBe(summary.runId);
    expect(again.status).toBe('held');

    // The operator confirms: the deletions the platform still confirms are applied.
    clock.advance(HOUR);
    const confirmed = await run({ ...data, classes: [] }, { confirmDeletions: true });
    expect(confirmed.mode).toBe('confirm');
    expect(confirmed.status).toBe('succeeded');
    expect(await liveCount('classes')).toBe(0);
  });

  it('applies nothing on confirmation that the platform no longer confirms', async () => {
    const data = fakeSchool();
    await run(data);
    clock.advance(HOUR);
    expect((await run({ ...data, classes: [] })).status).toBe('held');
    clock.advance(HOUR);
    // The platform is back to normal: the classes come back, nothing is deleted.
    const confirmed = await run(data, { confirmDeletions: true });
    expect(confirmed.status).toBe('succeeded');
    expect(await liveCount('classes')).toBe(2);
  });

  it('holds back a lesson losing all its attendance entries, below minRows', async () => {
    const data = fakeSchool();
    await run(data);
    const lesson = data.lessons.find((l) => l.date === '2026-10-19' && l.classId === '200')!;
    const entries = data.attendance.filter((a) => a.lessonId === lesson.id).map((a) => a.id);
    expect(entries.length).toBe(3);
    clock.advance(HOUR);
    const summary = await run({
      ...data,
      attendance: data.attendance.filter((a) => a.lessonId !== lesson.id),
    });
    expect(await deletedIds('attendance', entries)).toEqual([]);
    expect(summary.status).toBe('held');
    expect(summary.refusals).toEqual([
      expect.objectContaining({ stream: 'attendance', reason: 'parent-emptied' }),
    ]);
  });

  it('deletes a lesson the platform removed together with everything under it', async () => {
    const data = fakeSchool();
    await run(data);
    const lesson = data.lessons.find((l) => l.date === '2026-10-19' && l.classId === '200')!;
    clock.advance(HOUR);
    const summary = await run({
      ...data,
      lessons: data.lessons.filter((l) => l.id !== lesson.id),
      works: data.works.filter((w) => w.lessonId !== lesson.id),
      marks: data.marks.filter((x) => x.lessonId !== lesson.id),
      attendance: data.attendance.filter((a) => a.lessonId !== lesson.id),
    });
    expect(summary.status).toBe('succeeded');
    expect(await deletedIds('lessons', [lesson.id])).toEqual([lesson.id]);
    const entries = data.attendance.filter((a) => a.lessonId === lesson.id).map((a) => a.id);
    expect((await deletedIds('attendance', entries)).sort()).toEqual(entries.sort());
  });

  it('still deletes a few marks a teacher removed', async () => {
    const data = fakeSchool();
    await run(data);
    const gone = data.marks.filter((x) => x.classId === '200' && x.enteredAt! >= '2026-10-14');
    clock.advance(HOUR);
    const summary = await run({ ...data, marks: data.marks.filter((x) => x !== gone[0]) });
    expect(summary.status).toBe('succeeded');
    expect(await deletedIds('marks', [gone[0]!.id])).toEqual([gone[0]!.id]);
  });

  it('holds back a class losing 15 % of its marks on every run once the losses add up', async () => {
    const data = fakeSchool();
    await run(data);
    const statuses: string[] = [];
    const reasons: (string | undefined)[] = [];
    let marks = data.marks;
    for (let i = 0; i < 3; i++) {
      // About 15 % of class 5А's marks vanish from the platform before each run.
      const live = marks.filter((x) => x.classId === '200');
      const drop = new Set(live.filter((_, k) => k % 7 === i).map((x) => x.id));
      marks = marks.filter((x) => !drop.has(x.id));
      clock.advance(HOUR);
      const summary = await run({ ...data, marks }, { full: true });
      statuses.push(summary.status);
      reasons.push(summary.refusals.find((r) => r.stream === 'marks')?.reason);
    }
    // Each loss alone is under the 20 % per run; the second one adds up beyond 25 % in the window
    // (and the third, still missing the second's marks, is held as well).
    expect(statuses).toEqual(['succeeded', 'held', 'held']);
    expect(reasons[1]).toBe('window');
  });
});
