import type { SqlExecutor } from '../sql.js';
import { isStringArray, parseRows, type RowReader } from './rows.js';

/**
 * The archive register (`archives`): every statement on the table, rows parsed at the edge. Which
 * `creating` row is a killed run (no live lease) is the archive's business (src/archive/registry.ts).
 */

export const ARCHIVE_KINDS = ['regular', 'period', 'year', 'summary'] as const;
export type StoredArchiveKind = (typeof ARCHIVE_KINDS)[number];

export const ARCHIVE_STATUSES = ['creating', 'complete', 'failed', 'pruned'] as const;
export type ArchiveStatus = (typeof ARCHIVE_STATUSES)[number];

export interface ArchiveRecord {
  fileName: string;
  /** Absolute paths, one per destination. */
  paths: string[];
  kind: StoredArchiveKind;
  period: string | null;
  schoolId: string | null;
  createdAt: number;
  asOf: number;
  sha256: string | null;
  size: number | null;
  status: ArchiveStatus;
  note: string | null;
}

const TABLE = 'archives';

const record = (r: RowReader): ArchiveRecord => ({
  fileName: r.text('file_name'),
  paths: r.json('paths', 'a JSON array of paths', isStringArray),
  kind: r.oneOf('kind', ARCHIVE_KINDS),
  period: r.textOrNull('period'),
  schoolId: r.textOrNull('school_id'),
  createdAt: r.int('created_at'),
  asOf: r.int('as_of'),
  sha256: r.textOrNull('sha256'),
  size: r.intOrNull('size'),
  status: r.oneOf('status', ARCHIVE_STATUSES),
  note: r.textOrNull('note'),
});

export async function insertCreating(
  db: SqlExecutor,
  row: Omit<ArchiveRecord, 'status' | 'sha256' | 'size' | 'note'>,
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

/** Archives (of one school, when given), newest first. */
export async function list(
  db: SqlExecutor,
  options: { schoolId?: string | null } = {},
): Promise<ArchiveRecord[]> {
  const rows = await db.query(
    `SELECT * FROM archives ${options.schoolId ? 'WHERE school_id = ?' : ''} ORDER BY created_at DESC, file_name DESC`,
    options.schoolId ? [options.schoolId] : [],
  );
  return parseRows(TABLE, rows, record);
}

/** The school's failed archives, oldest first. */
export async function failedOf(db: SqlExecutor, schoolId: string): Promise<ArchiveRecord[]> {
  const rows = await db.query(
    `SELECT * FROM archives WHERE school_id = ? AND status = 'failed' ORDER BY created_at`,
    [schoolId],
  );
  return parseRows(TABLE, rows, record);
}
