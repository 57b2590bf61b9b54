import { TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';
import type { TableDef } from '../table-def.js';
import { createTableFromDef } from './create-table.js';

/**
 * `lesson_entry_totals`, derived like the period totals (same refresh, same `derived_state` row,
 * `src/mirror/projections/lesson-totals.ts`): per lesson (deleted ones too), what the lesson rules otherwise
 * probe the journal for, lesson by lesson, on every run: its live attendance entries
 * (`attendance-not-kept`), the longest trimmed text of its live homework (`homework-missing`) and
 * how long after the lesson's day began its latest mark was entered, for control works and for
 * the rest (`mark-late`). With an index
 * per figure that leads with the school, a run reads only the lessons that can be findings.
 * Existing mirrors: their derived tables are rebuilt whole at the next refresh.
 * Frozen: later changes are new migrations.
 */
const LESSON_ENTRY_TOTALS: TableDef = Object.freeze<TableDef>({
  name: 'lesson_entry_totals',
  columns: [
    { name: 'source', type: 'text', nullable: false },
    { name: 'lesson_id', type: 'text', nullable: false },
    { name: 'school_id', type: 'text', nullable: false },
    /** Live attendance entries of the lesson, any status. */
    { name: 'attendance', type: 'integer', nullable: false },
    /** The longest trimmed text of the lesson's live homework works (none: 0). */
    { name: 'homework_len', type: 'integer', nullable: false },
    /**
     * The latest entry moment of the lesson's live marks less the lesson's `day_start_at` (ms),
     * over the marks of a work type of the platform's control kinds (`control_entry_lag`) and over
     * the others (`entry_lag`); null when no such live mark has an entry moment.
     */
    { name: 'entry_lag', type: 'bigint', nullable: true },
    { name: 'control_entry_lag', type: 'bigint', nullable: true },
  ],
  primary: ['source', 'lesson_id'],
  indexes: [],
});

const INDEXES = ['attendance', 'homework_len', 'entry_lag', 'control_entry_lag'].map((column) => ({
  name: `idx_lesson_entry_totals_${column}`,
  columnNames: ['school_id', column],
}));

export class LessonEntryTotals1763900000030 implements MigrationInterface {
  name = 'LessonEntryTotals1763900000030';

  async up(qr: QueryRunner): Promise<void> {
    await createTableFromDef(qr, LESSON_ENTRY_TOTALS);
    for (const ix of INDEXES) await qr.createIndex(LESSON_ENTRY_TOTALS.name, new TableIndex(ix));
    // Forgetting how far the derived tables were applied makes the next refresh (end of a sync,
    // start of a check run) a full build that fills this one too.
    await qr.query(`DELETE FROM derived_state`);
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.dropTable(LESSON_ENTRY_TOTALS.name, true);
  }
}
