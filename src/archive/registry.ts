import { isLive, readLeases } from '../mirror/leases.js';
import * as archives from '../mirror/repositories/archives.js';
import type { ArchiveStatus } from '../mirror/repositories/archives.js';
import type { SqlExecutor } from '../mirror/sql.js';
import type { ArchiveKind } from './manifest.js';

/**
 * The `archives` table: one row per archive run, written when the run starts (`creating`) and
 * settled when it ends (`complete` or `failed`); retention marks it `pruned`. A row left in
 * `creating` is a run that was killed: `list` shows it as `interrupted` (its run holds no live
 * lease, see `src/mirror/leases.ts`), retention ignores it.
 */

export type { ArchiveStatus } from '../mirror/repositories/archives.js';
/** As listed: a `creating` row whose run is dead reads `interrupted` (never stored). */
export type ListedArchiveStatus = ArchiveStatus | 'interrupted';

/** The lease an archive run holds while it works. */
export const archiveLeaseKey = (fileName: string) => `archive:${fileName}`;

export interface ArchiveRow {
  fileName: string;
  paths: string[];
  kind: ArchiveKind;
  period: string | null;
  schoolId: string | null;
  createdAt: number;
  asOf: number;
  sha256: string | null;
  size: number | null;
  status: ListedArchiveStatus;
  note: string | null;
}

export const insertCreating = (
  db: SqlExecutor,
  row: Omit<ArchiveRow, 'status' | 'sha256' | 'size' | 'note'>,
): Promise<void> => archives.insertCreating(db, row);

export const markComplete = (
  db: SqlExecutor,
  fileName: string,
  result: { paths: string[]; sha256: string; size: number; note: string | null },
): Promise<void> => archives.markComplete(db, fileName, result);

export const markFailed = (db: SqlExecutor, fileName: string, note: string): Promise<void> =>
  archives.markFailed(db, fileName, note);

export const markPruned = (db: SqlExecutor, fileName: string, note: string): Promise<void> =>
  archives.markPruned(db, fileName, note);

export async function listArchives(
  db: SqlExecutor,
  options: { schoolId?: string | null } = {},
): Promise<ArchiveRow[]> {
  const rows = await archives.list(db, options);
  const now = Date.now();
  const live = new Set(
    (await readLeases(db, 'archive:')).filter((l) => isLive(l, now)).map((l) => l.runId),
  );
  return rows.map((r) => ({
    ...r,
    status: r.status === 'creating' && !live.has(r.fileName) ? 'interrupted' : r.status,
  }));
}
