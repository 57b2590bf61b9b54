import type { MigrationInterface, QueryRunner } from 'typeorm';
import type { TableDef } from '../table-def.js';
import { createTableFromDef } from './create-table.js';

/**
 * Checks: the history of each finding (opened, resolved, re-opened, per run). The indexes the
 * rules' SQL needs are part of the mirrored tables (0001). Frozen once landed.
 */
const FINDING_EVENTS: TableDef = {
  name: 'finding_events',
  columns: [
    { name: 'finding_key', type: 'text', nullable: false },
    { name: 'run_id', type: 'text', nullable: false },
    /** opened | resolved | reopened */
    { name: 'kind', type: 'text', nullable: false },
    { name: 'school_id', type: 'text', nullable: false },
    { name: 'rule', type: 'text', nullable: false },
    { name: 'teacher_id', type: 'text', nullable: true },
    { name: 'class_id', type: 'text', nullable: true },
    /** The run's as-of instant (epoch ms). */
    { name: 'at', type: 'bigint', nullable: false },
  ],
  primary: ['finding_key', 'run_id'],
  indexes: [['school_id', 'at'], ['run_id']],
};

export class Checks1763900000002 implements MigrationInterface {
  name = 'Checks1763900000002';

  async up(qr: QueryRunner): Promise<void> {
    await createTableFromDef(qr, FINDING_EVENTS);
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.dropTable(FINDING_EVENTS.name, true);
  }
}
