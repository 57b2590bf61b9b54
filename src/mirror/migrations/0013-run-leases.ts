import type { MigrationInterface, QueryRunner } from 'typeorm';
import type { TableDef } from '../table-def.js';
import { createTableFromDef } from './create-table.js';

/**
 * `run_leases`: the owner and heartbeat of a live sync or archive run, so that a second process
 * refuses to work on a run that another one is working on, and `ezh status` can tell a live run
 * from a killed one. Frozen: later changes are new migrations.
 */
const RUN_LEASES: TableDef = Object.freeze<TableDef>({
  name: 'run_leases',
  columns: [
    { name: 'lease_key', type: 'text', nullable: false },
    { name: 'run_id', type: 'text', nullable: false },
    { name: 'owner', type: 'text', nullable: false },
    { name: 'pid', type: 'integer', nullable: false },
    { name: 'host', type: 'text', nullable: false },
    { name: 'acquired_at', type: 'bigint', nullable: false },
    { name: 'heartbeat_at', type: 'bigint', nullable: false },
  ],
  primary: ['lease_key'],
  indexes: [],
});

export class RunLeases1763900000013 implements MigrationInterface {
  name = 'RunLeases1763900000013';

  async up(qr: QueryRunner): Promise<void> {
    await createTableFromDef(qr, RUN_LEASES);
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.dropTable(RUN_LEASES.name, true);
  }
}
