import type { MigrationInterface, QueryRunner } from 'typeorm';
import type { TableDef } from '../table-def.js';
import { createTableFromDef } from './create-table.js';

/**
 * `data_versions`: per school, a counter that every write the web's pages can show moves, in the
 * writer's own transaction (src/mirror/repositories/data-version.ts): the pages' read cache is
 * keyed by it, and reading it is one primary-key lookup however long the history grows (deriving
 * it from the runs' rows read every run of the school at every page view). Frozen: later
 * changes are new migrations.
 */
const DATA_VERSIONS: Readonly<TableDef> = Object.freeze<TableDef>({
  name: 'data_versions',
  columns: [
    { name: 'school_id', type: 'text', nullable: false },
    { name: 'version', type: 'bigint', nullable: false },
  ],
  primary: ['school_id'],
  indexes: [],
});

export class DataVersions1763900000027 implements MigrationInterface {
  name = 'DataVersions1763900000027';

  async up(qr: QueryRunner): Promise<void> {
    await createTableFromDef(qr, DATA_VERSIONS);
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.dropTable(DATA_VERSIONS.name, true);
  }
}
