import type { MigrationInterface, QueryRunner } from 'typeorm';
import type { TableDef } from '../table-def.js';
import { createTableFromDef } from './create-table.js';

/**
 * The register of archives written by `ezh archive create`: where each tarball went, what it
 * covers and its SHA-256, so that `list`, retention and `status` need not scan the media.
 * Frozen: later changes are new migrations.
 */
const ARCHIVES: TableDef = Object.freeze<TableDef>({
  name: 'archives',
  columns: [
    /** `ezh-<school>-<kind>[-<period>]-<stamp>.tar.gz`, unique per run. */
    { name: 'file_name', type: 'text', nullable: false },
    /** JSON array of absolute paths, one per destination. */
    { name: 'paths', type: 'text', nullable: false },
    /** regular | period | year | summary */
    { name: 'kind', type: 'text', nullable: false },
    { name: 'period', type: 'text', nullable: true },
    { name: 'school_id', type: 'text', nullable: true },
    { name: 'created_at', type: 'bigint', nullable: false },
    { name: 'as_of', type: 'bigint', nullable: false },
    { name: 'sha256', type: 'text', nullable: true },
    { name: 'size', type: 'bigint', nullable: true },
    /** creating | complete | failed | pruned */
    { name: 'status', type: 'text', nullable: false },
    /** Why it failed, what was left out (documents), when it was pruned. */
    { name: 'note', type: 'text', nullable: true },
  ],
  primary: ['file_name'],
  indexes: [
    ['school_id', 'kind', 'created_at'],
    ['status', 'created_at'],
  ],
});

export class Archive1763900000004 implements MigrationInterface {
  name = 'Archive1763900000004';

  async up(qr: QueryRunner): Promise<void> {
    await createTableFromDef(qr, ARCHIVES);
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.dropTable(ARCHIVES.name, true);
  }
}
