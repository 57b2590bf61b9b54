import { DateTime } from 'luxon';

/**
 * The school year a sync covers. The platform's reporting periods say it exactly (the sandbox's
 * year need not be the calendar's current one); without them, September 1 of the school year
 * containing today, in the school's zone, through August 31.
 */
export interface DateRange {
  start: string;
  end: string;
}

export interface PeriodSpan {
  start: string;
  finish: string;
  type: string;
}

export function defaultSchoolYear(today: string): DateRange {
  const d = DateTime.fromISO(today, { zone: 'UTC' });
  const startYear = d.month >= 9 ? d.year : d.year - 1;
  return { start: `${startYear}-09-01`, end: `${startYear + 1}-08-31` };
}

/**
 * Groups periods into years by the year their September falls in, then takes the year that
 * contains today, else the latest one that started before today, else the default.
 */
export function schoolYearOf(periods: readonly PeriodSpan[], today: string): DateRange {
  const years = new Map<number, DateRange>();
  for (const p of periods) {
    const d = DateTime.fromISO(p.start, { zone: 'UTC' });
    if (!d.isValid) continue;
    const y = d.month >= 8 ? d.year : d.year - 1;
    const cur = years.get(y);
    years.set(y, {
      start: !cur || p.start < cur.start ? p.start : cur.start,
      end: !cur || p.finish > cur.end ? p.finish : cur.end,
    });
  }
  const sorted = [...years.values()].sort((a, b) => a.start.localeCompare(b.start));
  const containing = sorted.find((r) => r.start <= today && today <= r.end);
  if (containing) return containing;
  const started = sorted.filter((r) => r.start <= today);
  const last = started[started.length - 1];
  if (last) {
    // A year whose periods ended recently is still "the year" until the next one starts.
    return last;
  }
  return sorted[0] ?? defaultSchoolYear(today);
}

/** The shortest non-year period containing today (the one whose final marks are being made). */
export function currentPeriod(periods: readonly PeriodSpan[], today: string): DateRange | null {
  let best: DateRange | null = null;
  for (const p of periods) {
    if (p.type === 'year' || p.start > today || p.finish < today) continue;
    if (!best || span(p.start, p.finish) < span(best.start, best.end)) {
      best = { start: p.start, end: p.finish };
    }
  }
  return best;
}

function span(a: string, b: string): number {
  return DateTime.fromISO(b, { zone: 'UTC' }).diff(DateTime.fromISO(a, { zone: 'UTC' }), 'days')
    .days;
}
