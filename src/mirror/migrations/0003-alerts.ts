import type { MigrationInterface, QueryRunner } from 'typeorm';
import type { TableDef } from '../table-def.js';
import { createTableFromDef } from './create-table.js';

/**
 * Alert bookkeeping: what was sent to whom, through which channel (`src/alerts/deliveries.ts`
 * reads and writes it with plain SQL). Frozen: later changes are new migrations.
 */
const ALERT_DELIVERIES: Readonly<TableDef> = Object.freeze<TableDef>({
  name: 'alert_deliveries',
  columns: [
    { name: 'item_key', type: 'text', nullable: false },
    { name: 'item_kind', type: 'text', nullable: false },
    { name: 'recipient', type: 'text', nullable: false },
    { name: 'channel', type: 'text', nullable: false },
    { name: 'school_id', type: 'text', nullable: false },
    { name: 'first_sent_at', type: 'bigint', nullable: false },
    { name: 'last_sent_at', type: 'bigint', nullable: false },
    { name: 'count', type: 'integer', nullable: false },
    { name: 'message_id', type: 'text', nullable: true },
  ],
  primary: ['item_key', 'recipient', 'channel'],
  indexes: [
    ['recipient', 'channel'],
    ['school_id', 'last_sent_at'],
  ],
});

export class Alerts1763900000003 implements MigrationInterface {
  name = 'Alerts1763900000003';

  async up(qr: QueryRunner): Promise<void> {
    await createTableFromDef(qr, ALERT_DELIVERIES);
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.dropTable(ALERT_DELIVERIES.name, true);
  }
}
