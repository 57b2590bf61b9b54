import type { StudentExtract } from '../../analytics/service.js';
import type { SchoolInfo } from '../data/school.js';
import { ruDate, ruDateTime, ruDayMonth, ruNumber } from '../format.js';
import { dynamicsChart } from './dynamics-chart.js';
import { renderDocument, type HtmlDocument } from './document.js';
import { forecastText, placeChange } from './weekly-html.js';

/**
 * «Выписка из электронного журнала» for the parents: the student's marks by subject for the week or
 * the period so far (each with its date and work type), the period's averages and their dynamics,
 * absences, the expected period mark, and the class's homework for the range. Portrait. Pure.
 */

export interface StudentData {
  school: SchoolInfo;
  extract: StudentExtract;
  dataAsOf: number | null;
  printedAt: number;
}

/**
 * A line reads better than numbers once there are three weekly averages to join; with fewer, the
 * numbers are printed.
 */
const CHART_MIN_POINTS = 3;

export function renderStudentHtml(d: StudentData): HtmlDocument {
  const e = d.extract;
  const zone = d.school.zone;
  const title = 'Выписка из электронного журнала';
  const dataAsOf = d.dataAsOf === null ? null : ruDateTime(d.dataAsOf, zone);
  const range =
    e.range.kind === 'week'
      ? `неделя ${ruDate(e.range.start)} — ${ruDate(e.range.end)}`
      : `${e.period?.name ?? 'период'}: ${ruDate(e.range.start)} — ${ruDate(e.range.end)}`;
  const subjects = e.subjects.map((s) => {
    const points = s.series.filter((p) => p.average !== null);
    return {
      name: s.subjectName,
      marks: s.marks.map((m) => ({
        value: m.value,
        date: ruDayMonth(m.date),
        work: m.workType ?? '',
      })),
      average: ruNumber(s.average, 2),
      absences: s.absences,
      forecast: forecastText(s.forecast),
      risk: s.risk !== null,
      chart: points.length >= CHART_MIN_POINTS,
      chartSvg:
        points.length >= CHART_MIN_POINTS
          ? dynamicsChart(s.series.map((p) => ({ label: ruDayMonth(p.end), value: p.average })))
          : '',
      series: points.map((p) => `${ruDayMonth(p.end)}: ${ruNumber(p.average, 2)}`).join('; '),
    };
  });
  const change = placeChange(e.change);
  return renderDocument({
    template: 'student',
    styles: ['student'],
    title,
    schoolName: d.school.name,
    landscape: false,
    footerNote: `${dataAsOf === null ? 'Синхронизация не проводилась' : `Данные на ${dataAsOf}`}, напечатано ${ruDateTime(d.printedAt, zone)}`,
    model: {
      title,
      schoolName: d.school.name,
      studentName: e.studentName,
      className: e.className,
      range,
      period: e.period
        ? `${e.period.name} (${ruDate(e.period.start)} — ${ruDate(e.period.finish)})`
        : 'нет',
      asOf: ruDateTime(e.asOf, zone),
      dataAsOf: dataAsOf ?? 'синхронизация не проводилась',
      overall: ruNumber(e.overall, 2),
      place:
        e.place === null
          ? '—'
          : `${e.place}${change === '' ? '' : change === '=' ? ' (за неделю не изменилось)' : ` (${change} за неделю)`}`,
      absences: e.absences,
      subjects,
      homework: e.homework.map((h) => ({
        date: ruDate(h.date),
        subject: h.subjectName,
        text: h.text,
      })),
    },
  });
}
