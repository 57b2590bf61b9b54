import { raw, type Fragment } from './sql-fragment.js';

/**
 * The mirror's vocabulary of attendance as SQL, shared by the checks and the projections the
 * mirror derives (per-lesson totals), so both tell an absence alike.
 */

export const ABSENT_STATUSES = ['Absent', 'Ill', 'Pass'];

/**
 * `a.status IN ('Absent', 'Ill', 'Pass')` with the statuses as SQL literals, not bound
 * parameters: only then can SQLite see that the query implies the condition of the partial index
 * of absences (`ATTENDANCE_ABSENCES` in src/mirror/tables.ts) and read ~6 % of attendance instead
 * of all of it.
 */
export function isAbsent(alias: string): Fragment {
  return raw(`${alias}.status IN (${ABSENT_STATUSES.map((s) => `'${s}'`).join(', ')})`);
}
