import type { QuarantinedRecord } from '../connectors/connector.js';
import type { StreamName } from '../connectors/records.js';
import { canonicalJson } from '../mirror/hash.js';
import { minimizeQuarantinedPayload } from '../mirror/privacy.js';
import * as operatorEvents from '../mirror/repositories/operator-events.js';
import type { SqlExecutor } from '../mirror/sql.js';

/**
 * What an operator must see: quarantined records (`quarantine`) and events (`operator_events`).
 * Both are written in the scope's transaction and de-duplicated, so a repeated scope (a retried
 * job, a resumed run) adds nothing twice.
 */

export type EventKind = 'schema_drift' | 'mass_deletion_refused' | 'sync_failed';

export async function recordEvent(
  tx: SqlExecutor,
  event: {
    at: number;
    kind: EventKind;
    severity: 'info' | 'warning' | 'critical';
    schoolId: string;
    message: string;
    details: Record<string, unknown>;
  },
): Promise<void> {
  // Details are canonical JSON, so "the same event" is a text comparison.
  const details = canonicalJson(event.details);
  if (await operatorEvents.exists(tx, { kind: event.kind, schoolId: event.schoolId, details })) {
    return;
  }
  await operatorEvents.insert(tx, { ...event, details });
}

/**
 * Stores quarantined records not already held (same stream, record, reason and payload). A raw
 * payload passes the mirror's privacy filter first (152-ФЗ): a person without consent keeps no
 * more here than in the `persons` table.
 */
export async function quarantine(
  tx: SqlExecutor,
  records: readonly QuarantinedRecord[],
  ctx: {
    source: string;
    schoolId: string;
    observedAt: number;
    runId: string;
    /** Consent per person id; default: no consent. */
    isConsented?: (personId: string) => boolean;
  },
): Promise<number> {
  const isConsented = ctx.isConsented ?? (() => false);
  let added = 0;
  for (const q of records) {
    const payload = canonicalJson(
      minimizeQuarantinedPayload(q.stream, q.payload, q.ref, isConsented),
    );
    const existing = await tx.query(
      `SELECT 1 AS x FROM quarantine WHERE source = ? AND school_id = ? AND stream = ? AND coalesce(record_ref, '') = ?
         AND reason = ? AND payload = ? LIMIT 1`,
      [ctx.source, ctx.schoolId, q.stream, q.ref ?? '', q.reason, payload],
    );
    if (existing.length > 0) continue;
    await tx.run(
      'INSERT INTO quarantine (source, school_id, stream, record_ref, reason, payload, observed_at, sync_run_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
      [ctx.source, ctx.schoolId, q.stream, q.ref, q.reason, payload, ctx.observedAt, ctx.runId],
    );
    added++;
  }
  return added;
}

/**
 * Passes the school's stored quarantine through the privacy filter again: rows written before
 * the filter existed, and rows of a person whose consent has since been withdrawn, keep no more
 * than the mirror keeps of that person. Idempotent; returns the rows rewritten.
 */
export async function scrubQuarantine(
  tx: SqlExecutor,
  schoolId: string,
  isConsented: (personId: string) => boolean,
): Promise<number> {
  const rows = await tx.query<{
    id: number | string;
    stream: string;
    record_ref: string | null;
    payload: string;
  }>('SELECT id, stream, record_ref, payload FROM quarantine WHERE school_id = ?', [schoolId]);
  let rewritten = 0;
  for (const row of rows) {
    let raw: unknown;
    try {
      raw = JSON.parse(row.payload);
    } catch {
      // Not JSON (never written so by ezh): nothing can be told apart in it, so none of it stays.
      raw = null;
    }
    const payload = canonicalJson(
      minimizeQuarantinedPayload(row.stream as StreamName, raw, row.record_ref, isConsented),
    );
    if (payload === row.payload) continue;
    await tx.run('UPDATE quarantine SET payload = ? WHERE id = ?', [payload, row.id]);
    rewritten++;
  }
  return rewritten;
}
