import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Subgroups as first-class (issue 17, item 3). A class's lessons come back with its subgroups'
 * lessons, each naming the subgroup (reference §7). Until now such a lesson was stored under the
 * subgroup's id, and a subgroup was also synced as a class of its own, so its lessons fell out of
 * everything that joins by class and a mark's class flipped between the class and the subgroup.
 * From now on a lesson, work, mark, attendance entry and final mark belongs to the class; a
 * subgroup lesson names its subgroup in `lessons.group_id`.
 * - adds `lessons.group_id`;
 * - moves the rows kept under a subgroup to its class (the first parent the subgroup names), a
 *   lesson keeping the subgroup in `group_id`;
 * - forgets how far the derived tables were applied: `lesson_order` now numbers each subgroup's
 *   lessons apart, and the next refresh rebuilds them whole.
 * The moved rows' content hashes are left as they were: the next sync writes one version of each
 * with its new class, as for any other change.
 * Frozen: later changes are new migrations.
 */
const MOVED = ['works', 'marks', 'attendance', 'final_marks'];

export class SubgroupLessons1763900000016 implements MigrationInterface {
  name = 'SubgroupLessons1763900000016';

  async up(qr: QueryRunner): Promise<void> {
    const pg = qr.connection.driver.options.type === 'postgres';
    const p = (n: number) => (pg ? `$${n}` : '?');
    await qr.query(`ALTER TABLE lessons ADD COLUMN group_id text`);
    const subgroups = (await qr.query(
      `SELECT source, id, parent_ids FROM classes WHERE kind = 'subgroup' ORDER BY source, id`,
    )) as { source: string; id: string; parent_ids: string }[];
    for (const g of subgroups) {
      const parent = firstParent(g.parent_ids);
      if (parent === null) continue;
      await qr.query(
        `UPDATE lessons SET class_id = ${p(1)}, group_id = ${p(2)} WHERE source = ${p(3)} AND class_id = ${p(4)}`,
        [parent, g.id, g.source, g.id],
      );
      for (const table of MOVED) {
        await qr.query(
          `UPDATE ${table} SET class_id = ${p(1)} WHERE source = ${p(2)} AND class_id = ${p(3)}`,
          [parent, g.source, g.id],
        );
      }
    }
    await qr.query(`DELETE FROM derived_state`);
  }

  async down(qr: QueryRunner): Promise<void> {
    // Lessons go back under their subgroups; the other moved rows cannot tell where they were.
    await qr.query(`UPDATE lessons SET class_id = group_id WHERE group_id IS NOT NULL`);
    await qr.query(`ALTER TABLE lessons DROP COLUMN group_id`);
    await qr.query(`DELETE FROM derived_state`);
  }
}

/** `parent_ids` is a JSON list of ids; null when it names none. */
function firstParent(parentIds: string): string | null {
  try {
    const list = JSON.parse(parentIds) as unknown;
    if (Array.isArray(list) && list.length > 0 && list[0] !== null) return String(list[0]);
  } catch {
    // A malformed list names no parent: the rows stay where they are.
  }
  return null;
}
