import {
  classesOfStudent,
  classPeriods,
  classProgress,
  DEFAULT_POLICY,
  findClasses,
  homeworkBetween,
  markOf,
  marksBetween,
  placeText,
  schoolStudents,
  shown,
  type AnalyticsScope,
  type ClassInfo,
  type ClassPeriod,
  type ClassProgress,
  type ForecastMark,
  type GradingPolicy,
  type HomeworkEntry,
  type MarkEntry,
  type RiskReason,
  type StudentProgress,
} from './index.js';
import { normalizeName } from '../alerts/recipients.js';
import { mirrorCoverage } from '../checks/data-time.js';
import type { Config } from '../config/schema.js';
import { loadSchoolContexts, type SchoolContext } from '../mirror/school-context.js';
import { namesPeriod, periodTitle, type PeriodRow } from '../reports/data/periods.js';
import type { SqlExecutor } from '../mirror/sql.js';
import { UsageError } from '../platform/errors.js';

/** What the service reads with: the app's config and mirror (the AppContext, a DocumentApp). */
export interface ProgressApp {
  config: Config;
  mirror(): Promise<{ db: SqlExecutor }>;
}

/**
 * Each student's progress as the class teacher, the parents and the administration see it
 * (issue 21; regulations 004 §2.2, §3.8–3.9, §4.1, 001 §2.1, 003 ¶8): the service the doors call
 * (the CLI, a web page later) and the documents (the weekly sheet, the extract) load from; it sits
 * in the domain layer so that reports/ may call it. It reads, shapes and validates; it does not print,
 * and it never logs a name (personal data).
 */

export interface SheetCell {
  subjectId: string;
  /** This week's marks, oldest first. */
  weekMarks: string[];
  /** The school's average over the period so far, two decimals. */
  average: number | null;
  place: string | null;
  forecast: ForecastMark | null;
  risk: RiskReason | null;
}

export interface SheetStudent {
  id: string;
  name: string;
  overall: number | null;
  /** `2`, or `2–3` for a shared place; null: no marks. */
  place: string | null;
  /** Places moved up since last week (negative: down). */
  change: number | null;
  /** Absences this week and over the period so far. */
  weekAbsences: number;
  absences: number;
  cells: SheetCell[];
}

export interface RiskItem {
  studentId: string;
  studentName: string;
  subjectName: string;
  forecast: ForecastMark | null;
  reason: RiskReason;
  average: number | null;
  marks: number;
  norm: number | null;
}

/** The class teacher's weekly sheet: the class's students × subjects for the week of `asOf`. */
export interface ClassSheet {
  schoolId: string;
  className: string;
  classId: string;
  asOf: number;
  period: { name: string; start: string; finish: string } | null;
  week: { n: number; start: string; end: string } | null;
  subjects: { id: string; name: string }[];
  students: SheetStudent[];
  /** Forecast «2» or «н/а», or marks too slow for the norm: one line per student and subject. */
  atRisk: RiskItem[];
  /** Subjects with lessons this week but no mark at all for the student, per student. */
  missingMarks: {
    studentId: string;
    studentName: string;
    subjectId: string;
    subjectName: string;
  }[];
}

export interface ExtractSubject {
  subjectId: string;
  subjectName: string;
  marks: MarkEntry[];
  average: number | null;
  /** The running average at each week's end of the period (the dynamics chart). */
  series: { week: number; end: string; average: number | null }[];
  absences: number;
  forecast: ForecastMark | null;
  risk: RiskReason | null;
  place: string | null;
}

/** A student's extract for the parents (003 ¶8): marks by subject for a week or the period. */
export interface StudentExtract {
  schoolId: string;
  studentId: string;
  studentName: string;
  className: string;
  asOf: number;
  range: { kind: 'week' | 'period'; start: string; end: string };
  period: { name: string; start: string; finish: string } | null;
  overall: number | null;
  place: string | null;
  change: number | null;
  absences: number;
  subjects: ExtractSubject[];
  homework: (HomeworkEntry & { subjectName: string })[];
}

export interface ShareFigures {
  /** Students with a mark for every subject that has one: `n`, of which passing / good. */
  students: number;
  /** Успеваемость: no «2» and no «н/а», in %. */
  success: number | null;
  /** Качество: only «4» and «5», in %. */
  quality: number | null;
}

export interface ClassForecast {
  classId: string;
  className: string;
  period: string | null;
  /** From the averages as they stand, rounded by the profile (no «н/а»). */
  current: ShareFigures;
  /** If the forecasts hold («н/а» included). */
  forecast: ShareFigures;
  atRisk: number;
}

export interface ForecastSummary {
  schoolId: string;
  asOf: number;
  classes: ClassForecast[];
  school: { current: ShareFigures; forecast: ShareFigures; atRisk: number };
}

export interface SheetInput {
  school?: string;
  /** The class's name («5А») or id. */
  class: string;
  asOf: number;
  /**
   * A period by name («2 четверть» or «II четверть»); default the period of `asOf`. A period
   * already over is shown at its last week.
   */
  period?: string;
}

export interface ExtractInput {
  school?: string;
  /** The student's person id or full name («Фамилия Имя»). */
  student: string;
  asOf: number;
  /** The week of `asOf` (default) or its period so far. */
  range?: 'week' | 'period';
  /** A period by name («2 четверть» or «II четверть»): that period (so far), whatever `range`. */
  period?: string;
}

export interface ForecastInput {
  school?: string;
  /** Class names or ids; default every class from grade 2 (grade 1 has no marks). */
  classes?: readonly string[];
  asOf: number;
  /**
   * Class id → the class's own period to forecast (the period results document's: a half-year
   * class's «1 полугодие» for «II четверть»); a class not in it: its period of `asOf`.
   */
  periodOf?: ReadonlyMap<string, string>;
}

export class ProgressService {
  constructor(private readonly app: ProgressApp) {}

  /** The school's averaging and rounding: `final-mark-objectivity` and `mark-accumulation` settings. */
  policy(): GradingPolicy {
    const rules = this.app.config.checks.rules as Record<string, Record<string, unknown>>;
    const fmo = rules['final-mark-objectivity'] ?? {};
    const acc = rules['mark-accumulation'] ?? {};
    return {
      profile: (fmo.profile as GradingPolicy['profile']) ?? DEFAULT_POLICY.profile,
      weighted: (fmo.weighted as boolean) ?? DEFAULT_POLICY.weighted,
      norm: {
        mode: (acc.mode as GradingPolicy['norm']['mode']) ?? DEFAULT_POLICY.norm.mode,
        quarter: (acc.quarter as number) ?? DEFAULT_POLICY.norm.quarter,
        halfYear: (acc.halfYear as number) ?? DEFAULT_POLICY.norm.halfYear,
        byHours: (acc.byHours as GradingPolicy['norm']['byHours']) ?? DEFAULT_POLICY.norm.byHours,
      },
    };
  }

  async classSheet(input: SheetInput): Promise<ClassSheet> {
    const { scope, school } = await this.scope(input.school, input.asOf);
    const klass = await findClass(scope, input.class);
    const p = await this.progress(scope, klass, school.exemptions, input.period);
    const week = p.week;
    const marks = week ? await marksBetween(scope, klass.id, week.start, week.end) : [];
    const byCell = groupMarks(marks);
    const subjectName = new Map(p.subjects.map((s) => [s.id, s.name]));
    const students = p.students.map((s): SheetStudent => {
      const cells = s.subjects.map((x) => ({
        subjectId: x.subjectId,
        weekMarks: (byCell.get(`${s.id}|${x.subjectId}`) ?? []).map((m) => m.value),
        average: shown(x.average),
        place: x.place ? placeText(x.place) : null,
        forecast: x.forecast?.mark ?? null,
        risk: x.forecast?.reason ?? null,
      }));
      return {
        id: s.id,
        name: s.name,
        overall: shown(s.overall),
        place: s.place ? placeText(s.place) : null,
        change: s.change,
        weekAbsences: week
          ? s.subjects.reduce((n, x) => n + (x.weeks[week.n - 1]?.absences ?? 0), 0)
          : 0,
        absences: s.absences,
        cells,
      };
    });
    // The student's lessons held this week (the class's and their own subgroup's, never the other
    // group's) and no mark at all for them: the sheet's "missing marks".
    const missingMarks = week
      ? p.students.flatMap((s) =>
          s.subjects
            .filter((x) => (x.weeks[week.n - 1]?.held ?? 0) > 0)
            .filter((x) => (x.weeks[week.n - 1]?.own.marks ?? 0) === 0)
            .map((x) => ({
              studentId: s.id,
              studentName: s.name,
              subjectId: x.subjectId,
              subjectName: subjectName.get(x.subjectId) ?? '',
            })),
        )
      : [];
    return {
      schoolId: school.id,
      className: klass.name,
      classId: klass.id,
      asOf: input.asOf,
      period: p.period && { name: p.period.name, start: p.period.start, finish: p.period.finish },
      week: week && { ...week },
      subjects: p.subjects,
      students,
      atRisk: risksOf(p),
      missingMarks,
    };
  }

  async studentExtract(input: ExtractInput): Promise<StudentExtract> {
    const { scope, school } = await this.scope(input.school, input.asOf);
    const studentId = await findStudent(scope, input.student);
    const [classId] = await classesOfStudent(scope, studentId);
    if (!classId) throw new UsageError('the student is in no class at that instant');
    const klass = (await findClasses(scope)).find((c) => c.id === classId);
    if (!klass) throw new UsageError('the student is in no class at that instant');
    const p = await this.progress(scope, klass, school.exemptions, input.period);
    const s = p.students.find((x) => x.id === studentId);
    if (!s) throw new UsageError('the student is in no class at that instant');
    const kind = input.period !== undefined ? 'period' : (input.range ?? 'week');
    const from = kind === 'week' ? (p.week?.start ?? p.start) : p.start;
    const to =
      kind === 'week' ? (p.week?.end ?? p.finish) : p.today < p.finish ? p.today : p.finish;
    const [marks, homework] = await Promise.all([
      marksBetween(scope, klass.id, from, to, studentId),
      homeworkBetween(scope, klass.id, from, to, studentId),
    ]);
    const byCell = groupMarks(marks);
    const names = new Map(p.subjects.map((x) => [x.id, x.name]));
    const nowWeek = p.week?.n ?? 0;
    return {
      schoolId: school.id,
      studentId,
      studentName: s.name,
      className: klass.name,
      asOf: input.asOf,
      range: { kind, start: from, end: to },
      period: p.period && { name: p.period.name, start: p.period.start, finish: p.period.finish },
      overall: shown(s.overall),
      place: s.place ? placeText(s.place) : null,
      change: s.change,
      absences: s.absences,
      subjects: s.subjects.map((x) => ({
        subjectId: x.subjectId,
        subjectName: names.get(x.subjectId) ?? '',
        marks: byCell.get(`${studentId}|${x.subjectId}`) ?? [],
        average: shown(x.average),
        series: x.weeks
          .filter((w) => w.week <= nowWeek)
          .map((w) => ({ week: w.week, end: p.weeks[w.week - 1]!.end, average: shown(w.average) })),
        absences: x.absences,
        forecast: x.forecast?.mark ?? null,
        risk: x.forecast?.reason ?? null,
        place: x.place ? placeText(x.place) : null,
      })),
      homework: homework.map((h) => ({ ...h, subjectName: names.get(h.subjectId) ?? '' })),
    };
  }

  /**
   * Classes with a weekly sheet to send for the week of `day`: from grade 2 (grade 1 has no
   * marks), with a reporting period holding that day (none in the holidays), by name.
   */
  async classesInSession(input: {
    school?: string;
    day: string;
    asOf: number;
  }): Promise<ClassInfo[]> {
    const { scope } = await this.scope(input.school, input.asOf);
    const out: ClassInfo[] = [];
    for (const c of await findClasses(scope)) {
      if (c.grade !== null && c.grade < 2) continue;
      const periods = await classPeriods(scope, c.id);
      if (periods.some((p) => p.start <= input.day && input.day <= p.finish)) out.push(c);
    }
    return out;
  }

  /** Expected успеваемость and качество per class and for the school, beside the current figures. */
  async forecastSummary(input: ForecastInput): Promise<ForecastSummary> {
    const { scope, school } = await this.scope(input.school, input.asOf);
    const all = await findClasses(scope);
    // With `periodOf` the classes are a document's own ids: one the mirror does not hold as a
    // class at `asOf` has no forecast (its row shows none) rather than failing the document.
    const classes = input.classes?.length
      ? input.periodOf
        ? all.filter((c) => input.classes!.includes(c.id))
        : await Promise.all(input.classes.map((c) => findClass(scope, c, all)))
      : all.filter((c) => c.grade === null || c.grade >= 2);
    const out: ClassForecast[] = [];
    const policy = this.policy();
    const tally = { current: new Tally(), forecast: new Tally(), atRisk: 0 };
    for (const klass of classes) {
      const periodId = input.periodOf?.get(klass.id);
      const p = await classProgress(scope, klass, policy, {
        exemptions: school.exemptions,
        ...(periodId !== undefined ? { periodId } : {}),
      });
      if (!p) continue;
      const current = new Tally();
      const forecast = new Tally();
      for (const s of p.students) {
        const now = s.subjects.map((x) => markOf(x.now, policy)).filter((m) => m !== null);
        const ahead = s.subjects.map((x) => x.forecast?.mark ?? null).filter((m) => m !== null);
        current.add(now);
        forecast.add(ahead);
        tally.current.add(now);
        tally.forecast.add(ahead);
      }
      const atRisk = p.students.filter((s) => s.risks > 0).length;
      tally.atRisk += atRisk;
      out.push({
        classId: klass.id,
        className: klass.name,
        period: p.period?.name ?? null,
        current: current.figures(),
        forecast: forecast.figures(),
        atRisk,
      });
    }
    return {
      schoolId: school.id,
      asOf: input.asOf,
      classes: out,
      school: {
        current: tally.current.figures(),
        forecast: tally.forecast.figures(),
        atRisk: tally.atRisk,
      },
    };
  }

  private async progress(
    scope: AnalyticsScope,
    klass: ClassInfo,
    exemptions: SchoolContext['exemptions'],
    periodName?: string,
  ): Promise<ClassProgress> {
    const periodId =
      periodName === undefined ? undefined : (await namedPeriod(scope, klass, periodName)).periodId;
    const p = await classProgress(scope, klass, this.policy(), { exemptions, periodId });
    if (!p) throw new UsageError(`class ${klass.name} has no reporting periods in the mirror`);
    if (periodName !== undefined && p.week === null) {
      throw new UsageError(`the period "${periodName}" has not begun at that instant`);
    }
    return p;
  }

  private async scope(
    only: string | undefined,
    asOf: number,
  ): Promise<{ scope: AnalyticsScope; school: SchoolContext }> {
    const mirror = await this.app.mirror();
    const school = (await loadSchoolContexts(mirror.db, this.app.config)).pick(only);
    const coverage = await mirrorCoverage(mirror.db, school.id);
    return {
      school,
      scope: { db: mirror.db, schoolId: school.id, zone: school.zone, asOf, coverage },
    };
  }
}

/** Students with a mark in at least one subject; passing: no «2»/«н/а»; good: only «4»/«5». */
class Tally {
  private n = 0;
  private passing = 0;
  private good = 0;

  add(marks: readonly ForecastMark[]): void {
    if (marks.length === 0) return;
    this.n++;
    if (marks.every((m) => m !== 2 && m !== 'н/а')) this.passing++;
    if (marks.every((m) => m === 4 || m === 5)) this.good++;
  }

  figures(): ShareFigures {
    const pct = (k: number) => (this.n > 0 ? Math.round((1000 * k) / this.n) / 10 : null);
    return { students: this.n, success: pct(this.passing), quality: pct(this.good) };
  }
}

function groupMarks(marks: readonly MarkEntry[]): Map<string, MarkEntry[]> {
  const out = new Map<string, MarkEntry[]>();
  for (const m of marks) {
    const k = `${m.studentId}|${m.subjectId}`;
    out.set(k, [...(out.get(k) ?? []), m]);
  }
  return out;
}

function risksOf(p: ClassProgress): RiskItem[] {
  const names = new Map(p.subjects.map((s) => [s.id, s.name]));
  return p.students.flatMap((s: StudentProgress) =>
    s.subjects
      .filter((x) => x.forecast?.reason)
      .map((x) => ({
        studentId: s.id,
        studentName: s.name,
        subjectName: names.get(x.subjectId) ?? '',
        forecast: x.forecast!.mark,
        reason: x.forecast!.reason!,
        average: shown(x.average),
        marks: x.forecast!.marks,
        norm: x.forecast!.norm,
      })),
  );
}

async function findClass(
  scope: AnalyticsScope,
  wanted: string,
  all?: ClassInfo[],
): Promise<ClassInfo> {
  const classes = all ?? (await findClasses(scope));
  const w = normalizeName(wanted);
  const found = classes.filter((c) => c.id === wanted || normalizeName(c.name) === w);
  if (found.length === 1) return found[0]!;
  if (found.length === 0) throw new UsageError(`no class "${wanted}"`);
  throw new UsageError(`several classes "${wanted}": give the class id`);
}

/**
 * The class's period a user named: its platform name («2 четверть») or its title as documents
 * print it («II четверть»), as `ezh report performance --period` reads it; unknown: a usage error
 * listing the class's periods.
 */
async function namedPeriod(
  scope: AnalyticsScope,
  klass: ClassInfo,
  typed: string,
): Promise<ClassPeriod> {
  const periods = await classPeriods(scope, klass.id);
  const rows: PeriodRow[] = periods.map((p) => ({
    period_id: p.periodId,
    type: p.type,
    number: 0,
    name: p.name,
    start_date: p.start,
    finish_date: p.finish,
  }));
  const i = rows.findIndex((r) => namesPeriod(typed, r, rows));
  if (i >= 0) return periods[i]!;
  throw new UsageError(`no period "${typed}" for class ${klass.name}`, [
    periods.length > 0
      ? `the class's periods: ${rows.map((r) => `«${r.name}»${periodTitle(r, rows) !== r.name ? ` («${periodTitle(r, rows)}»)` : ''}`).join(', ')}`
      : 'the class has no reporting periods in the mirror',
  ]);
}

/** A student by person id, or by a full name («Фамилия Имя [Отчество]») that names one person. */
async function findStudent(scope: AnalyticsScope, wanted: string): Promise<string> {
  const students = await schoolStudents(scope);
  if (students.some((s) => s.id === wanted)) return wanted;
  const w = normalizeName(wanted);
  const found = students.filter(
    (s) => normalizeName(s.name) === w || normalizeName(s.name).startsWith(`${w} `),
  );
  if (found.length === 1) return found[0]!.id;
  // The name is not repeated in the error: it may reach a log.
  if (found.length === 0) throw new UsageError('no student by that id or name');
  throw new UsageError('several students by that name: give the person id');
}
