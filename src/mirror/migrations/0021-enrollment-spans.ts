import type { MigrationInterface, QueryRunner } from 'typeorm';
import type { TableDef } from '../table-def.js';
import { createTableFromDef } from './create-table.js';

/**
 * `enrollment_spans`: when each student was in each class («прибыл» / «выбыл» in the printed
 * journal), derived after each sync from the enrollments' history. Frozen: later changes are new
 * migrations.
 */
const ENROLLMENT_SPANS: TableDef = Object.freeze<TableDef>({
  name: 'enrollment_spans',
  columns: [
    { name: 'source', type: 'text', nullable: false },
    { name: 'class_id', type: 'text', nullable: false },
    { name: 'person_id', type: 'text', nullable: false },
    { name: 'school_id', type: 'text', nullable: false },
    { name: 'status', type: 'text', nullable: false },
    { name: 'enrolled_on', type: 'text', nullable: true },
    { name: 'enrolled_basis', type: 'text', nullable: true },
    { name: 'left_on', type: 'text', nullable: true },
    { name: 'left_basis', type: 'text', nullable: true },
    { name: 'derived_at', type: 'bigint', nullable: false },
  ],
  primary: ['source', 'class_id', 'person_id'],
  indexes: [['school_id']],
});

export class EnrollmentSpans1763900000021 implements MigrationInterface {
  name = 'EnrollmentSpans1763900000021';

  async up(qr: QueryRunner): Promise<void> {
    await createTableFromDef(qr, ENROLLMENT_SPANS);
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.dropTable(ENROLLMENT_SPANS.name, true);
  }
}
