import { DateTime } from 'luxon';
import { addDays } from '../platform/time.js';
import type { DateRange } from './school-year.js';

/**
 * Date windows of the window streams. Windows lie on a fixed grid (Mondays from the start of the
 * school year), so the same dates give the same checkpoint keys run after run:
 * - wide blocks for the past and the far future (few requests per week of the year);
 * - near today, the block is cut into narrow windows for the "recent zone" and one head window
 *   for the rest of the block, so the hourly sync re-reads little.
 */

export interface Window {
  from: string;
  to: string;
  narrow: boolean;
}

export interface WindowSizes {
  /** Narrow window width, days. */
  narrowDays: number;
  /** Wide window width, days (a multiple of the narrow width). */
  wideDays: number;
}

export function windowSizes(
  recentWindowDays: number,
  pastWindowDays: number,
  maxWindowDays: number | null,
): WindowSizes {
  const cap = maxWindowDays ?? Number.POSITIVE_INFINITY;
  const narrowDays = Math.max(1, Math.min(recentWindowDays, cap));
  const wideDays = Math.max(
    narrowDays,
    Math.floor(Math.min(pastWindowDays, cap) / narrowDays) * narrowDays,
  );
  return { narrowDays, wideDays };
}

/** The Monday on or before `date`. */
export function mondayOnOrBefore(date: string): string {
  const d = DateTime.fromISO(date, { zone: 'UTC' });
  return addDays(date, -(d.weekday - 1));
}

const min = (a: string, b: string) => (a < b ? a : b);
const max = (a: string, b: string) => (a > b ? a : b);

/** Wide grid blocks covering `year`, clipped to it. */
export function wideWindows(year: DateRange, sizes: WindowSizes): Window[] {
  const out: Window[] = [];
  for (
    let start = mondayOnOrBefore(year.start);
    start <= year.end;
    start = addDays(start, sizes.wideDays)
  ) {
    const end = addDays(start, sizes.wideDays - 1);
    out.push({ from: max(start, year.start), to: min(end, year.end), narrow: false });
  }
  return out;
}

/**
 * The grid with the recent zone cut narrow: a block that meets `zone` becomes a head window (its
 * days before the zone), narrow windows over the zone, and a tail window (its days after).
 * Head and tail move with the zone, so they are read about once a week as new scopes.
 */
export function splitWindows(year: DateRange, sizes: WindowSizes, zone: DateRange): Window[] {
  const out: Window[] = [];
  const push = (from: string, to: string, narrow: boolean) => {
    const f = max(from, year.start);
    const t = min(to, year.end);
    if (f <= t) out.push({ from: f, to: t, narrow });
  };
  for (
    let start = mondayOnOrBefore(year.start);
    start <= year.end;
    start = addDays(start, sizes.wideDays)
  ) {
    const end = addDays(start, sizes.wideDays - 1);
    if (!(start <= zone.end && end >= zone.start)) {
      push(start, end, false);
      continue;
    }
    let unit = start;
    while (addDays(unit, sizes.narrowDays - 1) < zone.start) unit = addDays(unit, sizes.narrowDays);
    if (unit > start) push(start, addDays(unit, -1), false);
    for (; unit <= end && unit <= zone.end; unit = addDays(unit, sizes.narrowDays)) {
      push(unit, min(addDays(unit, sizes.narrowDays - 1), end), true);
    }
    if (unit <= end) push(unit, end, false);
  }
  return out;
}

export function overlaps(w: { from: string; to: string }, r: DateRange): boolean {
  return w.from <= r.end && w.to >= r.start;
}
