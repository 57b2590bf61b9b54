import { getNextMillis } from 'bullmq';

/**
 * Cron occurrences as BullMQ's job schedulers compute them (its own `getNextMillis`, in the
 * schedule's zone), so the embedded scheduler fires at the same instants as service mode.
 */

/** The first occurrence strictly after `after`; null when the pattern never fires again. */
export function nextOccurrence(pattern: string, tz: string, after: number): number | null {
  return getNextMillis(after, { pattern, tz }) ?? null;
}

/** How far back occurrences are looked for: a schedule fires at least this often. */
const LOOKBACK_MS = 62 * 24 * 60 * 60 * 1000;

/** Windows looked back through, shortest first: an every-minute pattern is not walked for months. */
const WINDOWS_MS = [
  60 * 60 * 1000,
  24 * 60 * 60 * 1000,
  8 * 24 * 60 * 60 * 1000,
  32 * 24 * 60 * 60 * 1000,
];

/** The latest occurrence in `(since, until]`, or null (`since` is clamped to the look-back). */
export function latestOccurrence(
  pattern: string,
  tz: string,
  since: number,
  until: number,
): number | null {
  const floor = Math.max(since, until - LOOKBACK_MS);
  for (const window of [...WINDOWS_MS, LOOKBACK_MS]) {
    const start = Math.max(floor, until - window);
    let t = start;
    let last: number | null = null;
    for (;;) {
      const next = nextOccurrence(pattern, tz, t);
      if (next === null || next > until) break;
      last = next;
      t = next;
    }
    if (last !== null || start === floor) return last;
  }
  return null;
}

/** The occurrence before `before` (strictly): where a scheduled document's range starts. */
export function previousOccurrence(pattern: string, tz: string, before: number): number | null {
  return latestOccurrence(pattern, tz, before - LOOKBACK_MS, before - 1);
}

/**
 * The range a scheduled document covers when its job runs at `now`: from the schedule's previous
 * occurrence to the one that fired (the latest at or before `now`; a job runs a little after it).
 */
export function firedRange(
  pattern: string,
  tz: string,
  now: number,
): { fired: number; from: number | null } {
  const fired = latestOccurrence(pattern, tz, now - LOOKBACK_MS, now) ?? now;
  return { fired, from: previousOccurrence(pattern, tz, fired) };
}
