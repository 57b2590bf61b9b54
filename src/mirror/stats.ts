import type { StreamName } from '../connectors/records.js';
import type { SqlExecutor } from './sql.js';
import { ALL_TABLES } from './tables.js';

export interface EntityCount {
  stream: StreamName;
  table: string;
  live: number;
  deleted: number;
  versions: number;
}

/** Row counts per mirrored entity (live, deleted) and the number of history versions. */
export async function countEntities(db: SqlExecutor, schoolId?: string): Promise<EntityCount[]> {
  const out: EntityCount[] = [];
  const versionRows = await db.query<{ entity: string; n: number }>(
    `SELECT entity, count(*) AS n FROM record_versions ${schoolId ? 'WHERE school_id = ?' : ''} GROUP BY entity`,
    schoolId ? [schoolId] : [],
  );
  const versions = new Map(versionRows.map((r) => [r.entity, Number(r.n)]));
  for (const spec of ALL_TABLES) {
    const rows = await db.query<{ live: number | null; deleted: number | null }>(
      `SELECT sum(CASE WHEN deleted_at IS NULL THEN 1 ELSE 0 END) AS live,
              sum(CASE WHEN deleted_at IS NULL THEN 0 ELSE 1 END) AS deleted
       FROM ${spec.table} ${schoolId ? 'WHERE school_id = ?' : ''}`,
      schoolId ? [schoolId] : [],
    );
    out.push({
      stream: spec.stream,
      table: spec.table,
      live: Number(rows[0]?.live ?? 0),
      deleted: Number(rows[0]?.deleted ?? 0),
      versions: versions.get(spec.stream) ?? 0,
    });
  }
  return out;
}

/** Fixed-width text table for terminals. */
export function formatTable(headers: string[], rows: (string | number)[][]): string {
  const widths = headers.map((h, i) =>
    Math.max(h.length, ...rows.map((r) => String(r[i] ?? '').length)),
  );
  const line = (cells: (string | number)[]) =>
    cells
      .map((c, i) =>
        typeof c === 'number' ? String(c).padStart(widths[i]!) : String(c).padEnd(widths[i]!),
      )
      .join('  ');
  return [line(headers), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}
