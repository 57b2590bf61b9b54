import type { Connector, FetchResult, QuarantinedRecord } from '../connectors/connector.js';
import type { AnyRecord, StreamName } from '../connectors/records.js';
import { createHash } from 'node:crypto';
import { canonicalJson } from '../mirror/hash.js';
import {
  lockMirrorWrites,
  touchRows,
  upsertRecords,
  type WriteContext,
} from '../mirror/mirror-writer.js';
import {
  deleteRows,
  findMissing,
  type DeletionResult,
  type DeletionScope,
  type MassDeletionGuard,
  type MissingRows,
  type ParentHolds,
} from '../mirror/scope-deletion.js';
import type { SqlDb, SqlExecutor } from '../mirror/sql.js';
import { tableOf } from '../mirror/tables.js';
import { getCheckpoint, overlappedSince, writeCheckpoint } from './checkpoints.js';
import { quarantine, recordEvent } from './operator-log.js';
import { addStreamStats, appendNotes, zeroStats, type StreamStats } from './run-store.js';
import { recordScopeDone } from './run-store.js';
import { renewSyncLease } from './run-lease.js';
import type { PlannedScope } from './scope.js';

/**
 * One scope, end to end: fetch, then one transaction that upserts its rows, infers deletions
 * (complete fetches only, behind the mass-deletion guard), quarantines bad records, adds the
 * run's statistics and writes the checkpoint. Either all of it is in the mirror or none of it.
 */

export interface RunScopeContext {
  runId: string;
  schoolId: string;
  zone: string;
  isConsented: (personId: string) => boolean;
  /** Hash of the consent list: a change of consent rewrites person rows. */
  consentHash: string;
  guard: MassDeletionGuard;
  now: () => number;
}

export interface ScopeOutcome {
  scope: PlannedScope;
  /** Already done by this run (resumed run, retried job). */
  skipped: boolean;
  /** The scope's content equals its last checkpoint: nothing was rewritten. */
  unchanged: boolean;
  stats: Map<StreamName, StreamStats>;
  refused: StreamName[];
}

export async function syncScope(
  db: SqlDb,
  connector: Connector,
  run: RunScopeContext,
  scope: PlannedScope,
): Promise<ScopeOutcome> {
  const outcome: ScopeOutcome = {
    scope,
    skipped: false,
    unchanged: false,
    stats: new Map(),
    refused: [],
  };
  const before = await getCheckpoint(db, scope.key);
  if (before?.sync_run_id === run.runId) return { ...outcome, skipped: true };

  const started = Date.now();
  const result = await connector.fetch(scope.streams, {
    schoolId: scope.schoolId,
    ...(scope.classId ? { classId: scope.classId } : {}),
    ...(scope.from ? { from: scope.from } : {}),
    ...(scope.to ? { to: scope.to } : {}),
  });
  const observedAt = run.now();
  const ctx: WriteContext = {
    source: connector.platform,
    schoolId: run.schoolId,
    get zone() {
      return run.zone;
    },
    observedAt,
    syncRunId: run.runId,
    isConsented: run.isConsented,
  };
  const canonical = new Map<object, string>();
  const hash = result.complete ? scopeHash(scope, result, run.consentHash, canonical) : null;
  const stats = new Map<StreamName, StreamStats>(scope.streams.map((s) => [s, zeroStats()]));
  // A fetch is one or more platform calls for the whole scope: its cost is booked on the first stream.
  const first = stats.get(scope.streams[0]!)!;
  first.requests = result.stats.requests;
  first.retries = result.stats.retries;

  const sameAsBefore =
    hash !== null &&
    before?.scope_hash === hash &&
    result.quarantined.length === 0 &&
    !(await overlappedSince(db, scope, before.completed_at));

  await db.transaction(async (tx) => {
    // Before anything is read: deletions found below write versions too (mirror-writer.ts).
    await lockMirrorWrites(tx, ctx.source);
    let records = 0;
    if (sameAsBefore) {
      outcome.unchanged = true;
      for (const stream of scope.streams) {
        const list = recordsOf(result, stream);
        records += list.length;
        stats.get(stream)!.unchanged = list.length;
        await touch(tx, stream, list, ctx);
      }
    } else {
      // Deletions are inferred from complete fetches only. The scope's rows that the fetch did
      // not return are read before the stream's own rows are written (see `findMissing`), after
      // the earlier streams' (lessons before works: works are scoped through their lessons).
      // Rows under a parent this fetch could not read (a quarantined lesson) are held as well:
      // their absence says nothing when the parent itself did not come through.
      const missing: MissingRows[] = [];
      const holds = parentHolds(result);
      for (const stream of scope.streams) {
        const list = recordsOf(result, stream);
        records += list.length;
        const seen = result.complete ? seenIds(result, stream, list) : null;
        if (seen) {
          const m = await findMissing(tx, stream, deletionScope(scope), seen, ctx, holds);
          if (m) missing.push(m);
        }
        const counts = await upsertRecords(tx, stream, list as never[], ctx, { canonical });
        const s = stats.get(stream)!;
        s.inserted = counts.inserted;
        s.changed = counts.changed;
        s.unchanged = counts.unchanged;
      }
      for (const m of missing) {
        const del = await deleteRows(tx, m, ctx, run.guard);
        stats.get(m.stream)!.deleted = del.deleted;
        if (del.refused) {
          outcome.refused.push(m.stream);
          await refuse(tx, run, scope, del, observedAt);
        }
      }
      await quarantineAll(tx, run, ctx, result.quarantined, stats);
    }
    const duration = Date.now() - started;
    for (const [stream, s] of stats) {
      if (stream === scope.streams[0]) s.durationMs = duration;
      await addStreamStats(tx, run.runId, stream, s);
    }
    // No hash after a refusal, an incomplete fetch or quarantined records (deletions may have
    // been held back): the next run must look at the rows again, even if the platform's reply
    // is then the same.
    const settled = outcome.refused.length === 0 && result.quarantined.length === 0;
    await writeCheckpoint(tx, scope, {
      completedAt: observedAt,
      runId: run.runId,
      records,
      scopeHash: settled ? hash : null,
    });
    // Progress and liveness with the scope's commit: `ezh status` reads the real progress, and a
    // run that commits scopes is never taken for a dead one.
    await recordScopeDone(tx, run.runId);
    await renewSyncLease(tx, run.schoolId, run.runId);
  });
  outcome.stats = stats;
  return outcome;
}

/**
 * The ids a complete fetch proves alive: its records and the refs of its quarantined records (a
 * record the platform still sends, but in a shape that failed validation, is not deleted: it
 * keeps its last good version). Null when a quarantined record's id could not even be read:
 * then the fetch is unusable for deletions of its stream.
 */
function seenIds(
  result: FetchResult,
  stream: StreamName,
  list: readonly AnyRecord[],
): Set<string> | null {
  const bad = result.quarantined.filter((q) => q.stream === stream);
  if (bad.some((q) => q.ref === null)) return null;
  return new Set([...list.map((r) => r.id), ...bad.map((q) => q.ref as string)]);
}

/** Parents quarantined by this fetch: the rows under them are not inferred deleted. */
function parentHolds(result: FetchResult): ParentHolds {
  const all = new Set<StreamName>();
  const ids = new Map<StreamName, Set<string>>();
  for (const q of result.quarantined) {
    if (q.ref === null) all.add(q.stream);
    else ids.set(q.stream, (ids.get(q.stream) ?? new Set()).add(q.ref));
  }
  return { all, ids };
}

function recordsOf(result: FetchResult, stream: StreamName): AnyRecord[] {
  return (result.records as Partial<Record<StreamName, AnyRecord[]>>)[stream] ?? [];
}

function deletionScope(scope: PlannedScope): DeletionScope {
  return {
    ...(scope.classId ? { classId: scope.classId } : {}),
    ...(scope.from ? { from: scope.from } : {}),
    ...(scope.to ? { to: scope.to } : {}),
  };
}

/**
 * Canonical hash of everything a complete fetch returned (records sorted by id): the SHA-1 of
 * `canonicalJson({ parts: [[stream, records], ...], consent })`, fed to the hash record by record
 * (no scope-sized string is built). Each record's canonical JSON is kept in `canonical` for the
 * write, so no record is serialized twice.
 */
export function scopeHash(
  scope: PlannedScope,
  result: FetchResult,
  consentHash: string,
  canonical: Map<object, string> = new Map(),
): string {
  const consent = scope.streams.includes('persons') ? consentHash : '';
  const h = createHash('sha1');
  h.update(`{"consent":${JSON.stringify(consent)},"parts":[`);
  scope.streams.forEach((stream, i) => {
    const list = [...recordsOf(result, stream)].sort((a, b) =>
      a.id < b.id ? -1 : a.id > b.id ? 1 : 0,
    );
    h.update(`${i > 0 ? ',' : ''}[${JSON.stringify(stream)},[`);
    list.forEach((r, j) => {
      let text = canonical.get(r);
      if (text === undefined) {
        text = canonicalJson(r);
        canonical.set(r, text);
      }
      h.update(j > 0 ? `,${text}` : text);
    });
    h.update(']]');
  });
  h.update(']}');
  return h.digest('hex');
}

/** An unchanged scope still proves its rows are alive now. */
async function touch(
  tx: SqlExecutor,
  stream: StreamName,
  list: AnyRecord[],
  ctx: WriteContext,
): Promise<void> {
  await touchRows(tx, tableOf(stream).table, [...new Set(list.map((r) => r.id))], ctx);
}

async function refuse(
  tx: SqlExecutor,
  run: RunScopeContext,
  scope: PlannedScope,
  del: DeletionResult,
  at: number,
): Promise<void> {
  const { stream, live, missing } = del;
  const reason = del.reason ?? 'share';
  await appendNotes(tx, run.runId, (notes) => {
    notes.refusals = [
      ...(notes.refusals ?? []).filter((r) => !(r.scope === scope.key && r.stream === stream)),
      { scope: scope.key, stream, live, missing, reason },
    ];
  });
  await recordEvent(tx, {
    at,
    kind: 'mass_deletion_refused',
    severity: 'critical',
    schoolId: run.schoolId,
    message: `held back the deletion of ${missing} of ${live} ${stream} rows in scope ${scope.key}: ${holdText(del, run.guard)}. Check the platform; if the records are really gone, run \`ezh sync --school ${run.schoolId} --confirm-deletions\` to apply the deletions the platform still confirms`,
    details: { runId: run.runId, scope: scope.key, stream, live, missing, reason },
  });
}

function holdText(del: DeletionResult, guard: MassDeletionGuard): string {
  switch (del.reason) {
    case 'scope-emptied':
      return 'the platform returned none of them (a whole scope emptied)';
    case 'parent-emptied':
      return 'a lesson would lose all of its rows while the lesson stays';
    case 'window':
      return `with ${del.windowDeleted} deleted earlier in the window, more than ${Math.round((guard.windowMaxShare ?? 1) * 100)} % of the scope within it`;
    case 'share':
    case null:
      return `more than ${Math.round(guard.maxShare * 100)} % at once`;
  }
}

async function quarantineAll(
  tx: SqlExecutor,
  run: RunScopeContext,
  ctx: WriteContext,
  records: readonly QuarantinedRecord[],
  stats: Map<StreamName, StreamStats>,
): Promise<void> {
  if (records.length === 0) return;
  await quarantine(tx, records, {
    source: ctx.source,
    schoolId: run.schoolId,
    observedAt: ctx.observedAt,
    runId: run.runId,
    isConsented: run.isConsented,
  });
  const byStream = new Map<StreamName, number>();
  for (const q of records) byStream.set(q.stream, (byStream.get(q.stream) ?? 0) + 1);
  for (const [stream, count] of byStream) {
    const s = stats.get(stream) ?? zeroStats();
    s.quarantined += count;
    stats.set(stream, s);
    await recordEvent(tx, {
      at: ctx.observedAt,
      kind: 'schema_drift',
      severity: 'warning',
      schoolId: run.schoolId,
      message: `${stream}: records the platform sent in an unexpected shape were quarantined (see the quarantine table)`,
      details: { runId: run.runId, stream },
    });
  }
  await appendNotes(tx, run.runId, (notes) => {
    const drift = new Map((notes.drift ?? []).map((d) => [d.stream, d.count]));
    for (const [stream, count] of byStream) drift.set(stream, (drift.get(stream) ?? 0) + count);
    notes.drift = [...drift].map(([stream, count]) => ({ stream, count }));
  });
}
