import type { MigrationInterface, QueryRunner } from 'typeorm';
import type { TableDef } from '../table-def.js';
import { createTableFromDef } from './create-table.js';

/**
 * Derived data the checks read instead of grouping every mark on each run
 * (`src/mirror/projections/`): per reporting period row, subject and student, the counts and
 * sums of the current marks; per period row and subject, the lessons; and per school how far the
 * change history has been applied to them.
 * Rebuilt from the mirror at any time; never archived. Frozen: later changes are new migrations.
 */
const PERIOD_MARK_TOTALS: TableDef = Object.freeze<TableDef>({
  name: 'period_mark_totals',
  columns: [
    { name: 'source', type: 'text', nullable: false },
    /** `reporting_periods.id` (the per-class row). */
    { name: 'period_row', type: 'text', nullable: false },
    { name: 'subject_id', type: 'text', nullable: false },
    { name: 'student_id', type: 'text', nullable: false },
    { name: 'school_id', type: 'text', nullable: false },
    /** Live current marks, any value (mark-accumulation). */
    { name: 'marks', type: 'integer', nullable: false },
    /** Of those, numeric five-point marks that count in the average (final-mark-objectivity). */
    { name: 'graded', type: 'integer', nullable: false },
    { name: 'plain_sum', type: 'double precision', nullable: false },
    /** Σ value × work type weight (no weight: 1) and Σ weight, over the graded marks. */
    { name: 'weighted_sum', type: 'double precision', nullable: false },
    { name: 'weight_sum', type: 'double precision', nullable: false },
    /** Latest lesson date of a graded mark (`YYYY-MM-DD`). */
    { name: 'last_graded_date', type: 'text', nullable: true },
  ],
  primary: ['source', 'period_row', 'subject_id', 'student_id'],
  indexes: [['school_id']],
});

/** Per reporting period row and subject: the live lessons dated in the period. */
const PERIOD_SUBJECT_TOTALS: TableDef = Object.freeze<TableDef>({
  name: 'period_subject_totals',
  columns: [
    { name: 'source', type: 'text', nullable: false },
    { name: 'period_row', type: 'text', nullable: false },
    { name: 'subject_id', type: 'text', nullable: false },
    { name: 'school_id', type: 'text', nullable: false },
    { name: 'lessons', type: 'integer', nullable: false },
    /** The latest lesson date (`YYYY-MM-DD`). */
    { name: 'last_date', type: 'text', nullable: false },
  ],
  primary: ['source', 'period_row', 'subject_id'],
  indexes: [['school_id']],
});

const DERIVED_STATE: TableDef = Object.freeze<TableDef>({
  name: 'derived_state',
  columns: [
    { name: 'school_id', type: 'text', nullable: false },
    /** Which derived table: `period_mark_totals`. */
    { name: 'name', type: 'text', nullable: false },
    /**
     * Every change observed up to this instant is reflected (the latest `observed_at`, first-seen
     * or deletion instant applied): the table answers for any as-of instant from here on.
     */
    { name: 'applied_through', type: 'bigint', nullable: false },
    /**
     * How many versions were observed in the few minutes up to `applied_through` when it was
     * saved: more later means one committed late (its clock read before an earlier commit).
     */
    { name: 'tail_versions', type: 'integer', nullable: false },
    { name: 'built_at', type: 'bigint', nullable: false },
  ],
  primary: ['school_id', 'name'],
  indexes: [],
});

export class PeriodMarkTotals1763900000006 implements MigrationInterface {
  name = 'PeriodMarkTotals1763900000006';

  async up(qr: QueryRunner): Promise<void> {
    await createTableFromDef(qr, PERIOD_MARK_TOTALS);
    await createTableFromDef(qr, PERIOD_SUBJECT_TOTALS);
    await createTableFromDef(qr, DERIVED_STATE);
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.dropTable(DERIVED_STATE.name, true);
    await qr.dropTable(PERIOD_SUBJECT_TOTALS.name, true);
    await qr.dropTable(PERIOD_MARK_TOTALS.name, true);
  }
}
