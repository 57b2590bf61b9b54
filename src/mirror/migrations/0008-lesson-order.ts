import { TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';
import type { TableDef } from '../table-def.js';
import { createTableFromDef } from './create-table.js';

/**
 * What `two-not-corrected` reads instead of numbering every lesson with window functions on each
 * run (bench/checks, 1,000,000 marks):
 * - `lesson_order`, derived like the period totals (refreshed with them, `src/mirror/projections/`):
 *   each live lesson's place in its class and subject (`seq`, from 1, by date, number, id);
 * - `marks (lesson_id, student_id, source, first_seen_at, deleted_at, id) WHERE mark_system =
 *   'mark5' AND value = '2'`: the unsatisfactory marks, which the rule starts from.
 * Existing mirrors: their derived tables are rebuilt whole at the next refresh.
 * Frozen: later changes are new migrations.
 */
const LESSON_ORDER: TableDef = Object.freeze<TableDef>({
  name: 'lesson_order',
  columns: [
    { name: 'source', type: 'text', nullable: false },
    { name: 'lesson_id', type: 'text', nullable: false },
    { name: 'school_id', type: 'text', nullable: false },
    { name: 'class_id', type: 'text', nullable: false },
    { name: 'subject_id', type: 'text', nullable: false },
    /** 1, 2, … within (source, class, subject), by date, then number (none: 0), then id. */
    { name: 'seq', type: 'integer', nullable: false },
    /** The lesson's `day_start_at`: lessons not yet begun as of a run are not "after" a mark. */
    { name: 'day_start_at', type: 'bigint', nullable: false },
  ],
  primary: ['source', 'lesson_id'],
  indexes: [],
});

/** The next lessons of a series, answered from the index alone. */
const SERIES = {
  name: 'idx_lesson_order_series',
  columnNames: ['class_id', 'subject_id', 'seq', 'source', 'lesson_id', 'day_start_at'],
};

const TWOS = {
  name: 'idx_marks_twos',
  columnNames: ['lesson_id', 'student_id', 'source', 'first_seen_at', 'deleted_at', 'id'],
  where: "mark_system = 'mark5' AND value = '2'",
};

export class LessonOrder1763900000008 implements MigrationInterface {
  name = 'LessonOrder1763900000008';

  async up(qr: QueryRunner): Promise<void> {
    await createTableFromDef(qr, LESSON_ORDER);
    await qr.createIndex(LESSON_ORDER.name, new TableIndex(SERIES));
    await qr.createIndex('marks', new TableIndex(TWOS));
    // The derived tables are refreshed together: forgetting how far they were applied makes the
    // next refresh (end of a sync, start of a check run) a full build that fills lesson_order too.
    await qr.query(`DELETE FROM derived_state`);
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.dropIndex('marks', TWOS.name);
    await qr.dropTable(LESSON_ORDER.name, true);
  }
}
