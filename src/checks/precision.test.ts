import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestMirror, ENGINES, type TestMirror } from '../../test/helpers/mirrors.js';
import { at, JournalBuilder } from '../../test/fixtures/checks/builder.js';
import { describePrecision, entryTimePrecision } from './precision.js';

const SCHOOL = '880077';
const HOUR = 3_600_000;

describe.each(ENGINES)('entry time precision on %s', (engine) => {
  let m: TestMirror;
  beforeEach(async () => {
    m = await createTestMirror(engine);
  });
  afterEach(async () => {
    await m?.dispose();
  });

  /** A journal with one mark, entered on the platform at `enteredAt` (null: not given). */
  async function journal(enteredAt: string | null, seenAt = at('2026-10-20T10:00:00')) {
    const b = new JournalBuilder(SCHOOL);
    const cls = b.klass('5А', 5);
    const lesson = b.lesson(cls, b.subject('Математика'), '2026-10-16');
    b.mark(lesson, cls, b.student(cls, 'Иванов Иван'), '5', { enteredAt, seenAt });
    await b.write(m.db);
  }

  async function syncRunsEvery(hours: number, count: number) {
    for (let i = 0; i < count; i++) {
      await m.db.run(
        `INSERT INTO sync_runs (id, school_id, source, mode, status, started_at, scopes_total, scopes_done)
         VALUES (?, ?, 'dnevnik', 'incremental', 'succeeded', ?, 1, 1)`,
        [`run-${i}`, SCHOOL, at('2026-10-19T07:00:00') + i * hours * HOUR],
      );
    }
  }

  it('is the platform when a mark seen or entered by the as-of time carries its entry moment', async () => {
    await journal('2026-10-20T09:00:00');
    expect(await entryTimePrecision(m.db, SCHOOL, at('2026-10-21T10:00:00'))).toBe('platform');
    // As of after its entry moment but before the mirror saw it (before the first sync): it counts.
    expect(await entryTimePrecision(m.db, SCHOOL, at('2026-10-20T09:30:00'))).toBe('platform');
    // As of before it was entered, it does not.
    expect(await entryTimePrecision(m.db, SCHOOL, at('2026-10-20T08:30:00'))).toBe('first-seen');
    // Nor does it for another school.
    expect(await entryTimePrecision(m.db, '990001', at('2026-10-21T10:00:00'))).toBe('first-seen');
  });

  it('is the mean interval between recent syncs when marks carry no entry moment', async () => {
    await journal(null);
    await syncRunsEvery(2, 5);
    const precision = await entryTimePrecision(m.db, SCHOOL, at('2026-10-21T10:00:00'));
    expect(precision).toBe('first-seen:120m');
    expect(describePrecision(precision)).toBe(
      'время внесения — по первой синхронизации, точность ±120 мин',
    );
  });
});
