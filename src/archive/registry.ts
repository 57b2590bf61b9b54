import { isLive, readLeases } from '../mirror/leases.js';
import type { SqlExecutor } from '../mirror/sql.js';
import type { ArchiveKind } from './manifest.js';

/**
 * The `archives` table: one row per archive run, written when the run starts (`creating`) and
 * settled when it ends (`complete` or `failed`); retention marks it `pruned`. A row left in
 * `creating` is a run that was killed: `list` shows it as `interrupted` (its run holds no live
 * lease, see `src/mirror/leases.ts`), retention ignores it.
 */

export type ArchiveStatus = 'creating' | 'complete' | 'failed' | 'pruned';
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

type DbRow = {
  file_name: string;
  paths: string;
  kind: string;
  period: string | null;
  school_id: string | null;
  created_at: number | string;
  as_of: number | string;
  sha256: string | null;
  size: number | string | null;
  status: string;
  note: string | null;
};

export async function insertCreating(
  db: SqlExecutor,
  row: Omit<ArchiveRow, 'status' | 'sha256' | 'size' | 'note'>,
): Promise<void> {
  await db.run(
    `INSERT INTO archives (file_name, paths, kind, period, school_id, created_at, as_of, status)
     VALUES (?, ?, ?, ?, ?, ?, ?, 'creating')`,
    [
      row.fileName,
      JSON.stringify(row.paths),
      row.kind,
      row.period,
      row.schoolId,
      row.createdAt,
      row.asOf,
    ],
  );
}

export async function markComplete(
  db: SqlExecutor,
  fileName: string,
  result: { paths: string[]; sha256: string; size: number; note: string | null },
): Promise<void> {
  await db.run(
    `UPDATE archives SET status = 'complete', paths = ?, sha256 = ?, size = ?, note = ? WHERE file_name = ?`,
    [JSON.stringify(result.paths), result.sha256, result.size, result.note, fileName],
  );
}

export async function markFailed(db: SqlExecutor, fileName: string, note: string): Promise<void> {
  await db.run(`UPDATE archives SET status = 'failed', note = ? WHERE file_name = ?`, [
    note,
    fileName,
  ]);
}

export async function markPruned(db: SqlExecutor, fileName: string, note: string): Promise<void> {
  await db.run(`UPDATE archives SET status = 'pruned', note = ? WHERE file_name = ?`, [
    note,
    fileName,
  ]);
}

export async function listArchives(
  db: SqlExecutor,
  options: { schoolId?: string | null } = {},
): Promise<ArchiveRow[]> {
  const rows = await db.query<DbRow>(
    `SELECT * FROM archives ${options.schoolId ? 'WHERE school_id = ?' : ''} ORDER BY created_at DESC, file_name DESC`,
    options.schoolId ? [options.schoolId] : [],
  );
  const now = Date.now();
  const live = new Set(
    (await readLeases(db, 'archive:')).filter((l) => isLive(l, now)).map((l) => l.runId),
  );
  const listed = (status: string, fileName: string): ListedArchiveStatus =>
    status === 'creating' && !live.has(fileName) ? 'interrupted' : (status as ArchiveStatus);
  return rows.map((r) => ({
    fileName: r.file_name,
    paths: JSON.parse(r.paths) as string[],
    kind: r.kind as ArchiveKind,
    period: r.period,
    schoolId: r.school_id,
    createdAt: Number(r.created_at),
    asOf: Number(r.as_of),
    sha256: r.sha256,
    size: r.size === null ? null : Number(r.size),
    status: listed(r.status, r.file_name),
    note: r.note,
  }));
}
