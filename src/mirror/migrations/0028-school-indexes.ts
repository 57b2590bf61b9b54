import { TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * `(school_id)` on the tables the checks read a whole school of: `lessons` (attendance-not-kept,
 * homework-missing, topic-missing, mark-late start from the school's lessons), `works`
 * (control-work-unmarked), `final_marks` (the period rules) and `lesson_order`
 * (two-not-corrected). One school's mirror reads them whole either way; in a municipality's
 * mirror a sequential scan reads every school's rows for each school checked (bench/municipality:
 * what each index changed is in bench/README.md).
 * PostgreSQL only: a SQLite mirror holds one school, and without table statistics SQLite would
 * take `(school_id)` over the class's index for a run limited to some classes.
 * Frozen: later changes are new migrations.
 */
const ADDED = ['lessons', 'works', 'final_marks', 'lesson_order'].map((table) => ({
  table,
  name: `idx_${table}_school_id`,
  columnNames: ['school_id'],
}));

export class SchoolIndexes1763900000028 implements MigrationInterface {
  name = 'SchoolIndexes1763900000028';

  async up(qr: QueryRunner): Promise<void> {
    if (qr.connection.driver.options.type !== 'postgres') return;
    for (const ix of ADDED) {
      await qr.createIndex(
        ix.table,
        new TableIndex({ name: ix.name, columnNames: ix.columnNames }),
      );
    }
  }

  async down(qr: QueryRunner): Promise<void> {
    if (qr.connection.driver.options.type !== 'postgres') return;
    for (const ix of ADDED) await qr.dropIndex(ix.table, ix.name);
  }
}
