import { placeholders, type SqlExecutor } from '../../mirror/sql.js';
import { UsageError } from '../../platform/errors.js';
import { addCounts, countMark, emptyCounts, type MarkCounts } from '../metrics.js';
import { listClasses, type ClassInfo } from './classes.js';
import { lastSyncedAt as dataAsOf } from '../../checks/data-time.js';
import { namesPeriod, periodTitle, type PeriodRow } from './periods.js';
import type { SchoolInfo } from './school.js';
import { countStandings, standing, type CategoryCounts, type StudentStanding } from './student-categories.js';

/**
 * Period results: for every class but grade 1 (безотметочное обучение), the class's own period
 * that the named one stands for (a half-year class's «1 полугодие» for «II четверть»), counts of
 * period marks per subject (active students only), each student's standing over all their period
 * marks (качество and успеваемость count students), the previous period of the same kind for the
 * change, and the lessons missed. Rows are class × subject.
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

export interface StudentResult {
  name: string;
  standing: StudentStanding;
}

export interface ClassAttendance {
  /** Lessons missed (н, б, п), of them for illness (б) and for a valid reason (п). */
  missed: number;
  ill: number;
  excused: number;
}

export interface ClassResult {
  classId: string;
  className: string;
  grade: number | null;
  /** The class's own period («1 полугодие»), null when none stands for the one asked. */
  period: { id: string; title: string; from: string; to: string } | null;
  /** Why a class has no results for this period (half-year classes after a first quarter). */
  note: string | null;
  students: StudentResult[];
  categories: CategoryCounts;
  /** The same class's previous period of the same kind. */
  previous: { title: string; categories: CategoryCounts } | null;
  attendance: ClassAttendance;
  /** Students enrolled now (the attendance per student divides by it). */
  enrolled: number;
}

export interface PerformanceData {
  school: SchoolInfo;
  /** The period's platform name as found (file names, editions), e.g. «1 четверть». */
  period: string;
  /** The period as the school names it in documents, e.g. «I четверть». */
  periodTitle: string;
  from: string;
  to: string;
  rows: PerformanceRow[];
  classes: ClassResult[];
  /** Grade-1 classes, left out (no marks there). */
  excluded: string[];
  /** When the mirror's data was last synced (epoch ms), null before the first sync. */
  dataAsOf: number | null;
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

type ClassPeriod = PeriodRow & { class_id: string };

const key = (classId: string, id: string): string => `${classId}|${id}`;

/**
 * The class's period the named one stands for: its own of that name, else the one of its
 * periods that ends within the named span (a half-year ending with the II quarter); null when
 * none does (a half-year class has no results for the I quarter).
 */
function matchPeriod(own: readonly ClassPeriod[], typed: string, from: string, to: string): ClassPeriod | null {
  const named = own.find((p) => namesPeriod(typed, p, own));
  if (named) return named;
  const terms = own.filter((p) => p.type !== 'year');
  const ending = terms.filter((p) => p.finish_date >= from && p.finish_date <= to);
  return ending.sort((a, b) => b.finish_date.localeCompare(a.finish_date))[0] ?? null;
}

function previousOf(own: readonly ClassPeriod[], p: ClassPeriod): ClassPeriod | null {
  return (
    own
      .filter((o) => o.type === p.type && o.start_date < p.start_date)
      .sort((a, b) => b.start_date.localeCompare(a.start_date))[0] ?? null
  );
}

export async function loadPerformance(db: SqlExecutor, school: SchoolInfo, period: string): Promise<PerformanceData> {
  const typed = period.trim();
  const periodRows = (
    await db.query<ClassPeriod>(
      `SELECT p.class_id, p.period_id, p.type, p.number, p.name, p.start_date, p.finish_date
       FROM reporting_periods p JOIN classes c ON c.id = p.class_id AND c.source = p.source
       WHERE c.school_id = ? AND p.deleted_at IS NULL
       ORDER BY p.start_date, p.period_id`,
      [school.id],
    )
  ).map((r) => ({ ...r, number: Number(r.number) }));
  const byClass = new Map<string, ClassPeriod[]>();
  for (const p of periodRows) byClass.set(p.class_id, [...(byClass.get(p.class_id) ?? []), p]);
  // Any type, the year («Год») too: a title counts periods of its own type only.
  const asked = [...byClass.values()].flatMap((own) =>
    own.filter((p) => namesPeriod(typed, p, own)).map((p) => ({ p, title: periodTitle(p, own) })),
  );
  if (asked.length === 0) throw new UsageError(`no reporting period named "${typed}" in the mirror`);
  const from = asked.map((a) => a.p.start_date).sort()[0]!;
  const to = asked.map((a) => a.p.finish_date).sort().at(-1)!;

  const allClasses = await listClasses(db, school.id);
  const excluded = allClasses.filter((c) => c.grade === 1).map((c) => c.name);
  const included = allClasses.filter((c) => c.grade !== 1);
  const chosen = new Map<string, { current: ClassPeriod | null; previous: ClassPeriod | null }>();
  for (const c of included) {
    const own = byClass.get(c.id) ?? [];
    const current = matchPeriod(own, typed, from, to);
    chosen.set(c.id, { current, previous: current ? previousOf(own, current) : null });
  }
  const currentPairs = new Set([...chosen].flatMap(([c, v]) => (v.current ? [key(c, v.current.period_id)] : [])));
  const previousPairs = new Set([...chosen].flatMap(([c, v]) => (v.previous ? [key(c, v.previous.period_id)] : [])));
  const periodIds = [...new Set([...chosen.values()].flatMap((v) => [v.current, v.previous]).flatMap((p) => (p ? [p.period_id] : [])))];
  const ids = periodIds.length > 0 ? periodIds : [''];

  const finals = await db.query<{
    class_id: string;
    subject_id: string;
    period_id: string;
    student_id: string;
    value: string;
    mark_system: string | null;
  }>(
    `SELECT f.class_id, f.subject_id, f.period_id, f.student_id, f.value, f.mark_system
     FROM final_marks f
     JOIN enrollments e ON e.class_id = f.class_id AND e.person_id = f.student_id AND e.status = 'active' AND e.deleted_at IS NULL
     WHERE f.school_id = ? AND f.deleted_at IS NULL AND f.period_id IN (${placeholders(ids.length)})`,
    [school.id, ...ids],
  );
  // Averages are on the five-point scale: a 10-point class's marks are not averaged with them
  // (its row has counts by band but no average), and «н/а», «осв», «зач» are no numbers.
  // The subject is the lesson's: the platform's marks often name none (the Dnevnik mirror's
  // marks.subject_id is null), and grouping by it put every average on a row of its own.
  const current = await db.query<{ class_id: string; period_id: string; subject_id: string; ws: number; w: number }>(
    `SELECT l.class_id, p.period_id, coalesce(l.subject_id, m.subject_id) AS subject_id,
       sum(CAST(m.value AS double precision) * coalesce(wt.weight, 1)) AS ws, sum(coalesce(wt.weight, 1)) AS w
     FROM marks m
     JOIN lessons l ON l.id = m.lesson_id AND l.source = m.source AND l.deleted_at IS NULL
     JOIN reporting_periods p ON p.class_id = l.class_id AND p.period_id IN (${placeholders(ids.length)}) AND p.deleted_at IS NULL
       AND l.date >= p.start_date AND l.date <= p.finish_date
     LEFT JOIN work_types wt ON wt.id = m.work_type_id AND wt.source = m.source
     LEFT JOIN works w ON w.id = m.work_id AND w.source = m.source
     WHERE m.school_id = ? AND m.deleted_at IS NULL AND m.counts_in_average = 1 AND m.mark_system = 'mark5'
       AND m.value IN ('1', '2', '3', '4', '5') AND (wt.is_final IS NULL OR wt.is_final = 0)
       AND (w.type IS NULL OR w.type NOT IN ('PeriodMark', 'PeriodFinalMark', 'Exam')) AND (wt.weight IS NULL OR wt.weight > 0)
     GROUP BY l.class_id, p.period_id, coalesce(l.subject_id, m.subject_id)`,
    [...ids, school.id],
  );
  const taught = await db.query<{ class_id: string; period_id: string; subject_id: string; teacher_id: string | null; n: number }>(
    `SELECT l.class_id, p.period_id, l.subject_id, l.teacher_id, count(*) AS n
     FROM lessons l JOIN reporting_periods p ON p.class_id = l.class_id AND p.period_id IN (${placeholders(ids.length)})
       AND p.deleted_at IS NULL AND l.date >= p.start_date AND l.date <= p.finish_date
     WHERE l.school_id = ? AND l.deleted_at IS NULL
     GROUP BY l.class_id, p.period_id, l.subject_id, l.teacher_id`,
    [...ids, school.id],
  );
  const missed = await db.query<{ class_id: string; period_id: string; status: string; n: number }>(
    `SELECT l.class_id, p.period_id, a.status, count(*) AS n
     FROM attendance a
     JOIN lessons l ON l.id = a.lesson_id AND l.source = a.source AND l.deleted_at IS NULL
     JOIN reporting_periods p ON p.class_id = l.class_id AND p.period_id IN (${placeholders(ids.length)})
       AND p.deleted_at IS NULL AND l.date >= p.start_date AND l.date <= p.finish_date
     WHERE a.school_id = ? AND a.deleted_at IS NULL AND a.status IN ('Absent', 'Ill', 'Pass')
     GROUP BY l.class_id, p.period_id, a.status`,
    [...ids, school.id],
  );
  const enrolledRows = await db.query<{ class_id: string; n: number }>(
    `SELECT class_id, count(*) AS n FROM enrollments WHERE school_id = ? AND status = 'active' AND deleted_at IS NULL GROUP BY class_id`,
    [school.id],
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
  const inCurrent = (r: { class_id: string; period_id: string }) => currentPairs.has(key(r.class_id, r.period_id));
  for (const t of taught.filter(inCurrent)) {
    const r = row(t.class_id, t.subject_id);
    if (Number(t.n) > r.lessons && t.teacher_id) {
      r.lessons = Number(t.n);
      r.teacherId = t.teacher_id;
    }
  }
  for (const f of finals.filter(inCurrent)) {
    const r = row(f.class_id, f.subject_id);
    r.counts = countMark(r.counts, f.value, f.mark_system);
  }
  for (const c of current.filter(inCurrent)) {
    const r = row(c.class_id, c.subject_id);
    r.weightedSum += Number(c.ws);
    r.weightSum += Number(c.w);
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
  const subjects = await names('subjects', [...new Set([...all.map((r) => r.subjectId), ...finals.map((f) => f.subject_id)])]);
  const persons = await names('persons', [
    ...new Set([...all.flatMap((r) => (r.teacherId ? [r.teacherId] : [])), ...finals.map((f) => f.student_id)]),
  ]);
  const classes = new Map(included.map((c) => [c.id, c]));

  const result: PerformanceRow[] = all
    .filter((r) => classes.has(r.classId))
    .map((r) => ({
      classId: r.classId,
      className: classes.get(r.classId)!.name,
      grade: classes.get(r.classId)!.grade,
      subject: subjects.get(r.subjectId) ?? '—',
      teacher: (r.teacherId && persons.get(r.teacherId)) || '—',
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

  const finalsByClass = new Map<string, typeof finals>();
  for (const f of finals) {
    const list = finalsByClass.get(f.class_id);
    if (list) list.push(f);
    else finalsByClass.set(f.class_id, [f]);
  }
  const standings = (pairs: Set<string>, classId: string): StudentResult[] => {
    const perStudent = new Map<string, { subject: string; value: string; system: string | null }[]>();
    for (const f of finalsByClass.get(classId) ?? []) {
      if (!pairs.has(key(f.class_id, f.period_id))) continue;
      const list = perStudent.get(f.student_id) ?? [];
      list.push({ subject: subjects.get(f.subject_id) ?? '—', value: f.value, system: f.mark_system });
      perStudent.set(f.student_id, list);
    }
    return [...perStudent]
      .flatMap(([id, marks]) => {
        const s = standing(marks.sort((a, b) => a.subject.localeCompare(b.subject, 'ru')));
        return s ? [{ name: persons.get(id) ?? `(учащийся ${id})`, standing: s }] : [];
      })
      .sort((a, b) => a.name.localeCompare(b.name, 'ru'));
  };
  const enrolled = new Map(enrolledRows.map((r) => [r.class_id, Number(r.n)]));
  const classResults: ClassResult[] = included.map((c: ClassInfo) => {
    const { current: cur, previous: prev } = chosen.get(c.id)!;
    const own = byClass.get(c.id) ?? [];
    const students = cur ? standings(currentPairs, c.id) : [];
    const attendance: ClassAttendance = { missed: 0, ill: 0, excused: 0 };
    for (const m of missed) {
      if (m.class_id !== c.id || !cur || m.period_id !== cur.period_id) continue;
      attendance.missed += Number(m.n);
      if (m.status === 'Ill') attendance.ill += Number(m.n);
      if (m.status === 'Pass') attendance.excused += Number(m.n);
    }
    const before = prev ? countStandings(standings(previousPairs, c.id).map((s) => s.standing)) : null;
    return {
      classId: c.id,
      className: c.name,
      grade: c.grade,
      period: cur
        ? { id: cur.period_id, title: periodTitle(cur, own), from: cur.start_date, to: cur.finish_date }
        : null,
      note: cur ? null : noResultsNote(own),
      students,
      categories: countStandings(students.map((s) => s.standing)),
      previous: prev && before && before.n > 0 ? { title: periodTitle(prev, own), categories: before } : null,
      attendance,
      enrolled: enrolled.get(c.id) ?? 0,
    };
  });
  return {
    school,
    period: asked[0]!.p.name,
    periodTitle: asked[0]!.title,
    from,
    to,
    rows: result,
    classes: classResults,
    excluded,
    dataAsOf: await dataAsOf(db, school.id),
  };
}

function noResultsNote(own: readonly ClassPeriod[]): string {
  const kinds = [...new Set(own.map((p) => p.type))];
  if (kinds.length === 0) return 'учебные периоды класса не заданы';
  if (kinds.includes('half_year')) return 'аттестация по полугодиям: итоговых отметок за этот период нет';
  return 'итоговых отметок за этот период нет';
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
