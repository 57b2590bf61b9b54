import { TableColumn, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * Two more figures per lesson in `lesson_entry_totals` (src/mirror/projections/lesson-totals.ts),
 * for the two rules that otherwise probe a large school's every absence and every control work's
 * every student on each run:
 * - `absent_marked`: live absences of the lesson whose student has a live graded mark in it that
 *   is not a homework's (`absent-with-mark`);
 * - `control_unmarked`: (control work, student of its roster) pairs of the lesson with no live
 *   mark for the work and no live absence from the lesson (`control-work-unmarked`).
 * Each with an index that leads with the school. Existing mirrors: their derived tables are
 * rebuilt whole at the next refresh. Frozen: later changes are new migrations.
 */
const TABLE = 'lesson_entry_totals';
const COLUMNS = ['absent_marked', 'control_unmarked'];

export class LessonCellTotals1763900000031 implements MigrationInterface {
  name = 'LessonCellTotals1763900000031';

  async up(qr: QueryRunner): Promise<void> {
    await qr.addColumns(
      TABLE,
      COLUMNS.map(
        (name) => new TableColumn({ name, type: 'integer', isNullable: false, default: 0 }),
      ),
    );
    for (const column of COLUMNS) {
      await qr.createIndex(
        TABLE,
        new TableIndex({ name: `idx_${TABLE}_${column}`, columnNames: ['school_id', column] }),
      );
    }
    // As 0030: the next refresh (end of a sync, start of a check run) builds every derived
    // table whole, these figures included.
    await qr.query(`DELETE FROM derived_state`);
  }

  async down(qr: QueryRunner): Promise<void> {
    for (const column of COLUMNS) await qr.dropIndex(TABLE, `idx_${TABLE}_${column}`);
    for (const column of COLUMNS) await qr.dropColumn(TABLE, column);
  }
}
