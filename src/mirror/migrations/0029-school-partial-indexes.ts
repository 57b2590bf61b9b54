import { TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * The partial indexes of «2»s (`marks`) and absences (`attendance`) again, with `school_id` first:
 * in a municipality's mirror `two-not-corrected` and `absent-with-mark` read every school's
 * entries of the older ones (migrations 0008, 0009) to keep their own school's. PostgreSQL only,
 * as 0028: a SQLite mirror holds one school. Frozen: later changes are new migrations.
 */
const ADDED = [
  {
    table: 'marks',
    name: 'idx_marks_school_id_twos',
    columnNames: [
      'school_id',
      'lesson_id',
      'student_id',
      'source',
      'first_seen_at',
      'deleted_at',
      'id',
    ],
    where: "mark_system = 'mark5' AND value = '2'",
  },
  {
    table: 'attendance',
    name: 'idx_attendance_school_id_absent',
    columnNames: ['school_id', 'lesson_id', 'student_id', 'source', 'first_seen_at', 'deleted_at'],
    where: "status IN ('Absent', 'Ill', 'Pass')",
  },
];

export class SchoolPartialIndexes1763900000029 implements MigrationInterface {
  name = 'SchoolPartialIndexes1763900000029';

  async up(qr: QueryRunner): Promise<void> {
    if (qr.connection.driver.options.type !== 'postgres') return;
    for (const ix of ADDED) {
      await qr.createIndex(
        ix.table,
        new TableIndex({ name: ix.name, columnNames: ix.columnNames, where: ix.where }),
      );
    }
  }

  async down(qr: QueryRunner): Promise<void> {
    if (qr.connection.driver.options.type !== 'postgres') return;
    for (const ix of ADDED) await qr.dropIndex(ix.table, ix.name);
  }
}
