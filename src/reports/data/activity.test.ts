import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { at, JournalBuilder, ZONE } from '../../../test/fixtures/checks/builder.js';
import { createTestMirror, ENGINES, type TestMirror } from '../../../test/helpers/mirrors.js';
import { loadActivity } from './activity.js';

/**
 * The monthly activity report counts what teachers did, on the day they did it: an entry the
 * platform stamps counts once, on the local day of its stamp, not on the days a sync happened to
 * observe it (the first sync, a sync after an upgrade, a `--full` sync re-reading everything).
 */
describe.each(ENGINES)('activity by the platform’s entry moments on %s', (engine) => {
  let m: TestMirror;
  const school = '884001';
  const b = new JournalBuilder(school);
  b.school('UTC+3');
  const cls = b.klass('6Б', 6);
  const subject = b.subject('География');
  const teacher = b.teacher('Белова Нина Сергеевна');
  const student = b.student(cls, 'Ершов Антон');
  const FIRST_SYNC = at('2026-10-20T09:00:00');
  const UPGRADE_SYNC = at('2026-10-25T09:00:00');
  const lesson = b.lesson(cls, subject, '2026-10-02', { teacherId: teacher, seenAt: FIRST_SYNC });
  // Entered 03.10 at 00:30 Moscow time (21:30 UTC on 02.10), first seen by the sync of 20.10 ...
  const mark = b.mark(lesson, cls, student, '5', {
    enteredAt: '2026-10-02T21:30:00.5Z',
    seenAt: FIRST_SYNC,
  });
  // ... and one the platform does not stamp: counted as the syncs observed it.
  b.mark(lesson, cls, b.student(cls, 'Жукова Вера'), '4', { seenAt: FIRST_SYNC });
  const entry = b.attendance(lesson, cls, student, 'Absent', FIRST_SYNC);

  beforeAll(async () => {
    m = await createTestMirror(engine);
    await b.write(m.db);
    // The first sync: a full load that finished a few minutes after it read these entries.
    await m.db.run(
      `INSERT INTO sync_runs (id, school_id, source, mode, status, started_at, finished_at, scopes_total, scopes_done)
       VALUES ('first', ?, 'dnevnik', 'full', 'succeeded', ?, ?, 1, 1)`,
      [school, FIRST_SYNC - 60_000, FIRST_SYNC + 5 * 60_000],
    );
    // The sync after an upgrade reads the same entries with more of their fields: new versions
    // of every record, none of them made by a teacher that day.
    b.change('marks', mark, { enteredAt: '2026-10-02T21:30:00.500Z' }, UPGRADE_SYNC);
    b.change('attendance', entry, { createdAt: '2026-10-02T06:10:00Z' }, UPGRADE_SYNC);
    await b.write(m.db);
  });
  afterAll(async () => {
    await m?.dispose();
  });

  it('counts a stamped entry once, on its own local day; no spike on the days of the syncs', async () => {
    const info = { id: school, name: 'Школа', zone: ZONE, director: null, deputyDirector: null };
    const data = await loadActivity(m.db, info, '2026-10');
    const days = data.teachers.find((t) => t.name === 'Белова Нина Сергеевна')!.days;
    expect(days).toEqual({
      2: { attendance: 1 },
      3: { marks: 1 },
    });
  });

  it('shows apart what the first sync loaded without a platform stamp, on no day of the month', async () => {
    const info = { id: school, name: 'Школа', zone: ZONE, director: null, deputyDirector: null };
    const data = await loadActivity(m.db, info, '2026-10');
    const belova = data.teachers.find((t) => t.name === 'Белова Нина Сергеевна')!;
    // The unstamped mark and the lesson's topic (the platform stamps no topic).
    expect(belova.backfill).toEqual({ marks: 1, topics: 1 });
    expect(data.backfillAt).toBe(FIRST_SYNC + 5 * 60_000);
    expect(data.dataAsOf).toBe(FIRST_SYNC + 5 * 60_000);
  });
});
