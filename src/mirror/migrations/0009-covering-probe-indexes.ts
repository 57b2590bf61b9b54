import { TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * Probes the checks make hundreds of thousands of times per run, answered from the index
 * (bench/checks, 1,000,000 marks, 3.1M attendance entries): the table row is read only for what
 * a probe finds, or not at all.
 * - `attendance (lesson_id)` widened to `(lesson_id, source, first_seen_at, deleted_at)`:
 *   "has this lesson a live entry?" (`attendance-not-kept`, once per lesson: 0.9 → 0.55 s);
 *   lookups by lesson use its prefix;
 * - the partial index of absences `(lesson_id, student_id)` widened the same way and with
 *   `school_id`: `absent-with-mark`, reading every absence, tests its school, liveness and mark
 *   from the index and reads the table row of the few it finds (0.83 → 0.34 s); and a probe by
 *   lesson and student (`control-work-unmarked`) keeps matching it on more columns than the
 *   index above, reading one student's absences, not the lesson's entries;
 * - `marks (work_id, student_id)` widened to `(…, source, first_seen_at, deleted_at)`: "has this
 *   student a live mark for this control work?" (`control-work-unmarked`, ~390,000 pairs:
 *   1.2 → 0.9 s).
 * Frozen: later changes are new migrations.
 */
const ABSENT = "status IN ('Absent', 'Ill', 'Pass')";

const BY_LESSON = {
  old: new TableIndex({ name: 'idx_attendance_lesson_id', columnNames: ['lesson_id'] }),
  new: new TableIndex({
    name: 'idx_attendance_lesson_id_source_first_seen_at_deleted_at',
    columnNames: ['lesson_id', 'source', 'first_seen_at', 'deleted_at'],
  }),
};

const ABSENCES = {
  old: new TableIndex({
    name: 'idx_attendance_lesson_id_student_id_absent',
    columnNames: ['lesson_id', 'student_id'],
    where: ABSENT,
  }),
  new: new TableIndex({
    name: 'idx_attendance_lesson_id_student_id_absent',
    columnNames: ['lesson_id', 'student_id', 'source', 'first_seen_at', 'deleted_at', 'school_id'],
    where: ABSENT,
  }),
};

const BY_WORK = {
  old: new TableIndex({
    name: 'idx_marks_work_id_student_id',
    columnNames: ['work_id', 'student_id'],
  }),
  new: new TableIndex({
    name: 'idx_marks_work_id_student_id_source_first_seen_at_deleted_at',
    columnNames: ['work_id', 'student_id', 'source', 'first_seen_at', 'deleted_at'],
  }),
};

/** Indexes replaced by a wider one under a new name (created first, then the old one dropped). */
const WIDENED = [
  ['attendance', BY_LESSON],
  ['marks', BY_WORK],
] as const;

export class CoveringProbeIndexes1763900000009 implements MigrationInterface {
  name = 'CoveringProbeIndexes1763900000009';

  async up(qr: QueryRunner): Promise<void> {
    for (const [table, change] of WIDENED) {
      await qr.createIndex(table, change.new);
      await qr.dropIndex(table, change.old.name!);
    }
    // Same name, more columns: dropped first.
    await qr.dropIndex('attendance', ABSENCES.old.name!);
    await qr.createIndex('attendance', ABSENCES.new);
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.dropIndex('attendance', ABSENCES.new.name!);
    await qr.createIndex('attendance', ABSENCES.old);
    for (const [table, change] of WIDENED) {
      await qr.createIndex(table, change.old);
      await qr.dropIndex(table, change.new.name!);
    }
  }
}
