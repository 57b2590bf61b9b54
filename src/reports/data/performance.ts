import { placeholders, type SqlExecutor } from '../../mirror/sql.js';
import { UsageError } from '../../platform/errors.js';
import { addCounts, countMark, emptyCounts, type MarkCounts } from '../metrics.js';
import { listClasses } from './classes.js';
import type { SchoolInfo } from './school.js';

/**
 * Period results: counts of period marks per class and subject (active students only), the sums
 * for the weighted average of current marks, and the teacher who taught most of the lessons.
 * Everything is aggregated in SQL; rows are class × subject.
 */

export interface PerformanceRow {
  classId: string;
  className: string;
  grade: number | null;
  subject: string;
  teacher: string;
  counts: MarkCounts;
  /** Σ(m·w) and Σw over current numeric marks of the period. */
  weightedSum: number;
  weightSum: number;
}

export interface PerformanceData {
  school: SchoolInfo;
  period: string;
  from: string;
  to: string;
  rows: PerformanceRow[];
}

interface Accumulator {
  classId: string;
  subjectId: string;
  teacherId: string | null;
  lessons: number;
  counts: MarkCounts;
  weightedSum: number;
  weightSum: number;
}

const key = (classId: string, subjectId: string): string => `${classId}|${subjectId}`;

export async function loadPerformance(db: SqlExecutor, school: SchoolInfo, period: string): Promise<PerformanceData> {
  const name = period.trim();
  const span = await db.query<{ from_date: string | null; to_date: string | null }>(
    `SELECT min(start_date) AS from_date, max(finish_date) AS to_date FROM reporting_periods
     WHERE school_id = ? AND name = ? AND deleted_at IS NULL`,
    [school.id, name],
  );
  if (!span[0]?.from_date) throw new UsageError(`no reporting period named "${name}" in the mirror`);

  const finals = await db.query<{
    class_id: string;
    subject_id: string;
    value: string;
    mark_system: string | null;
    n: number;
  }>(
    `SELECT f.class_id, f.subject_id, f.value, f.mark_system, count(*) AS n
     FROM final_marks f
     JOIN reporting_periods p ON p.class_id = f.class_id AND p.period_id = f.period_id AND p.deleted_at IS NULL
     JOIN enrollments e ON e.class_id = f.class_id AND e.person_id = f.student_id AND e.status = 'active' AND e.deleted_at IS NULL
     WHERE f.school_id = ? AND f.deleted_at IS NULL AND p.name = ?
     GROUP BY f.class_id, f.subject_id, f.value, f.mark_system`,
    [school.id, name],
  );
  // Averages are on the five-point scale: a 10-point class's marks are not averaged with them
  // (its row has counts by band but no average), and «н/а», «осв», «зач» are no numbers.
  // The subject is the lesson's: the platform's marks often name none (the Dnevnik mirror's
  // marks.subject_id is null), and grouping by it put every average on a row of its own.
  const current = await db.query<{ class_id: string; subject_id: string; ws: number; w: number }>(
    `SELECT m.class_id, coalesce(l.subject_id, m.subject_id) AS subject_id,
       sum(CAST(m.value AS double precision) * coalesce(wt.weight, 1)) AS ws, sum(coalesce(wt.weight, 1)) AS w
     FROM marks m
     JOIN lessons l ON l.id = m.lesson_id AND l.source = m.source AND l.deleted_at IS NULL
     JOIN reporting_periods p ON p.class_id = l.class_id AND p.name = ? AND p.deleted_at IS NULL
       AND l.date >= p.start_date AND l.date <= p.finish_date
     LEFT JOIN work_types wt ON wt.id = m.work_type_id AND wt.source = m.source
     LEFT JOIN works w ON w.id = m.work_id AND w.source = m.source
     WHERE m.school_id = ? AND m.deleted_at IS NULL AND m.counts_in_average = 1 AND m.mark_system = 'mark5'
       AND m.value IN ('1', '2', '3', '4', '5') AND (wt.is_final IS NULL OR wt.is_final = 0)
       AND (w.type IS NULL OR w.type NOT IN ('PeriodMark', 'PeriodFinalMark', 'Exam')) AND (wt.weight IS NULL OR wt.weight > 0)
     GROUP BY m.class_id, coalesce(l.subject_id, m.subject_id)`,
    [name, school.id],
  );
  const taught = await db.query<{ class_id: string; subject_id: string; teacher_id: string | null; n: number }>(
    `SELECT l.class_id, l.subject_id, l.teacher_id, count(*) AS n
     FROM lessons l JOIN reporting_periods p ON p.class_id = l.class_id AND p.name = ? AND p.deleted_at IS NULL
       AND l.date >= p.start_date AND l.date <= p.finish_date
     WHERE l.school_id = ? AND l.deleted_at IS NULL
     GROUP BY l.class_id, l.subject_id, l.teacher_id`,
    [name, school.id],
  );

  const rows = new Map<string, Accumulator>();
  const row = (classId: string, subjectId: string): Accumulator => {
    let r = rows.get(key(classId, subjectId));
    if (!r) {
      r = { classId, subjectId, teacherId: null, lessons: 0, counts: emptyCounts(), weightedSum: 0, weightSum: 0 };
      rows.set(key(classId, subjectId), r);
    }
    return r;
  };
  for (const t of taught) {
    const r = row(t.class_id, t.subject_id);
    if (Number(t.n) > r.lessons && t.teacher_id) {
      r.lessons = Number(t.n);
      r.teacherId = t.teacher_id;
    }
  }
  for (const f of finals) {
    const r = row(f.class_id, f.subject_id);
    for (let i = 0; i < Number(f.n); i++) r.counts = countMark(r.counts, f.value, f.mark_system);
  }
  for (const c of current) {
    const r = row(c.class_id, c.subject_id);
    r.weightedSum = Number(c.ws);
    r.weightSum = Number(c.w);
  }

  const names = async (table: 'subjects' | 'persons', ids: string[]): Promise<Map<string, string>> => {
    const col = table === 'subjects' ? 'name' : 'full_name';
    const out = new Map<string, string>();
    if (ids.length === 0) return out;
    const found = await db.query<{ id: string; name: string }>(
      `SELECT id, ${col} AS name FROM ${table} WHERE school_id = ? AND id IN (${placeholders(ids.length)})`,
      [school.id, ...ids],
    );
    for (const f of found) out.set(f.id, f.name);
    return out;
  };
  const all = [...rows.values()];
  const subjects = await names('subjects', [...new Set(all.map((r) => r.subjectId))]);
  const teachers = await names('persons', [...new Set(all.flatMap((r) => (r.teacherId ? [r.teacherId] : [])))]);
  const classes = new Map((await listClasses(db, school.id)).map((c) => [c.id, c]));

  const result: PerformanceRow[] = all
    .filter((r) => classes.has(r.classId))
    .map((r) => ({
      classId: r.classId,
      className: classes.get(r.classId)!.name,
      grade: classes.get(r.classId)!.grade,
      subject: subjects.get(r.subjectId) ?? '—',
      teacher: (r.teacherId && teachers.get(r.teacherId)) || '—',
      counts: r.counts,
      weightedSum: r.weightedSum,
      weightSum: r.weightSum,
    }))
    .sort(
      (a, b) =>
        (a.grade ?? 99) - (b.grade ?? 99) ||
        a.className.localeCompare(b.className, 'ru') ||
        a.subject.localeCompare(b.subject, 'ru'),
    );
  return { school, period: name, from: span[0].from_date, to: span[0].to_date ?? span[0].from_date, rows: result };
}

export function sumRows(rows: readonly PerformanceRow[]): { counts: MarkCounts; weightedSum: number; weightSum: number } {
  return rows.reduce(
    (acc, r) => ({
      counts: addCounts(acc.counts, r.counts),
      weightedSum: acc.weightedSum + r.weightedSum,
      weightSum: acc.weightSum + r.weightSum,
    }),
    { counts: emptyCounts(), weightedSum: 0, weightSum: 0 },
  );
}
