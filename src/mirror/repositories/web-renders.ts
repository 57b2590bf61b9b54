import type { SqlExecutor } from '../sql.js';
import { parseFirst, parseRows, type RowReader } from './rows.js';

/**
 * Documents printed from the web site (`web_renders`, migration 0026): every statement on the
 * table. A render is inserted queued by the web process that takes the request, moved to running,
 * done or failed by whoever prints it (that process, or a worker), read by any web process.
 */

export const WEB_RENDER_STATES = ['queued', 'running', 'done', 'failed'] as const;
export type WebRenderState = (typeof WEB_RENDER_STATES)[number];

export interface WebRenderRecord {
  id: string;
  owner: string;
  documentId: string;
  title: string;
  schoolId: string | null;
  /** The document's params, as JSON. */
  params: string;
  state: WebRenderState;
  startedAt: number;
  finishedAt: number | null;
  error: string | null;
  fileName: string | null;
}

const TABLE = 'web_renders';

const record = (r: RowReader): WebRenderRecord => ({
  id: r.text('id'),
  owner: r.text('owner'),
  documentId: r.text('document_id'),
  title: r.text('title'),
  schoolId: r.textOrNull('school_id'),
  params: r.text('params'),
  state: r.oneOf('state', WEB_RENDER_STATES),
  startedAt: r.int('started_at'),
  finishedAt: r.intOrNull('finished_at'),
  error: r.textOrNull('error'),
  fileName: r.textOrNull('file_name'),
});

export async function insertWebRender(
  db: SqlExecutor,
  r: Omit<WebRenderRecord, 'state' | 'finishedAt' | 'error' | 'fileName'>,
): Promise<void> {
  await db.run(
    `INSERT INTO web_renders (id, owner, document_id, title, school_id, params, state, started_at)
     VALUES (?, ?, ?, ?, ?, ?, 'queued', ?)`,
    [r.id, r.owner, r.documentId, r.title, r.schoolId, r.params, r.startedAt],
  );
}

export async function getWebRender(db: SqlExecutor, id: string): Promise<WebRenderRecord | null> {
  return parseFirst(TABLE, await db.query(`SELECT * FROM web_renders WHERE id = ?`, [id]), record);
}

/**
 * Moves a render that is not finished to running; false when it has finished (a job delivered
 * again after it was done). Running to running is allowed: a worker that died mid-render leaves
 * the job to another, which prints it again.
 */
export async function markWebRenderRunning(db: SqlExecutor, id: string): Promise<boolean> {
  const { changes } = await db.run(
    `UPDATE web_renders SET state = 'running' WHERE id = ? AND state IN ('queued', 'running')`,
    [id],
  );
  return changes > 0;
}

export async function finishWebRender(
  db: SqlExecutor,
  id: string,
  end: { at: number } & ({ fileName: string } | { error: string }),
): Promise<void> {
  const done = 'fileName' in end;
  await db.run(
    `UPDATE web_renders SET state = ?, finished_at = ?, file_name = ?, error = ?
      WHERE id = ? AND state IN ('queued', 'running')`,
    [done ? 'done' : 'failed', end.at, done ? end.fileName : null, done ? null : end.error, id],
  );
}

/** Renders that ended before `before`: their rows and folders are due to go. */
export async function expiredWebRenders(db: SqlExecutor, before: number): Promise<string[]> {
  return parseRows(
    TABLE,
    await db.query(`SELECT id FROM web_renders WHERE finished_at IS NOT NULL AND finished_at < ?`, [
      before,
    ]),
    (r) => r.text('id'),
  );
}

/** Renders not finished: what a restarted embedded process will never finish. */
export async function unfinishedWebRenders(db: SqlExecutor): Promise<string[]> {
  return parseRows(
    TABLE,
    await db.query(`SELECT id FROM web_renders WHERE state IN ('queued', 'running')`),
    (r) => r.text('id'),
  );
}

export async function deleteWebRender(db: SqlExecutor, id: string): Promise<void> {
  await db.run(`DELETE FROM web_renders WHERE id = ?`, [id]);
}

/** Renders queued or printing since before `before`: their job was lost (Redis emptied, say). */
export async function staleWebRenders(db: SqlExecutor, before: number): Promise<string[]> {
  return parseRows(
    TABLE,
    await db.query(
      `SELECT id FROM web_renders WHERE state IN ('queued', 'running') AND started_at < ?`,
      [before],
    ),
    (r) => r.text('id'),
  );
}
