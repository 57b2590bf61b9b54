import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `period_mark_totals.marks` now counts only marks that grade (not «н/а» or «осв», docs/rules.md
 * "Mark variety"): forgetting the totals' build state makes the next refresh rebuild them whole
 * with the new definition. Nothing else changes; the rows are derived and cost one scan.
 * Frozen: later changes are new migrations.
 */
export class TotalsGradedMarks1763900000017 implements MigrationInterface {
  name = 'TotalsGradedMarks1763900000017';

  async up(qr: QueryRunner): Promise<void> {
    await qr.query(`DELETE FROM derived_state WHERE name = 'period_mark_totals'`);
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.query(`DELETE FROM derived_state WHERE name = 'period_mark_totals'`);
  }
}
