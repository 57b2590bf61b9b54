import { inList, raw, sql, type Fragment } from './sql-fragment.js';

/**
 * The mirror's vocabulary of marks as SQL: which marks are numeric, graded or current. Shared by the
 * checks and by the projections the mirror derives (period totals), so both count marks alike.
 */

export const NUMERIC_VALUES = ['1', '2', '3', '4', '5'];

/** A numeric five-point mark (`н/а`, `осв`, pass/fail are not). */
export function numericMark(alias: string): Fragment {
  const a = raw(alias);
  return sql`${a}.mark_system = 'mark5' AND ${a}.value IN ${inList(NUMERIC_VALUES)}`;
}

/**
 * Mark systems that are not marks: «н/а» (`markna`, не аттестован) and «осв» (`markdismiss`,
 * освобождён). They stand in a journal cell but grade nothing: they never count towards the
 * number of marks, never enter an average and never make a cell «н and a mark».
 */
export const NOT_A_MARK_SYSTEMS = ['markna', 'markdismiss'];

/** `m` grades the student (any scale, pass/fail included): not «н/а» or «осв». */
export function gradedMark(alias: string): Fragment {
  const a = raw(alias);
  return sql`(${a}.mark_system IS NULL OR ${a}.mark_system NOT IN ${raw(
    `(${NOT_A_MARK_SYSTEMS.map((s) => `'${s}'`).join(', ')})`,
  )})`;
}

/** Works that hold final marks, not current ones: period, year/final and exam marks (reference §7). */
export const FINAL_WORK_TYPES = ['PeriodMark', 'PeriodFinalMark', 'Exam'];
const FINAL_WORK_TYPES_SQL = `(${FINAL_WORK_TYPES.map((t) => `'${t}'`).join(', ')})`;

/**
 * CTEs `fwt(source, id)` (final work types) and `pmw(source, id)` (works of final marks): the small
 * sets that make a mark not current. Probing them (an automatic index on a MATERIALIZED CTE) is
 * far cheaper than joining every mark to `works` and `work_types` (bench/checks: ~1 s of 1M marks).
 */
export const NOT_CURRENT_SETS = raw(`fwt AS MATERIALIZED (
      SELECT source, id FROM work_types WHERE is_final = 1),
    pmw AS MATERIALIZED (
      SELECT source, id FROM works WHERE type IN ${FINAL_WORK_TYPES_SQL})`);

/**
 * A current mark `m`: not on a final work type (`is_final = 1`) and not on a work of a final
 * mark (`PeriodMark`, `PeriodFinalMark`, `Exam`).
 * Expects the CTEs of `NOT_CURRENT_SETS`.
 */
export const CURRENT_MARK = raw(
  `NOT EXISTS (SELECT 1 FROM fwt WHERE fwt.source = m.source AND fwt.id = m.work_type_id)
        AND NOT EXISTS (SELECT 1 FROM pmw WHERE pmw.source = m.source AND pmw.id = m.work_id)`,
);

/**
 * A mark `m` that makes a cell with «н» a contradiction (`absent-with-mark`): graded, and not a
 * homework's (the work's type `Homework` or the work type's kind `LessonHomework`: a homework
 * mark may be given to a student who missed the lesson). `joins` goes after `FROM marks m`; the
 * condition reads the works and work types it joins as `cw` and `cwt`.
 */
export const CELL_MARK = {
  joins: raw(`LEFT JOIN works cw ON cw.source = m.source AND cw.id = m.work_id
        LEFT JOIN work_types cwt ON cwt.source = m.source AND cwt.id = m.work_type_id`),
  condition: sql`${gradedMark('m')} AND (cw.type IS NULL OR cw.type <> 'Homework')
          AND (cwt.kind IS NULL OR cwt.kind <> 'LessonHomework')`,
};
