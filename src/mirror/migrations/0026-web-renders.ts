import type { MigrationInterface, QueryRunner } from 'typeorm';
import type { TableDef } from '../table-def.js';
import { createTableFromDef } from './create-table.js';

/**
 * Documents printed from the web site (issue 22): each render's status, kept in the mirror so that
 * any `ezh serve` process answers its status page and serves its PDF, whichever process started it
 * and whichever worker printed it (service mode runs any number of each). The PDF itself lives in
 * a folder of its own under the output directory; rows and folders expire an hour after the render
 * ends. Read and written with plain SQL (src/mirror/repositories/web-renders.ts). Frozen: later
 * changes are new migrations.
 */
const WEB_RENDERS: Readonly<TableDef> = Object.freeze<TableDef>({
  name: 'web_renders',
  columns: [
    { name: 'id', type: 'text', nullable: false },
    /** The account that started it (`local:<login>`, `platform:<personId>`): the only reader. */
    { name: 'owner', type: 'text', nullable: false },
    { name: 'document_id', type: 'text', nullable: false },
    { name: 'title', type: 'text', nullable: false },
    { name: 'school_id', type: 'text', nullable: true },
    /** The document's params (JSON): they may name a student, so they stay in the mirror, not in Redis. */
    { name: 'params', type: 'text', nullable: false },
    /** queued | running | done | failed */
    { name: 'state', type: 'text', nullable: false },
    { name: 'started_at', type: 'bigint', nullable: false },
    { name: 'finished_at', type: 'bigint', nullable: true },
    /** Russian, for the page; never a stack. */
    { name: 'error', type: 'text', nullable: true },
    /** The PDF's name in the render's folder, when done. */
    { name: 'file_name', type: 'text', nullable: true },
  ],
  primary: ['id'],
  indexes: [['finished_at'], ['state']],
});

export class WebRenders1763900000026 implements MigrationInterface {
  name = 'WebRenders1763900000026';

  async up(qr: QueryRunner): Promise<void> {
    await createTableFromDef(qr, WEB_RENDERS);
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.dropTable(WEB_RENDERS.name, true);
  }
}
