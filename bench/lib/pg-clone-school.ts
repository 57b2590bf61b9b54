import type pg from 'pg';
import { JOURNAL_TABLES, secondaryIndexes } from './sqlite-to-pg.js';

/**
 * A municipality from one generated school: copies of its journal tables' rows under new ids,
 * inside PostgreSQL (`INSERT … SELECT`, no round trip through Node), as schools of their own.
 * Every id column (`id`, `school_id`, `*_id`, `created_by`) gets the prefix `<tag>:`, and so do the
 * ids inside the JSON arrays `teacher_ids` and `parent_ids`; everything else is the same rows, so
 * each copy has the source school's findings (the bench checks that it does).
 */

const JSON_ID_ARRAYS = new Set(['teacher_ids', 'parent_ids']);
const isId = (c: string) => c === 'id' || c.endsWith('_id') || c === 'created_by';

/**
 * Adds one copy of `fromSchool` per tag, copy after copy in each table; returns the copies'
 * school ids. The tables' secondary indexes are dropped first and built again after (one sort each).
 */
export async function cloneSchool(
  client: pg.ClientBase,
  schema: string,
  fromSchool: string,
  tags: readonly string[],
): Promise<{ schoolIds: string[]; copyMs: number; indexMs: number }> {
  const started = performance.now();
  const indexes = await secondaryIndexes(client, schema, JOURNAL_TABLES);
  for (const ix of indexes) await client.query(`DROP INDEX "${schema}"."${ix.name}"`);
  for (const table of JOURNAL_TABLES) {
    const res = await client.query<{ column_name: string; udt_name: string }>(
      `SELECT column_name, udt_name FROM information_schema.columns
        WHERE table_schema = $1 AND table_name = $2 ORDER BY ordinal_position`,
      [schema, table],
    );
    const cols = res.rows.map((r) => r.column_name);
    const exprs = res.rows.map(({ column_name: c, udt_name: type }) => {
      if (type !== 'text') return `t.${c}`;
      if (JSON_ID_ARRAYS.has(c)) {
        return `regexp_replace(t.${c}, '"([^"]+)"', '"' || k.tag || ':\\1"', 'g')`;
      }
      return isId(c) ? `k.tag || ':' || t.${c}` : `t.${c}`;
    });
    // One copy after the other: each school's rows lie together, as its own syncs write them
    // (a scope's rows in one transaction), not interleaved row by row with the other copies'.
    for (const tag of tags) {
      await client.query(
        `INSERT INTO "${schema}".${table} (${cols.join(', ')})
         SELECT ${exprs.join(', ')} FROM "${schema}".${table} t CROSS JOIN (SELECT $2::text AS tag) k
          WHERE t.school_id = $1`,
        [fromSchool, tag],
      );
    }
  }
  const copied = performance.now();
  for (const ix of indexes) await client.query(ix.sql);
  return {
    schoolIds: tags.map((tag) => `${tag}:${fromSchool}`),
    copyMs: copied - started,
    indexMs: performance.now() - copied,
  };
}
