import { addDays, dayStart } from '../platform/time.js';
import { classFilter } from './common.js';
import { structureAt } from './existence.js';
import type { RuleContext } from './rule.js';
import { joinSql, raw, sql, type Fragment } from './sql-fragment.js';

/**
 * Reporting periods of a school, for the period rules. Periods are few (classes × periods), so
 * they are read into JS, where their deadlines are computed in the school's zone; the rule's
 * SQL then receives them as a VALUES table (no dialect-specific date arithmetic in SQL).
 */
export interface PeriodRow {
  /** The mirror row id, `${classId}:${periodId}`. */
  rowId: string;
  periodId: string;
  classId: string;
  type: string;
  name: string;
  start: string;
  finish: string;
  /** Local midnight after the period's last day (epoch ms): the period has ended at this instant. */
  endsAt: number;
}

export async function loadPeriods(ctx: RuleContext<unknown>): Promise<PeriodRow[]> {
  const q = sql`SELECT p.id, p.period_id, p.class_id, p.type, p.name, p.start_date, p.finish_date
    FROM reporting_periods p
    JOIN classes c ON c.source = p.source AND c.id = p.class_id
    WHERE p.school_id = ${ctx.schoolId} AND ${structureAt('p', ctx)} AND p.type <> 'year' AND c.grade >= 2
    ${classFilter(ctx, 'p.class_id')}
    ORDER BY p.class_id, p.start_date`;
  const rows = await ctx.db.query<{
    id: string;
    period_id: string;
    class_id: string;
    type: string;
    name: string;
    start_date: string;
    finish_date: string;
  }>(q.text, q.params);
  return rows.map((r) => ({
    rowId: r.id,
    periodId: r.period_id,
    classId: r.class_id,
    type: r.type,
    name: r.name,
    start: r.start_date,
    finish: r.finish_date,
    endsAt: dayStart(addDays(r.finish_date, 1), ctx.zone),
  }));
}

/**
 * `(VALUES (row id, n1, n2, ...), ...) AS <alias>`: columns are `column1` (the period row id, text)
 * and `column2...` (integers) on both SQLite and PostgreSQL. Callers never pass an empty list.
 */
export function periodValues(
  alias: string,
  rows: readonly { rowId: string; numbers: readonly number[] }[],
): Fragment {
  const tuples = rows.map(
    (r) =>
      sql`(${joinSql([sql`CAST(${r.rowId} AS text)`, ...r.numbers.map((n) => sql`${n}`)], ', ')})`,
  );
  return sql`(VALUES ${joinSql(tuples, ', ')}) ${raw(alias)}`;
}
