import { TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * `mark-late` decides from the platform's entry moment (`Mark.date`), never from when ezh first
 * saw a mark: the index of marks without an entry moment by first-seen time (0007, 0010) gives
 * way to one of marks with it by entry moment, with the same columns that decide lateness.
 * Frozen: later changes are new migrations.
 */
const OLD_NAME = 'idx_marks_lesson_id_first_seen_at_without_entry_time';
const OLD = new TableIndex({
  name: OLD_NAME,
  columnNames: ['lesson_id', 'first_seen_at', 'work_type_id', 'source', 'deleted_at'],
  where: 'entered_at IS NULL',
});
const NEW = new TableIndex({
  name: 'idx_marks_lesson_id_entered_at',
  columnNames: ['lesson_id', 'entered_at', 'work_type_id', 'source', 'deleted_at', 'first_seen_at'],
  where: 'entered_at IS NOT NULL',
});

export class MarksEnteredByLesson1763900000015 implements MigrationInterface {
  name = 'MarksEnteredByLesson1763900000015';

  async up(qr: QueryRunner): Promise<void> {
    await qr.dropIndex('marks', OLD_NAME);
    await qr.createIndex('marks', NEW);
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.dropIndex('marks', NEW.name!);
    await qr.createIndex('marks', OLD);
  }
}
