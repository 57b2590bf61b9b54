import type { PeriodType } from '../records.js';

/** The platform's reporting period kinds (`Quarter`, `HalfYear`, ...) as the mirror's snake_case. */
const PERIOD_TYPES: Record<string, PeriodType> = {
  quarter: 'quarter',
  halfyear: 'half_year',
  semester: 'semester',
  trimester: 'trimester',
  module: 'module',
  year: 'year',
};

/** Null for a kind the platform did not have when this was written (the record is then quarantined). */
export function periodTypeOf(platformType: string | null | undefined): PeriodType | null {
  if (!platformType) return null;
  return PERIOD_TYPES[platformType.replace(/[\s_-]/g, '').toLowerCase()] ?? null;
}
