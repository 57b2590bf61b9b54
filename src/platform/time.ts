import { DateTime, Info } from 'luxon';

/**
 * Time conventions of the mirror (identical SQL on SQLite and PostgreSQL):
 * - an instant is an integer of epoch milliseconds (UTC);
 * - a calendar date is text `YYYY-MM-DD` in the school's time zone;
 * - the platform sends naive local date-times (`2026-10-05T09:00:00`), read in the school's zone.
 */

export type Instant = number;

export function parseZone(zone: string): string {
  const dt = DateTime.now().setZone(zone);
  if (!dt.isValid) throw new Error(`unknown time zone "${zone}"`);
  return zone;
}

const NAIVE = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3})\d*)?)?)?$/;

/**
 * UTC offset (ms) of `zone` for a whole local day, or null when it changes within that day (a
 * DST switch). Cached: the sync turns about a million naive times a year into instants, and
 * luxon's parser costs ~25 µs a call, this path well under 1 µs.
 */
const dayOffsets = new Map<string, number | null>();

function dayOffset(zone: string, y: number, m: number, d: number): number | null {
  const key = `${zone}|${y}-${m}-${d}`;
  let offset = dayOffsets.get(key);
  if (offset === undefined) {
    const start = DateTime.fromObject({ year: y, month: m, day: d }, { zone });
    const end = start.set({ hour: 23, minute: 59 });
    offset =
      start.isValid && start.offset === end.offset && start.hour === 0
        ? start.offset * 60_000
        : null;
    if (dayOffsets.size > 100_000) dayOffsets.clear();
    dayOffsets.set(key, offset);
  }
  return offset;
}

/** A naive local date-time (or date) of the platform, read in `zone`, as epoch ms. */
export function localToInstant(local: string, zone: string): Instant {
  const m = NAIVE.exec(local);
  if (m) {
    const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
    const offset = dayOffset(zone, y, mo, d);
    if (offset !== null) {
      const ms = m[7] ? Number(m[7].padEnd(3, '0')) : 0;
      const wall = Date.UTC(
        y,
        mo - 1,
        d,
        Number(m[4] ?? 0),
        Number(m[5] ?? 0),
        Number(m[6] ?? 0),
        ms,
      );
      // Date.UTC rolls invalid fields over (Feb 30 → Mar 2): reject them as luxon does.
      const check = new Date(wall);
      if (check.getUTCDate() === d && check.getUTCMonth() === mo - 1) return wall - offset;
      throw new Error(`invalid date-time "${local}"`);
    }
  }
  const dt = DateTime.fromISO(local.length > 23 ? local.slice(0, 23) : local, { zone });
  if (!dt.isValid) throw new Error(`invalid date-time "${local}"`);
  return dt.toMillis();
}

const ABSOLUTE = /(?:Z|[+-]\d{2}:?\d{2})$/;

/**
 * A moment the platform reports in a zone of its own rather than the school's (a mark's entry
 * moment is UTC on Dnevnik): text with a `Z` or an offset is that instant; naive text is read in
 * `zone` like any other local date-time.
 */
export function momentToInstant(text: string, zone: string): Instant {
  if (!ABSOLUTE.test(text)) return localToInstant(text, zone);
  const ms = Date.parse(text);
  if (Number.isNaN(ms)) throw new Error(`invalid date-time "${text}"`);
  return ms;
}

/** Local midnight of a calendar date in `zone`, as epoch ms. */
export function dayStart(date: string, zone: string): Instant {
  return localToInstant(date.slice(0, 10), zone);
}

export function instantToLocalDate(instant: Instant, zone: string): string {
  return DateTime.fromMillis(instant, { zone }).toISODate() ?? '';
}

export function instantToIso(instant: Instant | null | undefined): string | null {
  if (instant === null || instant === undefined) return null;
  return new Date(instant).toISOString();
}

/**
 * One formatter per zone: a check run writes a deadline into thousands of messages, and luxon
 * costs ~25 µs a call where a cached `Intl.DateTimeFormat` costs a few. Node 20's Intl knows IANA
 * names only, not the fixed offsets the platform gives a school (`UTC+3`, see `utcOffsetZone`):
 * for those the instant is shifted by the zone's offset (luxon's) and formatted as UTC.
 */
type LocalParts = (instant: Instant) => Record<string, string>;

const localFormats = new Map<string, LocalParts>();

function intlFormat(timeZone: string): Intl.DateTimeFormat {
  return new Intl.DateTimeFormat('en-US', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  });
}

function partsOf(format: Intl.DateTimeFormat, instant: Instant): Record<string, string> {
  const parts: Record<string, string> = {};
  for (const p of format.formatToParts(instant)) parts[p.type] = p.value;
  return parts;
}

function localParts(zone: string): LocalParts {
  let parts = localFormats.get(zone);
  if (!parts) {
    try {
      const format = intlFormat(zone);
      parts = (instant) => partsOf(format, instant);
    } catch (err) {
      if (!(err instanceof RangeError)) throw err;
      const luxonZone = Info.normalizeZone(zone);
      if (!luxonZone.isValid) throw new Error(`unknown time zone "${zone}"`, { cause: err });
      const utc = intlFormat('UTC');
      parts = (instant) => partsOf(utc, instant + luxonZone.offset(instant) * 60_000);
    }
    localFormats.set(zone, parts);
  }
  return parts;
}

/** `05.10.2026 14:30` in the school's zone, for documents and messages. */
export function formatLocal(instant: Instant, zone: string, withTime = true): string {
  const parts = localParts(zone)(instant);
  const date = `${parts.day}.${parts.month}.${parts.year}`;
  return withTime ? `${date} ${parts.hour}:${parts.minute}` : date;
}

export function addDays(date: string, days: number): string {
  return DateTime.fromISO(date, { zone: 'UTC' }).plus({ days }).toISODate() ?? date;
}

/** Parses `--as-of` values: an ISO instant, or a local date-time read in `zone`. */
export function parseAsOf(
  value: string | undefined,
  zone: string,
  now: () => number = Date.now,
): Instant {
  if (!value) return now();
  const hasZone = /[zZ]|[+-]\d\d:?\d\d$/.test(value);
  const dt = hasZone
    ? DateTime.fromISO(value, { setZone: true })
    : DateTime.fromISO(value, { zone });
  if (!dt.isValid) throw new Error(`invalid --as-of "${value}": expected ISO date-time`);
  return dt.toMillis();
}
