import {
  sumRows,
  type ClassResult,
  type PerformanceData,
  type PerformanceRow,
} from '../data/performance.js';
import {
  addCategoryCounts,
  emptyCategoryCounts,
  studentPassRate,
  studentQualityRate,
  type CategoryCounts,
} from '../data/student-categories.js';
import type { ForecastSummary, ShareFigures } from '../../analytics/service.js';
import { ruDate, ruDateTime, ruNumber, shortName } from '../format.js';
import {
  averageMark,
  denominator,
  learningDegree,
  passRate,
  qualityRate,
  weightedFromSums,
  type MarkCounts,
} from '../metrics.js';
import { distributionChart, qualityChart } from './charts.js';
import { renderDocument, type HtmlDocument } from './document.js';

/**
 * «Итоги успеваемости за период»: per class the students by category (качество and успеваемость
 * over students) with the change against the previous period, the lessons missed, the students
 * by name, tables per teacher and class × subject, two SVG charts. Pure.
 */

export interface MetricCells {
  n5: number;
  n4: number;
  n3: number;
  n2: number;
  nNa: number;
  nDismiss: number;
  n: number;
  pass: string;
  quality: string;
  degree: string;
  average: string;
  weighted: string;
}

export function metricCells(c: MarkCounts, weightedSum: number, weightSum: number): MetricCells {
  return {
    n5: c.n5,
    n4: c.n4,
    n3: c.n3,
    n2: c.n2 + c.n1,
    nNa: c.nNa,
    nDismiss: c.nDismiss,
    n: denominator(c),
    pass: ruNumber(passRate(c)),
    quality: ruNumber(qualityRate(c)),
    degree: ruNumber(learningDegree(c)),
    average: ruNumber(averageMark(c), 2),
    weighted: ruNumber(weightedFromSums(weightedSum, weightSum), 2),
  };
}

const cells = (rows: readonly PerformanceRow[]): MetricCells => {
  const s = sumRows(rows);
  return metricCells(s.counts, s.weightedSum, s.weightSum);
};

function groupBy<T>(items: readonly T[], key: (t: T) => string): Map<string, T[]> {
  const map = new Map<string, T[]>();
  for (const item of items) map.set(key(item), [...(map.get(key(item)) ?? []), item]);
  return map;
}

/** Change in percentage points, signed: «+5,0», «−3,3», «0,0»; «—» when either side is unknown. */
export function ruDelta(now: number | null, before: number | null): string {
  if (now === null || before === null) return '—';
  const d = Math.round((now - before) * 10) / 10;
  if (d === 0) return '0,0';
  return `${d > 0 ? '+' : '−'}${ruNumber(Math.abs(d))}`;
}

interface StudentCells {
  n: number;
  excellent: number;
  good: number;
  oneFour: number;
  oneThree: number;
  satisfactory: number;
  failing: number;
  notAssessed: number;
  pass: string;
  quality: string;
  passDelta: string;
  qualityDelta: string;
}

function studentCells(now: CategoryCounts, before: CategoryCounts | null): StudentCells {
  return {
    ...now,
    pass: ruNumber(studentPassRate(now)),
    quality: ruNumber(studentQualityRate(now)),
    passDelta: before ? ruDelta(studentPassRate(now), studentPassRate(before)) : '—',
    qualityDelta: before ? ruDelta(studentQualityRate(now), studentQualityRate(before)) : '—',
  };
}

const CATEGORY_LISTS: {
  title: string;
  pick: (c: ClassResult['students'][number]) => string | null;
}[] = [
  { title: 'Отличники', pick: (s) => (s.standing.category === 'excellent' ? '' : null) },
  // The list of хорошисты is the table's column: the reserve of отличники is within it.
  {
    title: 'Хорошисты (только «4» и «5»)',
    pick: (s) => (s.standing.category === 'good' ? '' : null),
  },
  { title: 'в т. ч. с одной «4»', pick: (s) => (s.standing.oneFour ? '' : null) },
  { title: 'С одной «3»', pick: (s) => (s.standing.oneThree ? '' : null) },
  {
    title: 'Неуспевающие',
    pick: (s) => (s.standing.category === 'failing' ? s.standing.failedSubjects.join(', ') : null),
  },
  {
    title: 'Не аттестованы (н/а)',
    pick: (s) =>
      s.standing.notAssessedSubjects.length > 0 ? s.standing.notAssessedSubjects.join(', ') : null,
  },
];

function studentLists(c: ClassResult): { title: string; names: string }[] {
  return CATEGORY_LISTS.map((l) => {
    const names = c.students.flatMap((s) => {
      const detail = l.pick(s);
      return detail === null ? [] : [detail ? `${s.name} (${detail})` : s.name];
    });
    return { title: l.title, names: names.length > 0 ? names.join('; ') : 'нет' };
  });
}

/** The expected results beside the period marks' (issue 21), as of `asOf`. */
export interface PerformanceForecastView {
  summary: ForecastSummary | null;
  asOf: number;
}

const shares = (f: ShareFigures) => ({
  n: f.students,
  pass: ruNumber(f.success),
  quality: ruNumber(f.quality),
});

/**
 * One row per class with results: успеваемость and качество by the period marks (the table
 * above), by the current averages rounded, and if the forecasts hold; the students at risk.
 */
function forecastModel(data: PerformanceData, view: PerformanceForecastView | undefined) {
  const summary = view?.summary;
  if (!summary) return null;
  const byClass = new Map(summary.classes.map((c) => [c.classId, c]));
  const rows = data.classes.flatMap((c) => {
    const f = byClass.get(c.classId);
    if (!c.period || !f) return [];
    return [
      {
        name: c.className,
        periodTitle: c.period.title,
        finalPass: c.categories.n > 0 ? ruNumber(studentPassRate(c.categories)) : '—',
        finalQuality: c.categories.n > 0 ? ruNumber(studentQualityRate(c.categories)) : '—',
        current: shares(f.current),
        forecast: shares(f.forecast),
        atRisk: f.atRisk,
      },
    ];
  });
  return {
    asOf: ruDateTime(view.asOf, data.school.zone),
    rows,
    school: {
      current: shares(summary.school.current),
      forecast: shares(summary.school.forecast),
      atRisk: summary.school.atRisk,
    },
  };
}

export function renderPerformanceHtml(
  data: PerformanceData,
  forecast?: PerformanceForecastView,
): HtmlDocument {
  const rowsByClass = groupBy(data.rows, (r) => r.classId);
  const byTeacher = groupBy(data.rows, (r) => r.teacher);
  const total = sumRows(data.rows);
  const withResults = data.classes.filter((c) => c.period !== null);
  // The school's change compares the same classes: those with a previous period of their kind.
  const compared = withResults.filter((c) => c.previous !== null);
  const schoolNow = withResults.reduce(
    (a, c) => addCategoryCounts(a, c.categories),
    emptyCategoryCounts(),
  );
  const schoolComparedNow = compared.reduce(
    (a, c) => addCategoryCounts(a, c.categories),
    emptyCategoryCounts(),
  );
  const schoolBefore = compared.reduce(
    (a, c) => addCategoryCounts(a, c.previous!.categories),
    emptyCategoryCounts(),
  );
  const schoolCells = studentCells(schoolNow, null);
  if (compared.length > 0) {
    schoolCells.passDelta = ruDelta(
      studentPassRate(schoolComparedNow),
      studentPassRate(schoolBefore),
    );
    schoolCells.qualityDelta = ruDelta(
      studentQualityRate(schoolComparedNow),
      studentQualityRate(schoolBefore),
    );
  }
  const marks = (c: ClassResult) => cells(rowsByClass.get(c.classId) ?? []);
  const summary = data.classes.map((c) => ({
    name: c.className,
    periodTitle: c.period?.title ?? '',
    note: c.note,
    ...studentCells(c.categories, c.previous?.categories ?? null),
    degree: marks(c).degree,
    average: marks(c).average,
  }));
  const schoolMarks = metricCells(total.counts, total.weightedSum, total.weightSum);
  const attendance = withResults.map((c) => ({
    name: c.className,
    periodTitle: c.period!.title,
    enrolled: c.enrolled,
    missed: c.attendance.missed,
    ill: c.attendance.ill,
    excused: c.attendance.excused,
    unexcused: c.attendance.missed - c.attendance.ill - c.attendance.excused,
    perStudent: c.enrolled > 0 ? ruNumber(c.attendance.missed / c.enrolled) : '—',
  }));
  const att = attendance.reduce(
    (a, r) => ({
      enrolled: a.enrolled + r.enrolled,
      missed: a.missed + r.missed,
      ill: a.ill + r.ill,
      excused: a.excused + r.excused,
      unexcused: a.unexcused + r.unexcused,
    }),
    { enrolled: 0, missed: 0, ill: 0, excused: 0, unexcused: 0 },
  );
  const classes = withResults.map((c) => ({
    name: c.className,
    periodTitle: c.period!.title,
    span: `${ruDate(c.period!.from)} — ${ruDate(c.period!.to)}`,
    previous: c.previous
      ? `${c.previous.title}: успеваемость ${ruNumber(studentPassRate(c.previous.categories))} %, качество ${ruNumber(studentQualityRate(c.previous.categories))} %`
      : 'нет данных',
    lists: studentLists(c),
    rows: (rowsByClass.get(c.classId) ?? []).map((r) => ({
      subject: r.subject,
      teacher: shortName(r.teacher),
      ...metricCells(r.counts, r.weightedSum, r.weightSum),
    })),
    total: cells(rowsByClass.get(c.classId) ?? []),
  }));
  const teachers = [...byTeacher.entries()]
    .sort(([a], [b]) => a.localeCompare(b, 'ru'))
    .map(([name, rows]) => ({ name, ...cells(rows) }));
  const c = total.counts;
  const title = `Итоги успеваемости: ${data.periodTitle}`;
  const halfYear = withResults
    .filter((r) => r.period!.title !== data.periodTitle)
    .map((r) => `${r.className} — ${r.period!.title}`);
  return renderDocument({
    template: 'performance',
    styles: ['performance'],
    title,
    schoolName: data.school.name,
    landscape: true,
    model: {
      title,
      schoolName: data.school.name,
      period: data.periodTitle,
      span: `${ruDate(data.from)} — ${ruDate(data.to)}`,
      dataAsOf:
        data.dataAsOf === null
          ? 'синхронизация не проводилась'
          : ruDateTime(data.dataAsOf, data.school.zone),
      otherPeriods: halfYear.join('; '),
      excluded: data.excluded.join(', '),
      classes,
      teachers,
      summary,
      schoolCells,
      schoolMarks,
      forecast: forecastModel(data, forecast),
      attendance,
      attendanceTotal: {
        ...att,
        perStudent: att.enrolled > 0 ? ruNumber(att.missed / att.enrolled) : '—',
      },
      qualitySvg: qualityChart(
        withResults.map((r) => ({ label: r.className, value: studentQualityRate(r.categories) })),
      ),
      distributionSvg: distributionChart([
        { label: '«5»', value: c.n5 },
        { label: '«4»', value: c.n4 },
        { label: '«3»', value: c.n3 },
        { label: '«2»', value: c.n2 + c.n1 },
        { label: 'н/а', value: c.nNa },
        { label: 'осв', value: c.nDismiss },
      ]),
      deputyDirector: data.school.deputyDirector ?? '',
    },
  });
}
