import { randomUUID } from 'node:crypto';
import type { SqlExecutor } from '../../mirror/sql.js';

/**
 * The справки ezh has issued (`audit_notes`, migration 0022): each one written is recorded, and
 * the next one's window starts at the previous one's date when no `--from` is given.
 */

export interface AuditNoteRecord {
  schoolId: string;
  /** The справка's date: the end of its window. */
  asOf: number;
  from: number;
  runId: string | null;
  fileName: string;
  issuedAt: number;
}

export async function recordAuditNote(db: SqlExecutor, note: AuditNoteRecord): Promise<void> {
  await db.run(
    `INSERT INTO audit_notes (id, school_id, as_of, window_from, run_id, file_name, issued_at)
     VALUES (?, ?, ?, ?, ?, ?, ?)`,
    [randomUUID(), note.schoolId, note.asOf, note.from, note.runId, note.fileName, note.issuedAt],
  );
}

/**
 * The date of the school's latest справка before `before` (strictly: issuing the same справка
 * again does not shrink its own window to nothing); null: none issued yet.
 */
export async function previousAuditNoteAt(
  db: SqlExecutor,
  schoolId: string,
  before: number,
): Promise<number | null> {
  const rows = await db.query<{ at: number | string | null }>(
    'SELECT max(as_of) AS at FROM audit_notes WHERE school_id = ? AND as_of < ?',
    [schoolId, before],
  );
  const at = rows[0]?.at;
  return at === null || at === undefined ? null : Number(at);
}

/** An issued справка as the administration's history lists it. */
export interface AuditNote extends AuditNoteRecord {
  id: string;
}

/** The справки issued for these schools, newest first (at most `limit`). */
export async function listAuditNotes(
  db: SqlExecutor,
  schoolIds: readonly string[],
  limit = 200,
): Promise<AuditNote[]> {
  if (schoolIds.length === 0) return [];
  const rows = await db.query<{
    id: string;
    school_id: string;
    as_of: number | string;
    window_from: number | string;
    run_id: string | null;
    file_name: string;
    issued_at: number | string;
  }>(
    `SELECT id, school_id, as_of, window_from, run_id, file_name, issued_at FROM audit_notes
      WHERE school_id IN (${schoolIds.map(() => '?').join(', ')})
      ORDER BY issued_at DESC, id LIMIT ${Math.max(1, Math.floor(limit))}`,
    [...schoolIds],
  );
  return rows.map((r) => ({
    id: r.id,
    schoolId: r.school_id,
    asOf: Number(r.as_of),
    from: Number(r.window_from),
    runId: r.run_id,
    fileName: r.file_name,
    issuedAt: Number(r.issued_at),
  }));
}
