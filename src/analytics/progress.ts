import { isExempt, type Exemption } from '../checks/exemptions.js';
import { instantToLocalDate } from '../platform/time.js';
import { addSums, NO_MARKS, schoolAverage, type MarkSums } from './averages.js';
import { forecastMark, type Forecast } from './forecast.js';
import {
  classPeriods,
  classStudents,
  subjectNames,
  weekAbsences,
  weekLessons,
  groupMembers,
  weekMarkSums,
  type ClassInfo,
  type ClassPeriod,
} from './journal.js';
import { placeChange, rankByAverage, type Place } from './rating.js';
import type { AnalyticsScope, GradingPolicy } from './scope.js';
import { weekOf, weeksOf, type Week } from './weeks.js';

/**
 * One class's progress over a period (or the year) as of `scope.asOf`: per student and subject a
 * series over the weeks (the week's marks and the running totals from the range's start), the
 * rating in class overall and per subject with the change since last week, and per student and
 * subject a forecast of the period mark. Four grouped queries (journal.ts); the rest is sums.
 */

export interface SubjectWeek {
  week: number;
  /** That week's marks alone. */
  own: MarkSums;
  /** From the range's start to the week's end. */
  running: MarkSums;
  /** The school's average of `running` (weighted or plain by policy). */
  average: number | null;
  absences: number;
  /**
   * Lessons held that week (by `asOf`'s day) that were the student's: the whole class's and, in a
   * split subject, their own subgroup's (the other group's lessons are no mark missed).
   */
  held: number;
}

export interface StudentSubject {
  subjectId: string;
  weeks: SubjectWeek[];
  /** Running totals as of now (the current week's `running`). */
  now: MarkSums;
  average: number | null;
  absences: number;
  place: Place | null;
  /** Places moved up since last week (positive: up), null: no place in one of them. */
  change: number | null;
  /** For a period range; null for the year. */
  forecast: Forecast | null;
}

export interface StudentProgress {
  id: string;
  name: string;
  subjects: StudentSubject[];
  /** The mean of the subjects' averages (each subject counts once, however many marks it has). */
  overall: number | null;
  place: Place | null;
  change: number | null;
  absences: number;
  /** Subjects whose forecast carries a risk flag. */
  risks: number;
}

export interface ClassProgress {
  class: ClassInfo;
  /** The period of the range (the year: null). */
  period: ClassPeriod | null;
  /** The range: the period's dates, or the year's (first period's start to last's finish). */
  start: string;
  finish: string;
  weeks: Week[];
  /** The week holding `asOf`'s day (the last one when after the range, null before it). */
  week: Week | null;
  today: string;
  subjects: { id: string; name: string }[];
  /** Lessons held (by `asOf`'s day) per subject id, per week (index 0: week 1). */
  lessonsHeld: Map<string, number[]>;
  students: StudentProgress[];
}

export interface ProgressOptions {
  /** `period` (default: the one holding `asOf`, else the latest begun) or the whole `year`. */
  range?: 'period' | 'year';
  periodId?: string;
  /**
   * The school's exemptions (`schools[].exemptions`): an exempt student or one on a long absence
   * is not flagged for too few marks, as `mark-accumulation` does not find them.
   */
  exemptions?: readonly Exemption[];
}

export async function classProgress(
  scope: AnalyticsScope,
  klass: ClassInfo,
  policy: GradingPolicy,
  options: ProgressOptions = {},
): Promise<ClassProgress | null> {
  const today = instantToLocalDate(scope.asOf, scope.zone);
  const periods = await classPeriods(scope, klass.id);
  if (periods.length === 0) return null;
  let period: ClassPeriod | null = null;
  let start: string;
  let finish: string;
  if (options.range === 'year') {
    start = periods[0]!.start;
    finish = periods.reduce((f, p) => (p.finish > f ? p.finish : f), periods[0]!.finish);
  } else {
    period = options.periodId
      ? (periods.find((p) => p.periodId === options.periodId) ?? null)
      : (periods.find((p) => p.start <= today && today <= p.finish) ??
        [...periods].reverse().find((p) => p.start <= today) ??
        periods[0]!);
    if (!period) return null;
    ({ start, finish } = period);
  }
  const weeks = weeksOf(start, finish);
  const current =
    today > finish ? weeks[weeks.length - 1]! : today < start ? null : weekOf(weeks, today);
  const [students, cells, absences, lessons] = await Promise.all([
    classStudents(scope, klass.id),
    weekMarkSums(scope, klass.id, weeks),
    weekAbsences(scope, klass.id, weeks),
    weekLessons(scope, klass.id, weeks),
  ]);
  const subjectIds = [
    ...new Set([...lessons.map((l) => l.subjectId), ...cells.map((c) => c.subjectId)]),
  ];
  const names = await subjectNames(scope, subjectIds);
  const subjects = subjectIds
    .map((id) => ({ id, name: names.get(id) ?? id }))
    .sort((a, b) => a.name.localeCompare(b.name, 'ru') || a.id.localeCompare(b.id));

  const key = (student: string, subject: string, week: number) => `${student}|${subject}|${week}`;
  const sums = new Map(cells.map((c) => [key(c.studentId, c.subjectId, c.week), c as MarkSums]));
  const absent = new Map(absences.map((a) => [key(a.studentId, a.subjectId, a.week), a.absences]));
  // Lessons per subject and group ('' for the whole class): a student of a split subject has
  // the class's lessons and their own group's, never the other group's.
  const groupKey = (subject: string, group: string | null) => `${subject}|${group ?? ''}`;
  const lessonsOf = new Map<string, { held: number; ahead: number }>();
  const lessonsHeld = new Map<string, number[]>();
  const heldPerWeek = new Map<string, number[]>();
  const addWeek = (map: Map<string, number[]>, k: string, week: number, n: number) => {
    const perWeek = map.get(k) ?? weeks.map(() => 0);
    perWeek[week - 1] = (perWeek[week - 1] ?? 0) + n;
    map.set(k, perWeek);
  };
  for (const l of lessons) {
    addWeek(lessonsHeld, l.subjectId, l.week, l.held);
    const k = groupKey(l.subjectId, l.groupId);
    addWeek(heldPerWeek, k, l.week, l.held);
    const t = lessonsOf.get(k) ?? { held: 0, ahead: 0 };
    lessonsOf.set(k, { held: t.held + l.held, ahead: t.ahead + l.ahead });
  }
  const members = await groupMembers(scope, [
    ...new Set(lessons.flatMap((l) => (l.groupId ? [l.groupId] : []))),
  ]);
  /** The group keys of a student's lessons in a subject: the class's and their own groups'. */
  const ownKeys = (studentId: string, subjectId: string) => [
    groupKey(subjectId, null),
    ...[...members].flatMap(([group, people]) =>
      people.has(studentId) ? [groupKey(subjectId, group)] : [],
    ),
  ];
  const lessonsFor = (studentId: string, subjectId: string) => {
    const total = { ...(lessonsOf.get(groupKey(subjectId, null)) ?? { held: 0, ahead: 0 }) };
    for (const [group, people] of members) {
      if (!people.has(studentId)) continue;
      const g = lessonsOf.get(groupKey(subjectId, group));
      if (g) {
        total.held += g.held;
        total.ahead += g.ahead;
      }
    }
    return total;
  };
  const days = daysBetween(start, finish) + 1;
  const daysElapsed = Math.max(0, Math.min(days, daysBetween(start, today) + 1));
  const nowWeek = current?.n ?? 0;

  const rows: StudentProgress[] = students.map((s) => {
    const subjectRows = subjects.map((subject): StudentSubject => {
      let running = NO_MARKS;
      let absTotal = 0;
      const own = ownKeys(s.id, subject.id).flatMap((k) => {
        const perWeek = heldPerWeek.get(k);
        return perWeek ? [perWeek] : [];
      });
      const series = weeks.map((w): SubjectWeek => {
        const marks = sums.get(key(s.id, subject.id, w.n)) ?? NO_MARKS;
        running = addSums(running, marks);
        const a = absent.get(key(s.id, subject.id, w.n)) ?? 0;
        if (w.n <= nowWeek) absTotal += a;
        return {
          week: w.n,
          own: marks,
          running,
          average: schoolAverage(running, policy),
          absences: a,
          held: own.reduce((n, perWeek) => n + (perWeek[w.n - 1] ?? 0), 0),
        };
      });
      const now = nowWeek > 0 ? series[nowWeek - 1]!.running : NO_MARKS;
      const l = lessonsFor(s.id, subject.id);
      return {
        subjectId: subject.id,
        weeks: series,
        now,
        average: schoolAverage(now, policy),
        absences: absTotal,
        place: null,
        change: null,
        forecast: period
          ? excuse(
              forecastMark(now, { ...l, daysElapsed, days }, period.type, policy),
              isExempt(options.exemptions ?? [], {
                studentId: s.id,
                subjectId: subject.id,
                from: period.start,
                to: period.finish,
                kinds: ['exempt', 'long_absence'],
              }),
            )
          : null,
      };
    });
    return {
      id: s.id,
      name: s.name,
      subjects: subjectRows,
      overall: meanOf(subjectRows.map((x) => x.average)),
      place: null,
      change: null,
      absences: subjectRows.reduce((n, x) => n + x.absences, 0),
      risks: subjectRows.filter((x) => x.forecast?.risk).length,
    };
  });
  rate(rows, subjects, nowWeek);
  return {
    class: klass,
    period,
    start,
    finish,
    weeks,
    week: current,
    today,
    subjects,
    lessonsHeld,
    students: rows,
  };
}

/** An exempt student's forecast: the average's mark, never «н/а» or a flag for few marks. */
function excuse(f: Forecast, exempt: boolean): Forecast {
  if (!exempt || (f.reason !== 'na' && f.reason !== 'slow')) return f;
  return { ...f, mark: f.byAverage, reason: null, risk: false };
}

/** Places now and as of last week's end, overall and per subject. */
function rate(rows: StudentProgress[], subjects: { id: string }[], nowWeek: number): void {
  const averageAt = (x: StudentSubject, week: number) =>
    week > 0 ? x.weeks[week - 1]!.average : null;
  const overallAt = (r: StudentProgress, week: number) =>
    meanOf(r.subjects.map((x) => averageAt(x, week)));
  const now = rankByAverage(new Map(rows.map((r) => [r.id, overallAt(r, nowWeek)])));
  const before = rankByAverage(new Map(rows.map((r) => [r.id, overallAt(r, nowWeek - 1)])));
  for (const r of rows) {
    r.place = now.get(r.id) ?? null;
    r.change = placeChange(now.get(r.id), before.get(r.id));
  }
  subjects.forEach((_, i) => {
    const at = (week: number) =>
      rankByAverage(new Map(rows.map((r) => [r.id, averageAt(r.subjects[i]!, week)])));
    const [n, b] = [at(nowWeek), at(nowWeek - 1)];
    for (const r of rows) {
      const x = r.subjects[i]!;
      x.place = n.get(r.id) ?? null;
      x.change = placeChange(n.get(r.id), b.get(r.id));
    }
  });
}

function meanOf(values: (number | null)[]): number | null {
  const have = values.filter((v): v is number => v !== null);
  return have.length > 0 ? have.reduce((a, b) => a + b, 0) / have.length : null;
}

function daysBetween(a: string, b: string): number {
  return Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / 86_400_000);
}
