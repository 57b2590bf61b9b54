import type { MigrationInterface, QueryRunner } from 'typeorm';
import { normalizeText } from '../../platform/text.js';

/**
 * Two columns for answers that were silently wrong (issue 23, items 8 and 11):
 * - `lessons.topic_norm`: the topic as `topic-missing` judges it (`normalizeText`: NFKC, invisible
 *   characters removed, whitespace collapsed, no letter or digit → empty), written by the mirror
 *   writer with every lesson and filled here for the lessons already mirrored, so the rule keeps
 *   selecting its few candidates in SQL (no SQL engine here can NFKC-normalise on both SQLite
 *   and PostgreSQL). Null when the topic is null.
 * - `check_runs.kind`: `current` for a run as of the mirror's present (it opens and resolves
 *   findings), `what-if` for a run as of any other instant (stored apart from the findings'
 *   lifecycle). Existing runs are `current`: they were all treated so.
 * Frozen: later changes are new migrations.
 */
const BATCH = 300;

export class FindingsTruth1763900000012 implements MigrationInterface {
  name = 'FindingsTruth1763900000012';

  async up(qr: QueryRunner): Promise<void> {
    await qr.query(`ALTER TABLE lessons ADD COLUMN topic_norm text`);
    await qr.query(`ALTER TABLE check_runs ADD COLUMN kind text`);
    await qr.query(`UPDATE check_runs SET kind = 'current'`);
    await fillTopicNorm(qr);
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.query(`ALTER TABLE check_runs DROP COLUMN kind`);
    await qr.query(`ALTER TABLE lessons DROP COLUMN topic_norm`);
  }
}

/** Keyset pages of lessons with a topic; each page written by one `UPDATE … FROM (VALUES …)`. */
export async function fillTopicNorm(qr: QueryRunner): Promise<void> {
  const pg = qr.connection.driver.options.type === 'postgres';
  const p = (n: number) => (pg ? `$${n}` : '?');
  let after: [string, string] | null = null;
  for (;;) {
    const page = (await qr.query(
      `SELECT source, id, topic FROM lessons WHERE topic IS NOT NULL${
        after ? ` AND (source > ${p(1)} OR (source = ${p(2)} AND id > ${p(3)}))` : ''
      } ORDER BY source, id LIMIT ${BATCH}`,
      after ? [after[0], after[0], after[1]] : [],
    )) as { source: string; id: string; topic: string }[];
    if (page.length === 0) return;
    const params = page.flatMap((r) => [r.source, r.id, normalizeText(r.topic)]);
    const values = page.map((_, i) => `(${p(3 * i + 1)}, ${p(3 * i + 2)}, ${p(3 * i + 3)})`);
    await qr.query(
      `UPDATE lessons SET topic_norm = v.column3 FROM (VALUES ${values.join(', ')}) AS v
       WHERE lessons.source = v.column1 AND lessons.id = v.column2`,
      params,
    );
    const last = page[page.length - 1]!;
    after = [last.source, last.id];
  }
}
