import type { PersonRecord } from '../../src/connectors/records.js';
import { configSchema, type Config } from '../../src/config/schema.js';
import { upsertRecords, type WriteContext } from '../../src/mirror/mirror-writer.js';
import type { SqlDb } from '../../src/mirror/sql.js';
import { dayStart } from '../../src/platform/time.js';
import { createLogger } from '../../src/platform/logger.js';

/**
 * A small school for the alert tests: two classes (5А with a subgroup, 6Б), their class teachers,
 * a mathematics teacher teaching both, one student each, and findings inserted directly (the
 * checks engine is not needed to test alerts).
 */

export const SCHOOL = '1000002283077';
export const ZONE = 'Europe/Moscow';
export const C5A = '1000000000501';
export const C5A_GROUP = '1000000000511';
export const C6B = '1000000000602';
export const MATH = '1000000000042';
export const RUSSIAN = '1000000000043';
export const T_CT5 = '2000000000001';
export const T_CT6 = '2000000000002';
export const T_MATH = '2000000000003';
export const S5 = '3000000000001';
export const S6 = '3000000000002';
export const L5 = '4000000000005';
export const L6 = '4000000000006';

export const EMAIL_CT5 = 'ivanova@school5.example.ru';
export const EMAIL_CT6 = 'smirnov@school5.example.ru';
export const EMAIL_MATH = 'petrov@school5.example.ru';

/** 2026-10-12 13:00 Moscow: the first scheduled run. */
export const AS_OF = Date.parse('2026-10-12T10:00:00Z');
export const DAY = 24 * 60 * 60 * 1000;

const ctx: WriteContext = {
  source: 'dnevnik',
  schoolId: SCHOOL,
  zone: ZONE,
  observedAt: Date.parse('2026-09-01T06:00:00Z'),
  syncRunId: 'sync-1',
};

function person(
  id: string,
  role: PersonRecord['role'],
  last: string,
  first: string,
  middle: string,
  email: string | null,
): PersonRecord {
  return {
    id,
    schoolId: SCHOOL,
    role,
    lastName: last,
    firstName: first,
    middleName: middle,
    fullName: `${last} ${first} ${middle}`,
    consent: email !== null,
    userId: null,
    sex: null,
    birthday: null,
    email,
    phone: null,
  };
}

export async function seedSchool(db: SqlDb): Promise<void> {
  await db.transaction(async (tx) => {
    await upsertRecords(
      tx,
      'schools',
      [
        {
          id: SCHOOL,
          name: 'Школа № 5',
          fullName: null,
          city: null,
          municipality: null,
          timeZone: ZONE,
        },
      ],
      ctx,
    );
    const cls = (
      id: string,
      name: string,
      grade: number,
      kind: 'class' | 'group',
      parentIds: string[],
    ) => ({
      id,
      schoolId: SCHOOL,
      name,
      fullName: null,
      grade,
      letter: null,
      kind,
      parentIds,
      studyYear: 2026,
      status: null,
    });
    await upsertRecords(
      tx,
      'classes',
      [
        cls(C5A, '5А', 5, 'class', []),
        cls(C5A_GROUP, '5А/1 англ.', 5, 'group', [C5A]),
        cls(C6B, '6Б', 6, 'class', []),
      ],
      ctx,
    );
    await upsertRecords(
      tx,
      'subjects',
      [
        { id: MATH, schoolId: SCHOOL, name: 'Математика', knowledgeArea: null },
        { id: RUSSIAN, schoolId: SCHOOL, name: 'Русский язык', knowledgeArea: null },
      ],
      ctx,
    );
    await upsertRecords(
      tx,
      'persons',
      [
        // The platform's address of the 5А class teacher is stale: config overrides it.
        person(T_CT5, 'teacher', 'Иванова', 'Анна', 'Петровна', 'old-address@school5.example.ru'),
        person(T_CT6, 'teacher', 'Смирнов', 'Олег', 'Игоревич', null),
        person(T_MATH, 'teacher', 'Петров', 'Пётр', 'Петрович', EMAIL_MATH),
        person(S5, 'student', 'Козлов', 'Артём', 'Ильич', null),
        person(S6, 'student', 'Орлова', 'Мария', 'Сергеевна', null),
      ],
      ctx,
    );
    await upsertRecords(
      tx,
      'teacherAssignments',
      [
        {
          id: `${C5A}:class:${T_CT5}:class_teacher`,
          classId: C5A,
          subjectId: null,
          teacherId: T_CT5,
          role: 'class_teacher',
        },
        {
          id: `${C6B}:class:${T_CT6}:class_teacher`,
          classId: C6B,
          subjectId: null,
          teacherId: T_CT6,
          role: 'class_teacher',
        },
        {
          id: `${C5A}:${MATH}:${T_MATH}:subject`,
          classId: C5A,
          subjectId: MATH,
          teacherId: T_MATH,
          role: 'subject',
        },
        {
          id: `${C6B}:${MATH}:${T_MATH}:subject`,
          classId: C6B,
          subjectId: MATH,
          teacherId: T_MATH,
          role: 'subject',
        },
      ],
      ctx,
    );
    const lesson = (id: string, classId: string) => ({
      id,
      classId,
      groupId: null,
      subjectId: MATH,
      date: '2026-10-08',
      startsAt: '2026-10-08T09:00:00',
      number: 2,
      topic: null,
      status: null,
      teacherIds: [T_MATH],
    });
    await upsertRecords(tx, 'lessons', [lesson(L5, C5A), lesson(L6, C6B)], ctx);
  });
}

export interface FindingInput {
  key: string;
  rule: string;
  severity?: string;
  classId: string | null;
  subjectId?: string | null;
  teacherId?: string | null;
  studentId?: string | null;
  lessonId?: string | null;
  date?: string | null;
  deadline?: number | null;
  message: string;
  firstSeenAt?: number;
  resolvedAt?: number | null;
}

export async function insertFinding(db: SqlDb, f: FindingInput): Promise<void> {
  const seen = f.firstSeenAt ?? Date.parse('2026-10-09T09:00:00Z');
  await db.run(
    `INSERT INTO findings (key, rule, severity, school_id, class_id, subject_id, teacher_id, student_id, lesson_id,
       date, deadline, message, details, first_run_id, last_run_id, first_seen_at, last_seen_at, resolved_at, resolved_run_id)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, 'run-1', 'run-1', ?, ?, ?, NULL)`,
    [
      f.key,
      f.rule,
      f.severity ?? 'warning',
      SCHOOL,
      f.classId,
      f.subjectId ?? null,
      f.teacherId ?? null,
      f.studentId ?? null,
      f.lessonId ?? null,
      f.date ?? null,
      f.deadline ?? null,
      f.message,
      seen,
      seen,
      f.resolvedAt ?? null,
    ],
  );
}

export async function resolveFinding(db: SqlDb, key: string, at: number): Promise<void> {
  await db.run(`UPDATE findings SET resolved_at = ?, resolved_run_id = 'run-2' WHERE key = ?`, [
    at,
    key,
  ]);
}

const lessonDeadline = dayStart('2026-10-08', ZONE) + DAY + 12 * 60 * 60 * 1000;

/** The findings of the standard scenario; `audience` notes who must get each. */
export const FINDINGS: (FindingInput & { audience: string[] })[] = [
  {
    key: 'f-att-5a',
    rule: 'attendance-not-kept',
    classId: C5A,
    subjectId: MATH,
    teacherId: T_MATH,
    lessonId: L5,
    date: '2026-10-08',
    deadline: dayStart('2026-10-11', ZONE) + DAY - 60_000,
    message: 'Не отмечена посещаемость: 5А, Математика, 08.10.2026, 2-й урок',
    audience: [T_CT5, T_MATH],
  },
  {
    key: 'f-two-5a',
    rule: 'two-not-corrected',
    severity: 'info',
    classId: C5A,
    subjectId: MATH,
    teacherId: T_MATH,
    studentId: S5,
    lessonId: L5,
    date: '2026-10-08',
    message: 'Неисправленная «2»: Козлов Артём Ильич, Математика, 08.10.2026',
    audience: [T_CT5, T_MATH],
  },
  {
    key: 'f-absent-5a-group',
    rule: 'absent-with-mark',
    classId: C5A_GROUP,
    subjectId: RUSSIAN,
    teacherId: null,
    studentId: S5,
    date: '2026-10-07',
    message: 'Отметка «4» у отсутствовавшего ученика: Козлов Артём Ильич, 5А/1 англ., 07.10.2026',
    audience: [T_CT5],
  },
  {
    key: 'f-att-6b',
    rule: 'attendance-not-kept',
    classId: C6B,
    subjectId: MATH,
    teacherId: T_MATH,
    lessonId: L6,
    date: '2026-10-08',
    message: 'Не отмечена посещаемость: 6Б, Математика, 08.10.2026, 2-й урок',
    audience: [T_CT6, T_MATH],
  },
  {
    key: 'f-topic-6b',
    rule: 'topic-missing',
    classId: C6B,
    subjectId: MATH,
    teacherId: T_MATH,
    lessonId: L6,
    date: '2026-10-08',
    deadline: lessonDeadline,
    message: 'Не заполнена тема урока: 6Б, Математика, 08.10.2026 <b>2-й урок</b>',
    // An entry rule: the teacher who must fix it, and the class teacher who answers for 6Б.
    audience: [T_CT6, T_MATH],
  },
  {
    key: 'f-early-5a',
    rule: 'final-mark-early',
    classId: C5A,
    subjectId: MATH,
    teacherId: T_MATH,
    studentId: S5,
    date: '2026-10-08',
    message: 'Итоговая отметка выставлена раньше последнего урока',
    audience: [],
  },
  {
    key: 'f-resolved-5a',
    rule: 'attendance-not-kept',
    classId: C5A,
    subjectId: MATH,
    teacherId: T_MATH,
    lessonId: L5,
    date: '2026-10-08',
    message: 'Не отмечена посещаемость (уже исправлено)',
    resolvedAt: Date.parse('2026-10-10T09:00:00Z'),
    audience: [],
  },
];

export async function seedFindings(db: SqlDb): Promise<void> {
  for (const f of FINDINGS) await insertFinding(db, f);
}

/** The alerts config of the scenario on top of defaults. */
export function testConfig(alerts: Record<string, unknown> = {}): Config {
  return configSchema.parse({
    schools: [{ id: SCHOOL, timeZone: ZONE }],
    alerts: {
      subjectTeachers: true,
      recipients: { [T_CT5]: EMAIL_CT5, 'Смирнов  Олег Игоревич': EMAIL_CT6 },
      retry: { attempts: 5, baseDelayMs: 20, maxDelayMs: 200 },
      ...alerts,
    },
  });
}

export const silentLogger = createLogger({ level: 'silent', pretty: false });
