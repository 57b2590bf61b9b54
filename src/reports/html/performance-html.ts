import { sumRows, type PerformanceData, type PerformanceRow } from '../data/performance.js';
import { ruDate, ruNumber, shortName } from '../format.js';
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

/** «Итоги успеваемости за период»: tables per class/subject/teacher, totals, two SVG charts. Pure. */

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

export function renderPerformanceHtml(data: PerformanceData): HtmlDocument {
  const byClass = groupBy(data.rows, (r) => r.className);
  const byTeacher = groupBy(data.rows, (r) => r.teacher);
  const total = sumRows(data.rows);
  const classes = [...byClass.entries()].map(([name, rows]) => ({
    name,
    rows: rows.map((r) => ({
      subject: r.subject,
      teacher: shortName(r.teacher),
      ...metricCells(r.counts, r.weightedSum, r.weightSum),
    })),
    total: cells(rows),
  }));
  const teachers = [...byTeacher.entries()]
    .sort(([a], [b]) => a.localeCompare(b, 'ru'))
    .map(([name, rows]) => ({ name, ...cells(rows) }));
  const c = total.counts;
  const title = `Итоги успеваемости: ${data.period}`;
  return renderDocument({
    template: 'performance',
    styles: [],
    title,
    schoolName: data.school.name,
    landscape: true,
    model: {
      title,
      schoolName: data.school.name,
      period: data.period,
      span: `${ruDate(data.from)} — ${ruDate(data.to)}`,
      classes,
      teachers,
      schoolTotal: metricCells(c, total.weightedSum, total.weightSum),
      summary: [...byClass.entries()].map(([name, rows]) => ({ name, ...cells(rows) })),
      qualitySvg: qualityChart(
        [...byClass.entries()].map(([name, rows]) => ({
          label: name,
          value: qualityRate(sumRows(rows).counts),
        })),
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
