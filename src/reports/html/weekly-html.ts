import type { ClassSheet, RiskItem } from '../../analytics/service.js';
import type { ForecastMark, RiskReason } from '../../analytics/index.js';
import type { SchoolInfo } from '../data/school.js';
import { clip, ruDate, ruDateTime, ruNumber } from '../format.js';
import { renderDocument, type HtmlDocument } from './document.js';

/**
 * «Сводная ведомость класса за неделю»: one row per student, per subject this week's marks and the
 * period's average (a forecast at risk highlighted), the overall average, the place and its change,
 * absences; below, the students at risk and the missing marks. Landscape; laid out to keep a class
 * of 30 with a dozen subjects on one page (vertical subject headers, one line per student). Pure.
 */

export interface WeeklyData {
  school: SchoolInfo;
  sheet: ClassSheet;
  dataAsOf: number | null;
  printedAt: number;
}

/** «↑2», «↓1», «=»; empty when either week has no place. */
export function placeChange(change: number | null): string {
  if (change === null) return '';
  return change === 0 ? '=' : change > 0 ? `↑${change}` : `↓${-change}`;
}

export const forecastText = (m: ForecastMark | null): string =>
  m === null ? '—' : m === 'н/а' ? 'н/а' : `«${m}»`;

const RISK_TITLES: Record<RiskReason, string> = {
  two: 'прогноз «2»',
  na: 'прогноз «н/а», норму отметок до конца периода не набрать',
  slow: 'мало отметок для нормы',
};

/**
 * One student's risks as a class teacher reads them, grouped by reason: «прогноз «2»: Алгебра
 * (ср. 2,00), История (ср. 2,25); мало отметок для нормы: Физика (1 при норме 3)».
 */
export function riskText(items: readonly RiskItem[]): string {
  const detail = (r: RiskItem): string => {
    const norm = r.norm === null ? `${r.marks} отм.` : `${r.marks} при норме ${r.norm}`;
    return r.reason === 'two' ? `ср. ${ruNumber(r.average, 2)}` : norm;
  };
  return groupBy(items, (r) => r.reason)
    .map(
      ([reason, rs]) =>
        `${RISK_TITLES[reason as RiskReason]}: ${rs.map((r) => `${r.subjectName} (${detail(r)})`).join(', ')}`,
    )
    .join('; ');
}

function groupBy<T>(items: readonly T[], key: (t: T) => string): [string, T[]][] {
  const map = new Map<string, T[]>();
  for (const item of items) map.set(key(item), [...(map.get(key(item)) ?? []), item]);
  return [...map.entries()];
}

export function renderWeeklyHtml(d: WeeklyData): HtmlDocument {
  const s = d.sheet;
  const zone = d.school.zone;
  const title = `Сводная ведомость класса ${s.className} за неделю`;
  const dataAsOf = d.dataAsOf === null ? null : ruDateTime(d.dataAsOf, zone);
  const missed = new Set(s.missingMarks.map((m) => `${m.studentId}|${m.subjectId}`));
  const students = s.students.map((st, i) => ({
    n: i + 1,
    name: st.name,
    cells: st.cells.map((c) => ({
      marks: c.weekMarks.join(' '),
      missing: missed.has(`${st.id}|${c.subjectId}`),
      average: ruNumber(c.average, 2),
      risk: c.risk !== null,
    })),
    overall: ruNumber(st.overall, 2),
    place: st.place ?? '—',
    change: placeChange(st.change),
    absences: `${st.weekAbsences} / ${st.absences}`,
  }));
  const risks = groupBy(s.atRisk, (r) => r.studentId).map(([, items]) => ({
    name: items[0]!.studentName,
    text: riskText(items),
  }));
  // Missing marks are shown in the grid (who); below, how many per subject (which teacher to ask).
  const missingMarks = s.missingMarks;
  const missing = s.subjects.flatMap((x) => {
    const n = missingMarks.filter((m) => m.subjectId === x.id).length;
    return n > 0 ? [{ subject: x.name, count: `${n} из ${s.students.length}` }] : [];
  });
  return renderDocument({
    template: 'weekly',
    styles: ['weekly'],
    title,
    schoolName: d.school.name,
    landscape: true,
    footerNote: `${dataAsOf === null ? 'Синхронизация не проводилась' : `Данные на ${dataAsOf}`}, напечатано ${ruDateTime(d.printedAt, zone)}`,
    model: {
      title,
      schoolName: d.school.name,
      className: s.className,
      week: s.week
        ? `${s.week.n}-я неделя периода: ${ruDate(s.week.start)} — ${ruDate(s.week.end)}`
        : 'вне учебного периода',
      period: s.period
        ? `${s.period.name} (${ruDate(s.period.start)} — ${ruDate(s.period.finish)})`
        : 'нет',
      asOf: ruDateTime(s.asOf, zone),
      dataAsOf: dataAsOf ?? 'синхронизация не проводилась',
      subjects: s.subjects.map((x) => ({ name: clip(x.name, 30) })),
      students,
      risks,
      missing,
    },
  });
}
