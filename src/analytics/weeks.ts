import { DateTime } from 'luxon';
import { addDays } from '../platform/time.js';

/** A school week: Monday to Sunday, clipped to the period it belongs to. */
export interface Week {
  /** 1-based within the period (or year) it was cut from. */
  n: number;
  /** `YYYY-MM-DD`, inclusive. */
  start: string;
  end: string;
}

/** The weeks of `[start, finish]`: the first from `start` to its Sunday, then Monday to Sunday. */
export function weeksOf(start: string, finish: string): Week[] {
  const out: Week[] = [];
  let from = start;
  while (from <= finish) {
    const weekday = DateTime.fromISO(from, { zone: 'UTC' }).weekday; // 1 = Monday
    const sunday = addDays(from, 7 - weekday);
    const end = sunday < finish ? sunday : finish;
    out.push({ n: out.length + 1, start: from, end });
    from = addDays(end, 1);
  }
  return out;
}

/** The week holding `date`, or null outside them. */
export function weekOf(weeks: readonly Week[], date: string): Week | null {
  return weeks.find((w) => w.start <= date && date <= w.end) ?? null;
}
