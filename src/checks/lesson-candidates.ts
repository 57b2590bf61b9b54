import {
  LESSON_TOTALS_CONTROL_KINDS,
  LESSON_TOTALS_TABLE,
} from '../mirror/projections/lesson-totals.js';
import type { RuleContextBase } from './rule.js';
import { raw, sql, type Fragment } from './sql-fragment.js';

/** The table a rule reads per lesson, its alias and its column that names the lesson. */
export interface LessonRows {
  table: string;
  alias: string;
  lessonColumn: string;
}

const LESSONS: LessonRows = { table: 'lessons', alias: 'l', lessonColumn: 'id' };

/**
 * Where the lesson rules read their lessons (or a lesson's rows: its attendance, its works) from.
 * With the derived tables (they hold the mirror as of A: `ctx.periodTotals`), only the rows of the
 * school's lessons whose per-lesson totals (`lesson_entry_totals t`,
 * src/mirror/projections/lesson-totals.ts) meet the rule's necessary condition, from the totals'
 * index; each is still checked in full. Else every row, probed as before. `from` goes after FROM
 * (CROSS JOIN: SQLite keeps the totals outer), `where(condition)` opens the WHERE clause (empty,
 * or the condition and the join, ending in AND).
 */
export function lessonCandidates(
  ctx: Pick<RuleContextBase, 'periodTotals' | 'schoolId'>,
  rows: LessonRows = LESSONS,
): {
  from: Fragment;
  where: (condition: Fragment) => Fragment;
} {
  const own = `${rows.table} ${rows.alias}`;
  if (!ctx.periodTotals) return { from: raw(own), where: () => raw('') };
  return {
    from: raw(`${LESSON_TOTALS_TABLE} t CROSS JOIN ${own}`),
    where: (condition) => sql`t.school_id = ${ctx.schoolId} AND ${condition}
      AND ${raw(`${rows.alias}.source = t.source AND ${rows.alias}.${rows.lessonColumn} = t.lesson_id`)} AND `,
  };
}

/**
 * Whether a rule's `controlKinds` are the kinds the per-lesson totals keep their control works'
 * figures for (`control_entry_lag`, `control_unmarked`): with others, those figures do not answer.
 */
export function totalsKeepControlKinds(kinds: readonly string[]): boolean {
  const set = new Set(kinds);
  return (
    set.size === new Set(LESSON_TOTALS_CONTROL_KINDS).size &&
    LESSON_TOTALS_CONTROL_KINDS.every((k) => set.has(k))
  );
}
