import { TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * `marks (lesson_id, first_seen_at) WHERE entered_at IS NULL` (migration 0007) widened with
 * `work_type_id, source, deleted_at`: `mark-late` reads each lesson's marks seen after the
 * earliest deadline through it, and now decides from the index alone whether such a mark is late
 * (its work type gives its deadline; source and deletion are the liveness test), reading the
 * table row only for a late one (bench/checks, 1,000,000 marks, 36 % of them seen after the
 * earliest deadline: 0.35 → 0.14 s). Same name: the prefix, and what can pick it, are unchanged.
 * Frozen: later changes are new migrations.
 */
const NAME = 'idx_marks_lesson_id_first_seen_at_without_entry_time';
const WHERE = 'entered_at IS NULL';

const OLD = new TableIndex({
  name: NAME,
  columnNames: ['lesson_id', 'first_seen_at'],
  where: WHERE,
});
const NEW = new TableIndex({
  name: NAME,
  columnNames: ['lesson_id', 'first_seen_at', 'work_type_id', 'source', 'deleted_at'],
  where: WHERE,
});

export class MarkLateIndex1763900000010 implements MigrationInterface {
  name = 'MarkLateIndex1763900000010';

  async up(qr: QueryRunner): Promise<void> {
    await qr.dropIndex('marks', NAME);
    await qr.createIndex('marks', NEW);
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.dropIndex('marks', NAME);
    await qr.createIndex('marks', OLD);
  }
}
