import type { MigrationInterface, QueryRunner } from 'typeorm';
import type { TableDef } from '../table-def.js';
import { createTableFromDef } from './create-table.js';

/**
 * `audit_notes`: every справка по итогам проверки ezh has issued (written as a PDF), so the next
 * one's window starts at the previous one's date (004 §5.2: the deputy director checks once in
 * 10 days, each справка covering the time since the last). Read and written with plain SQL
 * (src/reports/data/audit-notes.ts). Frozen: later changes are new migrations.
 */
const AUDIT_NOTES: Readonly<TableDef> = Object.freeze<TableDef>({
  name: 'audit_notes',
  columns: [
    { name: 'id', type: 'text', nullable: false },
    { name: 'school_id', type: 'text', nullable: false },
    /** The справка's date: the instant its window ends (its check run's as-of), epoch ms. */
    { name: 'as_of', type: 'bigint', nullable: false },
    /** Where its window started, epoch ms. */
    { name: 'window_from', type: 'bigint', nullable: false },
    /** The check run it reports; null: none had run by its date. */
    { name: 'run_id', type: 'text', nullable: true },
    /** The PDF's file name (no folder). */
    { name: 'file_name', type: 'text', nullable: false },
    { name: 'issued_at', type: 'bigint', nullable: false },
  ],
  primary: ['id'],
  indexes: [['school_id', 'as_of']],
});

export class AuditNotes1763900000022 implements MigrationInterface {
  name = 'AuditNotes1763900000022';

  async up(qr: QueryRunner): Promise<void> {
    await createTableFromDef(qr, AUDIT_NOTES);
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.dropTable(AUDIT_NOTES.name, true);
  }
}
