import type { SqlExecutor } from '../mirror/sql.js';
import { raw, sql, type Fragment } from './sql-fragment.js';

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
 * `homework-missing` probes too: slower than a hash join over its works at one school, but as a
 * join in a municipality's mirror the hash held every school's works (bench/README.md).
 */
export function probeEach(db: Pick<SqlExecutor, 'dialect'>): Fragment {
  return raw(db.dialect === 'postgres' ? ' OFFSET 0' : '');
}

/**
 * Joins `table AS alias` on `on` as one probe per outer row: on PostgreSQL a LATERAL subquery kept
 * by `OFFSET 0`, which it cannot turn into a hash join over the whole table (every school's rows
 * in a municipality's mirror: `mark-late` read all 10M marks of 10 schools for each school,
 * bench/README.md); on SQLite a CROSS JOIN, which it keeps in the order written (outer row first)
 * and runs as a probe of the index.
 */
export function joinEach(
  db: Pick<SqlExecutor, 'dialect'>,
  table: string,
  alias: string,
  on: Fragment,
): Fragment {
  return eachJoin(db, 'CROSS JOIN', table, alias, on);
}

/**
 * `joinEach` as a LEFT JOIN: every outer row kept, with the probed row or nulls. On PostgreSQL
 * `mark-accumulation` probed the period totals by (period, subject) and filtered the student: in a
 * municipality's mirror the statistics made it estimate one enrolled student in all, and it read
 * every student's row of the subject for each enrolled student (bench/README.md, municipality).
 */
export function leftJoinEach(
  db: Pick<SqlExecutor, 'dialect'>,
  table: string,
  alias: string,
  on: Fragment,
): Fragment {
  return eachJoin(db, 'LEFT JOIN', table, alias, on);
}

function eachJoin(
  db: Pick<SqlExecutor, 'dialect'>,
  join: 'CROSS JOIN' | 'LEFT JOIN',
  table: string,
  alias: string,
  on: Fragment,
): Fragment {
  if (db.dialect !== 'postgres') return sql`${raw(join)} ${raw(table)} ${raw(alias)} ON ${on}`;
  const probe = sql`LATERAL (SELECT * FROM ${raw(table)} ${raw(alias)} WHERE ${on} OFFSET 0) ${raw(alias)}`;
  return join === 'LEFT JOIN' ? sql`LEFT JOIN ${probe} ON TRUE` : sql`CROSS JOIN ${probe}`;
}
