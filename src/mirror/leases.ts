import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { EzhError } from '../platform/errors.js';
import type { SqlDb, SqlExecutor } from './sql.js';

/**
 * Leases on runs (`run_leases`): the process working on a run holds its key (`sync:<school>`,
 * `archive:<file>`) and renews the heartbeat while it works. A lease is live while its heartbeat
 * is fresh and, on this host, its process exists: a killed owner on the same machine is seen at
 * once, one on another machine when its heartbeat goes stale. Leases use the wall clock, never a
 * run's (possibly simulated) clock: they are about processes, not about the data.
 */

/** A heartbeat older than this belongs to a dead owner. */
export const LEASE_TTL_MS = 30_000;
/** How often a live owner renews its heartbeat (besides at every committed scope). */
export const HEARTBEAT_MS = 5_000;

/** This process as a lease owner: unique per process, so a restarted pid is another owner. */
export const PROCESS_OWNER = {
  id: `${hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`,
  pid: process.pid,
  host: hostname(),
};

export interface Lease {
  key: string;
  runId: string;
  owner: string;
  pid: number;
  host: string;
  acquiredAt: number;
  heartbeatAt: number;
}

/** Another process holds the lease: exit code 2 ("another process holds this"). */
export class LeaseHeldError extends EzhError {
  constructor(
    message: string,
    readonly lease: Lease,
  ) {
    super(message, 2);
  }
}

function processExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: it exists, it is someone else's.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Whether the lease's owner is alive (fresh heartbeat and, on this host, an existing process). */
export function isLive(lease: Lease, now = Date.now()): boolean {
  if (lease.heartbeatAt + LEASE_TTL_MS <= now) return false;
  if (lease.host === PROCESS_OWNER.host && !processExists(lease.pid)) return false;
  return true;
}

function toLease(r: Record<string, unknown>): Lease {
  return {
    key: String(r.lease_key),
    runId: String(r.run_id),
    owner: String(r.owner),
    pid: Number(r.pid),
    host: String(r.host),
    acquiredAt: Number(r.acquired_at),
    heartbeatAt: Number(r.heartbeat_at),
  };
}

export async function readLease(db: SqlExecutor, key: string): Promise<Lease | null> {
  const rows = await db.query<Record<string, unknown>>(
    'SELECT * FROM run_leases WHERE lease_key = ?',
    [key],
  );
  return rows[0] ? toLease(rows[0]) : null;
}

/** Every lease whose key starts with `prefix` (e.g. `sync:`), live or not. */
export async function readLeases(db: SqlExecutor, prefix: string): Promise<Lease[]> {
  const rows = await db.query<Record<string, unknown>>(
    'SELECT * FROM run_leases WHERE lease_key LIKE ?',
    [`${prefix}%`],
  );
  return rows.map(toLease);
}

export interface AcquireOptions {
  /**
   * The run this lease is for may already be worked on by another live process that holds the
   * same run (a queue's worker running another job of the run, a retried job): share it.
   */
  sameRunShares?: boolean;
  /** Describes the holder in the refusal: "a sync of school 1". */
  what: string;
}

/**
 * Takes the lease for `runId`, or renews it: free, dead, ours, or (with `sameRunShares`) held
 * for the same run. Otherwise throws `LeaseHeldError`. Atomic on both engines (the row is locked
 * on PostgreSQL; SQLite transactions are `BEGIN IMMEDIATE`).
 */
export async function acquireLease(
  db: SqlDb,
  key: string,
  runId: string,
  options: AcquireOptions,
): Promise<Lease> {
  const now = Date.now();
  const me = PROCESS_OWNER;
  const inserted = await db.run(
    `INSERT INTO run_leases (lease_key, run_id, owner, pid, host, acquired_at, heartbeat_at)
     VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (lease_key) DO NOTHING`,
    [key, runId, me.id, me.pid, me.host, now, now],
  );
  if (inserted.changes === 1) return (await readLease(db, key))!;
  return db.transaction(async (tx) => {
    const lock = tx.dialect === 'postgres' ? ' FOR UPDATE' : '';
    const rows = await tx.query<Record<string, unknown>>(
      `SELECT * FROM run_leases WHERE lease_key = ?${lock}`,
      [key],
    );
    const held = rows[0] ? toLease(rows[0]) : null;
    const at = Date.now();
    if (
      held &&
      held.owner !== me.id &&
      isLive(held, at) &&
      !(options.sameRunShares && held.runId === runId)
    ) {
      throw new LeaseHeldError(
        `${options.what} is running (pid ${held.pid} on host ${held.host}, since ${localTime(held.acquiredAt)})`,
        held,
      );
    }
    // Taking over a dead lease (or another run's) starts a new tenure; renewing keeps the start.
    const acquiredAt = held && held.runId === runId && isLive(held, at) ? held.acquiredAt : at;
    await tx.run(
      `INSERT INTO run_leases (lease_key, run_id, owner, pid, host, acquired_at, heartbeat_at)
       VALUES (?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (lease_key) DO UPDATE SET run_id = excluded.run_id, owner = excluded.owner,
         pid = excluded.pid, host = excluded.host, acquired_at = excluded.acquired_at,
         heartbeat_at = excluded.heartbeat_at`,
      [key, runId, me.id, me.pid, me.host, acquiredAt, at],
    );
    return { key, runId, owner: me.id, pid: me.pid, host: me.host, acquiredAt, heartbeatAt: at };
  });
}

/** Points our lease at another run (a run resumed instead of the new one it was taken for). */
export async function moveLease(db: SqlExecutor, key: string, runId: string): Promise<void> {
  await db.run('UPDATE run_leases SET run_id = ? WHERE lease_key = ? AND owner = ?', [
    runId,
    key,
    PROCESS_OWNER.id,
  ]);
}

/** Renews the heartbeat of the run's lease, whoever of the run's workers took it last. */
export async function renewLease(db: SqlExecutor, key: string, runId: string): Promise<void> {
  await db.run('UPDATE run_leases SET heartbeat_at = ? WHERE lease_key = ? AND run_id = ?', [
    Date.now(),
    key,
    runId,
  ]);
}

/** Ends the run's lease (the run finished, or this process stops working on it). */
export async function releaseLease(db: SqlExecutor, key: string, runId: string): Promise<void> {
  await db.run('DELETE FROM run_leases WHERE lease_key = ? AND run_id = ?', [key, runId]);
}

/**
 * Renews the run's lease every `HEARTBEAT_MS` until stopped. A failed renewal is ignored: the
 * next one (or the next committed scope) tries again, and a lease that lapses only lets another
 * process take over a run that looks dead.
 */
export function keepLeaseAlive(db: SqlExecutor, key: string, runId: string): () => void {
  const timer = setInterval(() => {
    renewLease(db, key, runId).catch(() => undefined);
  }, HEARTBEAT_MS);
  timer.unref();
  return () => clearInterval(timer);
}

/** An instant as this machine's local time, for messages: `2026-12-04 10:15:02`. */
function localTime(at: number): string {
  const d = new Date(at);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
}
