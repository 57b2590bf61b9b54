import { DateTime } from 'luxon';
import type { LocalDate, LocalDateTime } from '../records.js';

/**
 * The platform's date-times are naive school-local times (`2026-10-05T09:00:00`, sometimes with
 * fractions, sometimes with a `Z` or an offset that the web UI ignores). They are kept as the
 * school-local wall time they show: an offset suffix is dropped, never converted.
 */
const LOCAL = /^(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(\.\d+)?)?)?/;

export function isLocalDateText(value: string): boolean {
  return LOCAL.test(value);
}

export function toLocalDateTime(value: string | null | undefined): LocalDateTime | null {
  if (!value) return null;
  const m = LOCAL.exec(value);
  if (!m) return null;
  const [, date, hh, mm, ss, frac] = m;
  if (hh === undefined) return `${date}T00:00:00`;
  return `${date}T${hh}:${mm}:${ss ?? '00'}${frac ?? ''}`;
}

export function toLocalDate(value: string | null | undefined): LocalDate | null {
  if (!value) return null;
  return LOCAL.exec(value)?.[1] ?? null;
}

/** A date-time that carries a time of day; a bare date (or midnight) says nothing about the start. */
export function toStartTime(value: string | null | undefined): LocalDateTime | null {
  const local = toLocalDateTime(value);
  return local && !local.endsWith('T00:00:00') ? local : null;
}

/**
 * A moment the platform stamps when something is entered (`Mark.date`,
 * `LessonLogEntry.createdDate`), as an absolute ISO instant (`…Z`). Public clients read these as
 * UTC, not as school time (reference §7): the naive text is read in `entryZone` (the
 * `platform.entryTimeZone` setting, UTC by default); an explicit `Z` or offset wins.
 */
export function toEntryMoment(value: string | null | undefined, entryZone: string): string | null {
  const local = toLocalDateTime(value);
  if (!local || !value) return null;
  const offset = /(Z|[+-]\d{2}:?\d{2})$/.exec(value.trim());
  const ms = offset
    ? Date.parse(`${local.slice(0, 23)}${offset[1]}`)
    : DateTime.fromISO(local.slice(0, 23), { zone: entryZone }).toMillis();
  return Number.isFinite(ms) ? new Date(ms).toISOString() : null;
}
