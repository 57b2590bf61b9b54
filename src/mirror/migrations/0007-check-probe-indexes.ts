import { TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * Indexes that answer a check's probe from the index (bench/checks, 1,000,000 marks):
 * - `final_marks (class_id, subject_id)` widened to `(class_id, subject_id, student_id,
 *   period_id)`: "has this student a period mark in this subject and period?" is one probe
 *   instead of a read of the class's marks in the subject (~125 rows), so the period rules no
 *   longer copy every final mark per run; lookups by class and subject use its prefix;
 * - `marks (lesson_id, first_seen_at) WHERE entered_at IS NULL`, new: `mark-late` reads only a
 *   lesson's marks seen after its earliest deadline. Partial, so that no other query can pick it
 *   (see `MARKS_SEEN_BY_LESSON` in src/mirror/tables.ts); not a widening of `(lesson_id,
 *   student_id)` either: without table statistics SQLite then probed `two-not-corrected`'s next
 *   lessons through the primary key (a scan).
 * Frozen: later changes are new migrations.
 */
const CHANGES = [
  {
    table: 'final_marks',
    old: { name: 'idx_final_marks_class_id_subject_id', columnNames: ['class_id', 'subject_id'] },
    new: {
      name: 'idx_final_marks_class_id_subject_id_student_id_period_id',
      columnNames: ['class_id', 'subject_id', 'student_id', 'period_id'],
    },
  },
] as const;

const ADDED = {
  table: 'marks',
  name: 'idx_marks_lesson_id_first_seen_at_without_entry_time',
  columnNames: ['lesson_id', 'first_seen_at'],
  where: 'entered_at IS NULL',
} as const;

export class CheckProbeIndexes1763900000007 implements MigrationInterface {
  name = 'CheckProbeIndexes1763900000007';

  async up(qr: QueryRunner): Promise<void> {
    for (const c of CHANGES) {
      await qr.createIndex(
        c.table,
        new TableIndex({ ...c.new, columnNames: [...c.new.columnNames] }),
      );
      await qr.dropIndex(c.table, c.old.name);
    }
    await qr.createIndex(
      ADDED.table,
      new TableIndex({ name: ADDED.name, columnNames: [...ADDED.columnNames], where: ADDED.where }),
    );
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.dropIndex(ADDED.table, ADDED.name);
    for (const c of CHANGES) {
      await qr.createIndex(
        c.table,
        new TableIndex({ ...c.old, columnNames: [...c.old.columnNames] }),
      );
      await qr.dropIndex(c.table, c.new.name);
    }
  }
}
