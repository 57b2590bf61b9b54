import { DateTime } from 'luxon';
import type { SqlExecutor } from '../../mirror/sql.js';
import { UsageError } from '../../platform/errors.js';
import { lastSyncedAt as dataAsOf } from '../../checks/data-time.js';
import type { SchoolInfo } from './school.js';

/**
 * Monthly activity: entries made per teacher and local day. Marks, attendance entries and
 * homework (works of type Homework) count on the day the platform stamped them (entry moment,
 * creation, sent date) where it did, else as the mirror's history saw them (`record_versions`
 * observed in the month: entered or changed); lessons count when their topic was set or changed
 * (the platform stamps no topic). Each entry is attributed to the teacher of its lesson.
 * Counting is done in SQL, except topic changes,
 * which compare a lesson version's topic with the version before it.
 *
 * What the first sync loaded (the backfill: weeks of entries read at once) is nobody's work of
 * that day: entries it observed without a platform stamp are counted apart, per teacher, never on
 * the day of the first sync. The month's days carry whether lessons were held (weekends, holidays
 * and каникулы are days without any lesson of the school).
 */

export type ActivityKind = 'marks' | 'topics' | 'homework' | 'attendance';

export interface ActivityTeacher {
  id: string;
  name: string;
  /** Local day of month (1..31) → kind → count. */
  days: Record<number, Partial<Record<ActivityKind, number>>>;
  /** Entries the first sync loaded in this month without a platform stamp: kind → count. */
  backfill: Partial<Record<ActivityKind, number>>;
}

/** `weekend`: Saturday or Sunday without lessons; `holiday`: a weekday without lessons (праздник, каникулы). */
export type DayKind = 'school' | 'weekend' | 'holiday';

export interface ActivityData {
  school: SchoolInfo;
  month: string;
  daysInMonth: number;
  teachers: ActivityTeacher[];
  /** Local day of month (1..31) → kind; days after the data's moment are `school` (not yet known). */
  dayKinds: Record<number, DayKind>;
  /** When the first sync finished loading (epoch ms), if that was in this month. */
  backfillAt: number | null;
  /** When the mirror's data was last synced (epoch ms), null before the first sync. */
  dataAsOf: number | null;
}

/**
 * The end of the first complete load: the first sync run that finished (succeeded or held); a
 * mirror written without runs (tests, imports) by its first observation.
 */
async function backfillEnd(db: SqlExecutor, schoolId: string): Promise<number | null> {
  const run = await db.query<{ at: number | string | null }>(
    `SELECT min(finished_at) AS at FROM sync_runs WHERE school_id = ? AND status IN ('succeeded', 'held')`,
    [schoolId],
  );
  if (run[0]?.at !== null && run[0]?.at !== undefined) return Number(run[0].at);
  const first = await db.query<{ at: number | string | null }>(
    'SELECT min(observed_at) AS at FROM record_versions WHERE school_id = ?',
    [schoolId],
  );
  return first[0]?.at === null || first[0]?.at === undefined ? null : Number(first[0].at);
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
  // An integer from the mirror, written into the SQL like the offset; -1: no backfill.
  const loadedUntil = await backfillEnd(db, school.id);
  const until = loadedUntil === null ? -1 : Math.floor(loadedUntil);
  const counted = async (
    kind: ActivityKind,
    sql: string,
  ): Promise<{ kind: ActivityKind; teacher_id: string | null; day: number; n: number; backfill: boolean }[]> =>
    (await db.query<{ teacher_id: string | null; day: number; n: number; backfill?: number | string }>(sql, window)).map((r) => ({
      kind,
      teacher_id: r.teacher_id,
      day: Math.floor(Number(r.day)),
      n: Number(r.n),
      backfill: Number(r.backfill ?? 0) === 1,
    }));

  // Entries the platform stamps (a mark's entry moment, an attendance entry's creation, a
  // homework's sent date) count once, on the local day of that stamp; the others by the versions
  // the mirror's syncs observed. Versions alone put a month's entries on the day of the first sync
  // after an upgrade or of a `--full` sync (a spike nobody made), and entries of the days before
  // the first sync nowhere.
  const stamped = (table: string, alias: string, stamp: string, extra = '') =>
    `SELECT l.teacher_id, (${alias}.${stamp} + ${b.offset}) / ${DAY_MS} AS day, count(*) AS n
     FROM ${table} ${alias}
     JOIN lessons l ON l.id = ${alias}.lesson_id AND l.source = ${alias}.source
     WHERE ${alias}.school_id = ? AND ${alias}.${stamp} >= ? AND ${alias}.${stamp} < ?${extra}
     GROUP BY 1, 2`;
  const observed = (table: string, alias: string, entity: string, stamp: string, extra = '') =>
    `SELECT l.teacher_id, (rv.observed_at + ${b.offset}) / ${DAY_MS} AS day,
       CASE WHEN rv.observed_at <= ${until} THEN 1 ELSE 0 END AS backfill, count(*) AS n
     FROM record_versions rv
     JOIN ${table} ${alias} ON ${alias}.id = rv.record_id AND ${alias}.source = rv.source${extra}
     JOIN lessons l ON l.id = ${alias}.lesson_id AND l.source = ${alias}.source
     WHERE rv.school_id = ? AND rv.entity = '${entity}' AND rv.observed_at >= ? AND rv.observed_at < ? AND ${CHANGES}
       AND ${alias}.${stamp} IS NULL
     GROUP BY 1, 2, 3`;
  const homeworkOnly = " AND w.type = 'Homework'";
  const marks = [
    ...(await counted('marks', stamped('marks', 'm', 'entered_at'))),
    ...(await counted('marks', observed('marks', 'm', 'marks', 'entered_at'))),
  ];
  const homework = [
    ...(await counted('homework', stamped('works', 'w', 'sent_at', homeworkOnly))),
    ...(await counted('homework', observed('works', 'w', 'works', 'sent_at', homeworkOnly))),
  ];
  const attendance = [
    ...(await counted('attendance', stamped('attendance', 'a', 'created_at'))),
    ...(await counted('attendance', observed('attendance', 'a', 'attendance', 'created_at'))),
  ];
  const lessonVersions = await db.query<{ teacher_id: string | null; day: number; observed_at: number | string; payload: string; prev: string | null }>(
    `SELECT l.teacher_id, (rv.observed_at + ${b.offset}) / ${DAY_MS} AS day, rv.observed_at, rv.payload, p.payload AS prev
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
    .map((v) => ({
      kind: 'topics' as const,
      teacher_id: v.teacher_id,
      day: Math.floor(Number(v.day)),
      n: 1,
      backfill: Number(v.observed_at) <= until,
    }));

  const teacherRows = await db.query<{ id: string; full_name: string }>(
    `SELECT id, full_name FROM persons WHERE school_id = ? AND role = 'teacher' AND deleted_at IS NULL`,
    [school.id],
  );
  const teachers = new Map<string, ActivityTeacher>(
    teacherRows.map((t) => [t.id, { id: t.id, name: t.full_name, days: {}, backfill: {} }]),
  );
  let backfilled = false;
  for (const e of [...marks, ...homework, ...attendance, ...topics]) {
    const id = e.teacher_id ?? '';
    let t = teachers.get(id);
    if (!t) teachers.set(id, (t = { id, name: id ? `(учитель ${id})` : '(учитель не указан)', days: {}, backfill: {} }));
    if (e.backfill) {
      t.backfill[e.kind] = (t.backfill[e.kind] ?? 0) + e.n;
      backfilled = true;
      continue;
    }
    const day = e.day - b.epochDay0 + 1;
    const d = (t.days[day] ??= {});
    d[e.kind] = (d[e.kind] ?? 0) + e.n;
  }
  const asOf = await dataAsOf(db, school.id);
  return {
    school,
    month,
    daysInMonth: b.days,
    teachers: [...teachers.values()].sort((a, b2) => a.name.localeCompare(b2.name, 'ru')),
    dayKinds: await dayKinds(db, school, month, b.days, asOf),
    backfillAt: backfilled ? until : null,
    dataAsOf: asOf,
  };
}

/**
 * Which days of the month had lessons. The mirror keeps no school calendar: a day without any
 * lesson of the school is a day off (a Saturday or Sunday: выходной; a weekday: праздник or
 * каникулы). Days after the data's moment are not judged: their lessons may be entered later.
 */
async function dayKinds(db: SqlExecutor, school: SchoolInfo, month: string, days: number, asOf: number | null): Promise<Record<number, DayKind>> {
  const rows = await db.query<{ date: string }>(
    'SELECT DISTINCT date FROM lessons WHERE school_id = ? AND deleted_at IS NULL AND date >= ? AND date <= ?',
    [school.id, `${month}-01`, `${month}-31`],
  );
  const held = new Set(rows.map((r) => String(r.date).slice(0, 10)));
  const known = asOf === null ? '' : DateTime.fromMillis(asOf, { zone: school.zone }).toISODate()!;
  const out: Record<number, DayKind> = {};
  for (let d = 1; d <= days; d++) {
    const date = `${month}-${String(d).padStart(2, '0')}`;
    const weekday = DateTime.fromISO(date, { zone: school.zone }).weekday;
    out[d] = held.has(date) || date > known ? 'school' : weekday >= 6 ? 'weekend' : 'holiday';
  }
  return out;
}

function topicOf(payload: string): string {
  try {
    const topic = (JSON.parse(payload) as { topic?: unknown }).topic;
    return typeof topic === 'string' ? topic.trim() : '';
  } catch {
    return '';
  }
}
