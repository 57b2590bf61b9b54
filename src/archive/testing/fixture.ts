import type {
  AttendanceRecord,
  LessonRecord,
  MarkRecord,
  PersonRecord,
} from '../../connectors/records.js';
import { upsertRecords, type WriteContext } from '../../mirror/mirror-writer.js';
import { deleteMissing } from '../../mirror/scope-deletion.js';
import type { SqlDb } from '../../mirror/sql.js';

/**
 * A small school for archive tests, written through the real mirror writer so that history
 * (`record_versions`) is genuine: inserts, updates and deletions. Text holds what breaks naive
 * CSV (commas, quotes, line breaks, Cyrillic); ids exceed 2^53; there is a second school whose
 * rows a one-school archive must leave out, and bookkeeping rows with generated keys.
 */

export const SCHOOL = '1000002283077';
export const OTHER_SCHOOL = '1000002283078';
const CLASS_A = '1847814077665489232';
const CLASS_B = '1847814077665489233';
const SUBJECT = '9007199254740993';

export interface FixtureOptions {
  /** Marks of the main class (the bulk of the data). */
  marks?: number;
}

export async function buildArchiveFixture(db: SqlDb, options: FixtureOptions = {}): Promise<void> {
  const markCount = options.marks ?? 300;
  const ctx = (observedAt: number, schoolId = SCHOOL): WriteContext => ({
    source: 'dnevnik',
    schoolId,
    zone: 'Europe/Moscow',
    observedAt,
    syncRunId: 'run-1',
  });
  const t0 = Date.UTC(2026, 9, 1);
  const students: PersonRecord[] = Array.from({ length: 25 }, (_, i) => ({
    id: String(1000000000000n + BigInt(i)),
    schoolId: SCHOOL,
    role: 'student',
    lastName: `Иванов-${i}`,
    firstName: 'Пётр',
    middleName: i % 2 ? 'Сергеевич' : null,
    fullName: `Иванов-${i} Пётр`,
    consent: i % 5 === 0,
    userId: String(2000000000000n + BigInt(i)),
    sex: 'Male',
    birthday: '2014-03-01',
    email: null,
    phone: null,
  }));
  const lessons: LessonRecord[] = Array.from({ length: 40 }, (_, i) => ({
    id: String(2421882773904846063n + BigInt(i)),
    classId: CLASS_A,
    groupId: null,
    subjectId: SUBJECT,
    date: `2026-10-${String(1 + (i % 28)).padStart(2, '0')}`,
    startsAt: null,
    number: 1 + (i % 6),
    topic: i % 7 === 0 ? 'Дроби, "обыкновенные"\nи десятичные; 2,5 + 1,5' : `Тема урока №${i}`,
    status: 'Conducted',
    teacherIds: ['777'],
  }));
  const mark = (i: number, value: string): MarkRecord => ({
    id: String(5000000000000000000n + BigInt(i)),
    classId: CLASS_A,
    lessonId: lessons[i % lessons.length]!.id,
    workId: null,
    studentId: students[i % students.length]!.id,
    subjectId: SUBJECT,
    value,
    markSystem: 'mark5',
    mood: null,
    workTypeId: '7',
    countsInAverage: true,
    number: 1,
    enteredAt: null,
  });
  const attendance: AttendanceRecord[] = lessons.slice(0, 10).map((l, i) => ({
    id: `${l.id}:${students[i]!.id}`,
    lessonId: l.id,
    studentId: students[i]!.id,
    classId: CLASS_A,
    subjectId: SUBJECT,
    status: i % 3 ? 'Absent' : 'Ill',
    createdAt: `${l.date}T10:15:00`,
    comment: i === 0 ? 'по болезни, справка' : null,
  }));

  await db.transaction(async (tx) => {
    const c = ctx(t0);
    await upsertRecords(
      tx,
      'schools',
      [
        {
          id: SCHOOL,
          name: 'МБОУ СОШ № 1',
          fullName: null,
          city: 'Пермь',
          municipality: null,
          timeZone: 'Europe/Moscow',
        },
      ],
      c,
    );
    await upsertRecords(
      tx,
      'classes',
      [
        {
          id: CLASS_A,
          schoolId: SCHOOL,
          name: '5А',
          fullName: '5 «А»',
          grade: 5,
          letter: 'А',
          kind: 'class',
          parentIds: [],
          studyYear: 2026,
          status: null,
        },
        {
          id: CLASS_B,
          schoolId: SCHOOL,
          name: '5А-1',
          fullName: null,
          grade: 5,
          letter: null,
          kind: 'group',
          parentIds: [CLASS_A],
          studyYear: 2026,
          status: null,
        },
      ],
      c,
    );
    await upsertRecords(tx, 'persons', students, c);
    await upsertRecords(
      tx,
      'enrollments',
      students.map((s) => ({
        id: `${CLASS_A}:${s.id}`,
        classId: CLASS_A,
        personId: s.id,
        status: 'active' as const,
      })),
      c,
    );
    await upsertRecords(
      tx,
      'subjects',
      [{ id: SUBJECT, schoolId: SCHOOL, name: 'Математика', knowledgeArea: null }],
      c,
    );
    await upsertRecords(
      tx,
      'workTypes',
      [
        {
          id: '7',
          schoolId: SCHOOL,
          kind: 'LessonAnswer',
          title: 'Ответ на уроке',
          abbr: 'О',
          weight: 1.5,
          isFinal: false,
        },
      ],
      c,
    );
    await upsertRecords(
      tx,
      'reportingPeriods',
      [1, 2].map((n) => ({
        id: `${CLASS_A}:${n}`,
        periodId: String(n),
        classId: CLASS_A,
        type: 'quarter' as const,
        number: n,
        name: `${n} четверть`,
        start: n === 1 ? '2026-09-01' : '2026-11-05',
        finish: n === 1 ? '2026-10-26' : '2026-12-28',
        year: 2026,
      })),
      c,
    );
    await upsertRecords(tx, 'lessons', lessons, c);
    await upsertRecords(tx, 'attendance', attendance, c);
    await upsertRecords(
      tx,
      'finalMarks',
      students.slice(0, 5).map((s, i) => ({
        id: `fm-${s.id}`,
        studentId: s.id,
        classId: CLASS_A,
        subjectId: SUBJECT,
        periodId: '1',
        periodType: 'quarter',
        periodNumber: 1,
        value: String(3 + (i % 3)),
        markSystem: 'mark5',
        date: '2026-10-26T00:00:00',
        workId: null,
      })),
      c,
    );
    for (let i = 0; i < markCount; i += 5000) {
      const batch = Array.from({ length: Math.min(5000, markCount - i) }, (_, k) =>
        mark(i + k, String(2 + ((i + k) % 4))),
      );
      await upsertRecords(tx, 'marks', batch, c);
    }
    await upsertRecords(
      tx,
      'schools',
      [
        {
          id: OTHER_SCHOOL,
          name: 'Другая школа',
          fullName: null,
          city: null,
          municipality: null,
          timeZone: null,
        },
      ],
      ctx(t0, OTHER_SCHOOL),
    );
    await tx.run(
      `INSERT INTO sync_runs (id, school_id, source, mode, status, started_at, finished_at, scopes_total, scopes_done, error, notes) VALUES (?, ?, 'dnevnik', 'full', 'succeeded', ?, ?, 3, 3, NULL, ?)`,
      ['run-1', SCHOOL, t0, t0 + 1000, '{"refused":[]}'],
    );
    await tx.run(
      `INSERT INTO sync_run_streams (run_id, stream, requests, retries, inserted, changed, unchanged, deleted, quarantined, errors, duration_ms) VALUES ('run-1', 'marks', 10, 1, ?, 0, 0, 0, 0, 0, 5000)`,
      [markCount],
    );
    await tx.run(
      `INSERT INTO quarantine (source, school_id, stream, record_ref, reason, payload, observed_at, sync_run_id) VALUES ('dnevnik', ?, 'marks', 'x', 'missing value', '{}', ?, 'run-1')`,
      [SCHOOL, t0],
    );
    await tx.run(
      `INSERT INTO operator_events (at, kind, severity, school_id, message, details) VALUES (?, 'schema_drift', 'warning', ?, 'unknown field "foo"', NULL)`,
      [t0, SCHOOL],
    );
    await tx.run(
      `INSERT INTO operator_events (at, kind, severity, school_id, message, details) VALUES (?, 'schema_drift', 'warning', ?, 'other school', NULL)`,
      [t0, OTHER_SCHOOL],
    );
  });

  // History: a day later some marks change and two disappear from a full class fetch.
  await db.transaction(async (tx) => {
    const c = ctx(t0 + 86_400_000);
    const changed = Array.from({ length: Math.min(50, markCount) }, (_, i) => mark(i, '5'));
    await upsertRecords(tx, 'marks', changed, c);
    const seen = new Set(Array.from({ length: markCount }, (_, i) => mark(i, '5').id).slice(2));
    await deleteMissing(
      tx,
      'marks',
      { classId: CLASS_A, from: '2026-09-01', to: '2026-12-31' },
      seen,
      c,
      { maxShare: 1, minRows: Number.MAX_SAFE_INTEGER },
    );
  });
}
