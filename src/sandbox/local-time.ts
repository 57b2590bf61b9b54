/**
 * Calendar arithmetic of the sandbox on epoch day numbers and fixed UTC offsets. Russian zones
 * have no DST (docs/rules.md relies on it too), so a school's local time is UTC + whole hours and
 * generation needs no time-zone library in its hot loops.
 */

export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

/** `YYYY-MM-DD` → days since 1970-01-01. */
export function dayNo(date: string): number {
  return Math.floor(Date.parse(`${date.slice(0, 10)}T00:00:00Z`) / DAY);
}

export function dateOf(day: number): string {
  return new Date(day * DAY).toISOString().slice(0, 10);
}

/** ISO weekday: 1 = Monday … 7 = Sunday. */
export function isoWeekday(day: number): number {
  return ((day + 3) % 7) + 1;
}

/** The instant of `minutes` after local midnight of `day` in a zone of `offsetHours`. */
export function localInstant(day: number, minutes: number, offsetHours: number): number {
  return day * DAY + minutes * MINUTE - offsetHours * HOUR;
}

/** Naive local date-time `YYYY-MM-DDTHH:mm:ss` (with `.fff` when asked) of an instant. */
export function naiveLocal(instant: number, offsetHours: number, withFraction = false): string {
  const local = instant + offsetHours * HOUR;
  const day = Math.floor(local / DAY);
  let ms = local - day * DAY;
  const h = Math.floor(ms / HOUR);
  ms -= h * HOUR;
  const m = Math.floor(ms / MINUTE);
  ms -= m * MINUTE;
  const s = Math.floor(ms / 1000);
  const time = `${pad2(h)}:${pad2(m)}:${pad2(s)}`;
  return `${cachedDate(day)}T${time}${withFraction ? `.${String(ms - s * 1000).padStart(3, '0')}` : ''}`;
}

const pad2 = (n: number): string => (n < 10 ? `0${n}` : String(n));

// Generation formats hundreds of thousands of date-times over a few hundred days.
const dates = new Map<number, string>();
function cachedDate(day: number): string {
  let text = dates.get(day);
  if (text === undefined) {
    text = dateOf(day);
    if (dates.size < 20_000) dates.set(day, text);
  }
  return text;
}

/** The local day number an instant falls on. */
export function localDayOf(instant: number, offsetHours: number): number {
  return Math.floor((instant + offsetHours * HOUR) / DAY);
}

/**
 * A date from a request path or query: `2026-09-01`, `2026-09-01T00:00:00`, or the unpadded
 * `2026-9-1T0:0:0` some clients send. Returns the day number, or null when unreadable.
 */
export function parseDateParam(value: string | null | undefined): number | null {
  if (!value) return null;
  const m = /^(\d{4})-(\d{1,2})-(\d{1,2})/.exec(decodeURIComponent(value));
  if (!m) return null;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (mo < 1 || mo > 12 || d < 1 || d > 31) return null;
  return Math.floor(Date.UTC(y, mo - 1, d) / DAY);
}
