import { dayNo, isoWeekday } from './local-time.js';

/**
 * School-year calendars of the two sandbox sizes: reporting periods (quarters for grades 1–9,
 * half-years for 10–11), holidays, the sandbox start T0, and the final-mark deadlines of the
 * director's order (period name → date) that the demo puts in its config.
 */

export type PeriodKind = 'Quarter' | 'HalfYear';

export interface PeriodDef {
  kind: PeriodKind;
  number: number;
  name: string;
  start: string;
  finish: string;
}

export interface YearCalendar {
  /** The study year as the platform numbers it (the year it starts). */
  studyYear: number;
  start: string;
  finish: string;
  quarters: PeriodDef[];
  halfYears: PeriodDef[];
  /** Inclusive day ranges without lessons for everyone. */
  holidays: [string, string][];
  /** Extra holidays of grade 1 (February week). */
  grade1Holidays: [string, string][];
  /** Local date-time of the sandbox start in the first school's zone. */
  t0Local: string;
  finalMarkDeadlines: Record<string, string>;
}

const q = (number: number, start: string, finish: string): PeriodDef => ({
  kind: 'Quarter',
  number,
  name: `${number} четверть`,
  start,
  finish,
});
const h = (number: number, start: string, finish: string): PeriodDef => ({
  kind: 'HalfYear',
  number,
  name: `${number} полугодие`,
  start,
  finish,
});

export const CALENDARS: Record<'small' | 'large', YearCalendar> = {
  small: {
    studyYear: 2026,
    start: '2026-09-01',
    finish: '2027-05-30',
    quarters: [
      q(1, '2026-09-01', '2026-10-25'),
      q(2, '2026-11-05', '2026-12-27'),
      q(3, '2027-01-11', '2027-03-21'),
      q(4, '2027-03-29', '2027-05-30'),
    ],
    halfYears: [h(1, '2026-09-01', '2026-12-27'), h(2, '2027-01-11', '2027-05-30')],
    holidays: [
      ['2026-10-26', '2026-11-04'],
      ['2026-12-28', '2027-01-10'],
      ['2027-02-23', '2027-02-23'],
      ['2027-03-08', '2027-03-08'],
      ['2027-03-22', '2027-03-28'],
      ['2027-05-03', '2027-05-03'],
      ['2027-05-10', '2027-05-10'],
    ],
    grade1Holidays: [['2027-02-15', '2027-02-21']],
    t0Local: '2026-11-09T07:00:00',
    finalMarkDeadlines: {
      '1 четверть': '2026-10-30',
      '2 четверть': '2026-12-30',
      '1 полугодие': '2026-12-30',
      '3 четверть': '2027-03-25',
      '4 четверть': '2027-06-04',
      '2 полугодие': '2027-06-04',
    },
  },
  large: {
    studyYear: 2025,
    start: '2025-09-01',
    finish: '2026-05-31',
    quarters: [
      q(1, '2025-09-01', '2025-10-26'),
      q(2, '2025-11-05', '2025-12-28'),
      q(3, '2026-01-12', '2026-03-22'),
      q(4, '2026-03-30', '2026-05-31'),
    ],
    halfYears: [h(1, '2025-09-01', '2025-12-28'), h(2, '2026-01-12', '2026-05-31')],
    holidays: [
      ['2025-10-27', '2025-11-04'],
      ['2025-12-29', '2026-01-11'],
      ['2026-02-23', '2026-02-23'],
      ['2026-03-09', '2026-03-09'],
      ['2026-03-23', '2026-03-29'],
      ['2026-05-01', '2026-05-01'],
      ['2026-05-11', '2026-05-11'],
    ],
    grade1Holidays: [['2026-02-16', '2026-02-22']],
    t0Local: '2026-06-15T07:00:00',
    finalMarkDeadlines: {
      '1 четверть': '2025-10-31',
      '2 четверть': '2025-12-30',
      '1 полугодие': '2025-12-30',
      '3 четверть': '2026-03-27',
      '4 четверть': '2026-06-05',
      '2 полугодие': '2026-06-05',
    },
  },
};

export function periodsForGrade(cal: YearCalendar, grade: number): PeriodDef[] {
  return grade >= 10 ? cal.halfYears : cal.quarters;
}

/** School days (day numbers) of a class: Monday–Friday inside its periods, minus holidays. */
export function schoolDays(cal: YearCalendar, grade: number): number[] {
  const off = new Set<number>();
  for (const [a, b] of [...cal.holidays, ...(grade === 1 ? cal.grade1Holidays : [])]) {
    for (let d = dayNo(a); d <= dayNo(b); d++) off.add(d);
  }
  const days: number[] = [];
  for (const p of periodsForGrade(cal, grade)) {
    for (let d = dayNo(p.start); d <= dayNo(p.finish); d++) {
      if (isoWeekday(d) <= 5 && !off.has(d)) days.push(d);
    }
  }
  return days;
}
