import type { SqlExecutor } from '../mirror/sql.js';
import { raw, type Fragment } from './sql-fragment.js';

/**
 * Ends an `EXISTS` / `NOT EXISTS` subquery that must stay a probe per outer row, through its
 * index. PostgreSQL otherwise turns such a subquery into a semi- or anti-join, and after `ANALYZE`
 * may plan it as a hash join over every matching row of the table, whatever the school: every
 * «3»–«5» for `two-not-corrected`, every graded mark for `absent-with-mark` (bench/checks-pg: a
 * parallel sequential scan of all marks, which in a municipality's mirror is every school's); or
 * probe by the first index column only and filter the rest: every mark of a control work re-read
 * for each of its students, 4.8M index entries for 419,000 (work, student) pairs in
 * `control-work-unmarked` (12.8 → 7.3 s under load 20). `OFFSET 0` keeps the subquery as it is
 * written (PostgreSQL pulls up no subquery with an OFFSET); the rows it answers are the same.
 * SQLite already runs a correlated subquery per row: nothing is added there.
 * Not used where a hash join over the school's rows wins (`homework-missing`: 1.3 s as a join,
 * 5.0 s probing each of 134,000 lessons).
 */
export function probeEach(db: Pick<SqlExecutor, 'dialect'>): Fragment {
  return raw(db.dialect === 'postgres' ? ' OFFSET 0' : '');
}
