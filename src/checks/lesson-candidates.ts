import { LESSON_TOTALS_TABLE } from '../mirror/projections/lesson-totals.js';
import type { RuleContextBase } from './rule.js';
import { raw, sql, type Fragment } from './sql-fragment.js';

/**
 * Where the lesson rules read their lessons `l` from. With the derived tables (they hold the
 * mirror as of A: `ctx.periodTotals`), only the school's lessons whose per-lesson totals
 * (`lesson_entry_totals t`, src/mirror/projections/lesson-totals.ts) meet the rule's necessary
 * condition, from the totals' index; each is still checked in full. Else every lesson, probed as
 * before. `from` goes after FROM (CROSS JOIN: SQLite keeps the totals outer), `where(condition)`
 * opens the WHERE clause (empty, or the condition and the join, ending in AND).
 */
export function lessonCandidates(ctx: Pick<RuleContextBase, 'periodTotals' | 'schoolId'>): {
  from: Fragment;
  where: (condition: Fragment) => Fragment;
} {
  if (!ctx.periodTotals) return { from: raw('lessons l'), where: () => raw('') };
  return {
    from: raw(`${LESSON_TOTALS_TABLE} t CROSS JOIN lessons l`),
    where: (condition) => sql`t.school_id = ${ctx.schoolId} AND ${condition}
      AND l.source = t.source AND l.id = t.lesson_id AND `,
  };
}
