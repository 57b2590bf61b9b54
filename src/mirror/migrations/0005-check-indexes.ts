import { TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * Partial indexes for the checks, each over the few rows one question needs, so that a check run
 * reads those rows instead of scanning a table (bench/checks, 1,000,000 marks):
 * - marks that carry the platform's entry moment: "are entry times known?" becomes one index
 *   probe instead of a scan of every mark (~1.3 s of CPU); empty for Dnevnik, which gives none;
 * - absences (~6 % of attendance): `absent-with-mark` reads them instead of every entry.
 * Frozen: later changes are new migrations.
 */
const INDEXES = [
  {
    table: 'marks',
    name: 'idx_marks_school_id_with_entry_time',
    columnNames: ['school_id'],
    where: 'entered_at IS NOT NULL',
  },
  {
    table: 'attendance',
    name: 'idx_attendance_lesson_id_student_id_absent',
    columnNames: ['lesson_id', 'student_id'],
    where: "status IN ('Absent', 'Ill', 'Pass')",
  },
] as const;

export class CheckIndexes1763900000005 implements MigrationInterface {
  name = 'CheckIndexes1763900000005';

  async up(qr: QueryRunner): Promise<void> {
    for (const { table, name, columnNames, where } of INDEXES) {
      await qr.createIndex(table, new TableIndex({ name, columnNames: [...columnNames], where }));
    }
  }

  async down(qr: QueryRunner): Promise<void> {
    for (const { table, name } of INDEXES) await qr.dropIndex(table, name);
  }
}
