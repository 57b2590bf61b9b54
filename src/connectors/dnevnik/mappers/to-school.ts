import type { SchoolRecord } from '../../records.js';
import type { RawSchool } from '../schemas/school.js';
import { twin } from '../schemas/common.js';

export function toSchool(raw: RawSchool): SchoolRecord {
  return {
    id: twin(raw.id_str, raw.id) as string,
    name: raw.name,
    fullName: raw.fullName ?? null,
    city: raw.city ?? null,
    municipality: raw.municipality ?? null,
    timeZone:
      raw.timeZone === null || raw.timeZone === undefined ? null : utcOffsetZone(raw.timeZone),
  };
}

/** The platform's `timeZone` (hours from UTC, e.g. 3) as a fixed-offset zone luxon reads: `UTC+3`. */
export function utcOffsetZone(hours: number): string {
  if (hours === 0) return 'UTC';
  const sign = hours > 0 ? '+' : '-';
  const abs = Math.abs(hours);
  const whole = Math.floor(abs);
  const minutes = Math.round((abs - whole) * 60);
  return `UTC${sign}${whole}${minutes ? `:${String(minutes).padStart(2, '0')}` : ''}`;
}
