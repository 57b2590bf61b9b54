import { DateTime } from 'luxon';
import type { SqlExecutor } from '../../mirror/sql.js';
import { UsageError } from '../../platform/errors.js';
import type { SchoolInfo } from './school.js';

/**
 * Monthly activity: entries made per teacher and local day, as the mirror's history saw them
 * (`record_versions` observed in the month): marks and attendance entered or changed, homework
 * (works of type Homework) entered or changed, lessons whose topic was set or changed. Each entry
 * is attributed to the teacher of its lesson. Counting is done in SQL, except topic changes,
 * which compare a lesson version's topic with the version before it.
 */

export type ActivityKind = 'marks' | 'topics' | 'homework' | 'attendance';

export interface ActivityTeacher {
  id: string;
  name: string;
  /** Local day of month (1..31) → kind → count. */
  days: Record<number, Partial<Record<ActivityKind, number>>>;
}

export interface ActivityData {
  school: SchoolInfo;
  month: string;
  daysInMonth: number;
  teachers: ActivityTeacher[];
}

const DAY_MS = 86_400_000;
const CHANGES = "rv.change_kind IN ('insert', 'update', 'restore')";

export function monthBounds(month: string, zone: string): { from: number; to: number; offset: number; days: number; epochDay0: number } {
  if (!/^\d{4}-(0[1-9]|1[0-2])$/.test(month)) throw new UsageError(`invalid --month "${month}": expected YYYY-MM`);
  const start = DateTime.fromISO(`${month}-01`, { zone });
  if (!start.isValid) throw new UsageError(`invalid time zone "${zone}"`);
  const end = start.plus({ months: 1 });
  // Russian zones keep one offset all year: a local day is a fixed shift of the UTC day. The
  // offset is an integer written into the SQL, so day numbers are integer division on both engines.
  const offset = start.offset * 60_000;
  return {
    from: start.toMillis(),
    to: end.toMillis(),
    offset,
    days: start.daysInMonth ?? 31,
    epochDay0: Math.floor((start.toMillis() + offset) / DAY_MS),
  };
}

export async function loadActivity(db: SqlExecutor, school: SchoolInfo, month: string): Promise<ActivityData> {
  const b = monthBounds(month, school.zone);
  const window = [school.id, b.from, b.to];
  const counted = async (kind: ActivityKind, sql: string): Promise<{ kind: ActivityKind; teacher_id: string | null; day: number; n: number }[]> =>
    (await db.query<{ teacher_id: string | null; day: number; n: number }>(sql, window)).map((r) => ({
      kind,
      teacher_id: r.teacher_id,
      day: Math.floor(Number(r.day)),
      n: Number(r.n),
    }));

  const marks = await counted(
    'marks',
    `SELECT l.teacher_id, (rv.observed_at + ${b.offset}) / ${DAY_MS} AS day, count(*) AS n
     FROM record_versions rv
     JOIN marks m ON m.id = rv.record_id AND m.source = rv.source
     JOIN lessons l ON l.id = m.lesson_id AND l.source = m.source
     WHERE rv.school_id = ? AND rv.entity = 'marks' AND rv.observed_at >= ? AND rv.observed_at < ? AND ${CHANGES}
     GROUP BY 1, 2`,
  );
  const homework = await counted(
    'homework',
    `SELECT l.teacher_id, (rv.observed_at + ${b.offset}) / ${DAY_MS} AS day, count(*) AS n
     FROM record_versions rv
     JOIN works w ON w.id = rv.record_id AND w.source = rv.source AND w.type = 'Homework'
     JOIN lessons l ON l.id = w.lesson_id AND l.source = w.source
     WHERE rv.school_id = ? AND rv.entity = 'works' AND rv.observed_at >= ? AND rv.observed_at < ? AND ${CHANGES}
     GROUP BY 1, 2`,
  );
  const attendance = await counted(
    'attendance',
    `SELECT l.teacher_id, (rv.observed_at + ${b.offset}) / ${DAY_MS} AS day, count(*) AS n
     FROM record_versions rv
     JOIN attendance a ON a.id = rv.record_id AND a.source = rv.source
     JOIN lessons l ON l.id = a.lesson_id AND l.source = a.source
     WHERE rv.school_id = ? AND rv.entity = 'attendance' AND rv.observed_at >= ? AND rv.observed_at < ? AND ${CHANGES}
     GROUP BY 1, 2`,
  );
  const lessonVersions = await db.query<{ teacher_id: string | null; day: number; payload: string; prev: string | null }>(
    `SELECT l.teacher_id, (rv.observed_at + ${b.offset}) / ${DAY_MS} AS day, rv.payload, p.payload AS prev
     FROM record_versions rv
     JOIN lessons l ON l.id = rv.record_id AND l.source = rv.source
     LEFT JOIN record_versions p ON p.entity = rv.entity AND p.source = rv.source AND p.record_id = rv.record_id
       AND p.version = rv.version - 1
     WHERE rv.school_id = ? AND rv.entity = 'lessons' AND rv.observed_at >= ? AND rv.observed_at < ? AND ${CHANGES}`,
    window,
  );
  const topics = lessonVersions
    .filter((v) => {
      const now = topicOf(v.payload);
      return now !== '' && now !== (v.prev === null ? '' : topicOf(v.prev));
    })
    .map((v) => ({ kind: 'topics' as const, teacher_id: v.teacher_id, day: Math.floor(Number(v.day)), n: 1 }));

  const teacherRows = await db.query<{ id: string; full_name: string }>(
    `SELECT id, full_name FROM persons WHERE school_id = ? AND role = 'teacher' AND deleted_at IS NULL`,
    [school.id],
  );
  const teachers = new Map<string, ActivityTeacher>(teacherRows.map((t) => [t.id, { id: t.id, name: t.full_name, days: {} }]));
  for (const e of [...marks, ...homework, ...attendance, ...topics]) {
    const id = e.teacher_id ?? '';
    let t = teachers.get(id);
    if (!t) teachers.set(id, (t = { id, name: id ? `(учитель ${id})` : '(учитель не указан)', days: {} }));
    const day = e.day - b.epochDay0 + 1;
    const d = (t.days[day] ??= {});
    d[e.kind] = (d[e.kind] ?? 0) + e.n;
  }
  return {
    school,
    month,
    daysInMonth: b.days,
    teachers: [...teachers.values()].sort((a, b2) => a.name.localeCompare(b2.name, 'ru')),
  };
}

function topicOf(payload: string): string {
  try {
    const topic = (JSON.parse(payload) as { topic?: unknown }).topic;
    return typeof topic === 'string' ? topic.trim() : '';
  } catch {
    return '';
  }
}
