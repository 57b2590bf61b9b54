import { sha1 } from '../../mirror/hash.js';
import type { SqlExecutor } from '../../mirror/sql.js';
import { ALL_TABLES } from '../../mirror/tables.js';

/**
 * A fingerprint of the mirror's live data: per entity, the number of live rows and a hash of their
 * ids and content hashes. Two mirrors with equal digests hold the same platform data.
 */
export type MirrorDigest = Record<string, { live: number; hash: string }>;

export async function mirrorDigest(db: SqlExecutor, schoolId?: string): Promise<MirrorDigest> {
  const out: MirrorDigest = {};
  for (const spec of ALL_TABLES) {
    const rows = await db.query<{ id: string; content_hash: string }>(
      `SELECT id, content_hash FROM ${spec.table} WHERE deleted_at IS NULL ${schoolId ? 'AND school_id = ?' : ''} ORDER BY id`,
      schoolId ? [schoolId] : [],
    );
    // Sorted in JS: the two engines collate text differently.
    const lines = rows.map((r) => `${r.id}=${r.content_hash}`).sort();
    out[spec.stream] = { live: rows.length, hash: sha1(lines.join('\n')) };
  }
  return out;
}

/** Live rows per entity, for comparing with a platform's own counts. */
export function liveCounts(digest: MirrorDigest): Record<string, number> {
  return Object.fromEntries(Object.entries(digest).map(([k, v]) => [k, v.live]));
}
