import type { MigrationInterface, QueryRunner } from 'typeorm';
import type { TableDef } from '../table-def.js';
import { createTableFromDef } from './create-table.js';

/**
 * `finding_actions`: what people did about a finding (acknowledged, waived with a reason,
 * reopened), who and when, one row per action, never rewritten: a finding's state is its latest
 * action (src/checks/finding-actions.ts). `schedule_fires`: the occurrences the embedded scheduler
 * has started, so a restarted process never starts one twice (src/jobs/embedded-scheduler.ts).
 * Both are read and written with plain SQL. Frozen: later changes are new migrations.
 */
const FINDING_ACTIONS: Readonly<TableDef> = Object.freeze<TableDef>({
  name: 'finding_actions',
  columns: [
    { name: 'finding_key', type: 'text', nullable: false },
    /** 1, 2, … per finding, in the order the actions were taken. */
    { name: 'seq', type: 'integer', nullable: false },
    { name: 'school_id', type: 'text', nullable: false },
    /** acknowledge | waive | reopen */
    { name: 'action', type: 'text', nullable: false },
    { name: 'reason', type: 'text', nullable: true },
    /** Who did it, as they gave their name (a deputy director, an engineer). */
    { name: 'actor', type: 'text', nullable: false },
    { name: 'at', type: 'bigint', nullable: false },
  ],
  primary: ['finding_key', 'seq'],
  indexes: [['school_id', 'at']],
});

const SCHEDULE_FIRES: Readonly<TableDef> = Object.freeze<TableDef>({
  name: 'schedule_fires',
  columns: [
    { name: 'schedule_id', type: 'text', nullable: false },
    /** The occurrence (epoch ms) the cron pattern named, not when it ran. */
    { name: 'occurrence', type: 'bigint', nullable: false },
    { name: 'fired_at', type: 'bigint', nullable: false },
  ],
  primary: ['schedule_id', 'occurrence'],
  indexes: [],
});

export class FindingActions1763900000020 implements MigrationInterface {
  name = 'FindingActions1763900000020';

  async up(qr: QueryRunner): Promise<void> {
    await createTableFromDef(qr, FINDING_ACTIONS);
    await createTableFromDef(qr, SCHEDULE_FIRES);
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.dropTable(SCHEDULE_FIRES.name, true);
    await qr.dropTable(FINDING_ACTIONS.name, true);
  }
}
