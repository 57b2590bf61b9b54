import { spawnSync } from 'node:child_process';
import { hostname } from 'node:os';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { listArchives } from '../archive/registry.js';
import { configSchema, type Config } from '../config/schema.js';
import { classifyJobError } from '../jobs/job-errors.js';
import { LeaseHeldError, LEASE_TTL_MS } from '../mirror/leases.js';
import { ManualClock } from '../platform/clock.js';
import { createLogger } from '../platform/logger.js';
import { createTestMirror, ENGINES, type TestMirror } from '../../test/helpers/mirrors.js';
import type { SyncDeps } from './deps.js';
import { startRun } from './engine.js';
import { displayedStatus, liveSyncRuns } from './run-lease.js';
import { beginRun, getRun } from './run-store.js';
import { FakeConnector } from './testing/fake-connector.js';
import { syncSchool } from '../jobs/sync-school.js';
import { fakeSchool, FAKE_SCHOOL_ID } from './testing/fake-school.js';

/**
 * Issue 23 item 10: a run has an owner. Another live owner's run is never taken over (exit 2);
 * a job of the same run (a retry, another worker) shares it; a dead owner's run reads
 * `interrupted` and is resumed.
 */

const T0 = Date.parse('2026-10-20T10:00:00+03:00');
const config = (): Config =>
  configSchema.parse({ schools: [{ id: FAKE_SCHOOL_ID, timeZone: 'Europe/Moscow' }] });

/** A pid that existed on this host and is gone now. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], {
    encoding: 'utf8',
  });
  return Number(child.stdout);
}

describe.each(ENGINES)('sync leases on %s', (engine) => {
  let m: TestMirror;
  let deps: SyncDeps;
  beforeEach(async () => {
    m = await createTestMirror(engine);
    const connector = new FakeConnector(fakeSchool());
    deps = {
      db: m.db,
      connectorFor: () => connector,
      clock: new ManualClock(T0),
      logger: createLogger({ level: 'silent' }),
      config: config(),
    };
  });
  afterEach(async () => m.dispose());

  /** A run of the school in `running` state, as a killed or a live process leaves it. */
  async function openRun(id: string): Promise<void> {
    await beginRun(m.db, {
      id,
      schoolId: FAKE_SCHOOL_ID,
      source: 'dnevnik',
      request: { mode: 'incremental' },
      startedAt: T0 - 60_000,
    });
  }

  async function leaseBy(runId: string, holder: { pid: number; host: string; beat: number }) {
    await m.db.run(
      'INSERT INTO run_leases (lease_key, run_id, owner, pid, host, acquired_at, heartbeat_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
      [
        `sync:${FAKE_SCHOOL_ID}`,
        runId,
        `${holder.host}:${holder.pid}:other`,
        holder.pid,
        holder.host,
        holder.beat - 5_000,
        holder.beat,
      ],
    );
  }

  it('refuses a second process while another live process syncs the school (exit 2, who, since)', async () => {
    await openRun('live-run');
    await leaseBy('live-run', { pid: 4242, host: 'worker-b', beat: Date.now() });
    const err = await startRun(deps, FAKE_SCHOOL_ID, { mode: 'incremental' }).catch((e) => e);
    expect(err).toBeInstanceOf(LeaseHeldError);
    expect((err as LeaseHeldError).exitCode).toBe(2);
    expect((err as Error).message).toMatch(
      new RegExp(
        `^a sync of school ${FAKE_SCHOOL_ID} is running \\(pid 4242 on host worker-b, since \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\\)$`,
      ),
    );
    // The live run was left alone: not resumed, no second run started.
    const runs = await m.db.query<{ id: string }>('SELECT id FROM sync_runs');
    expect(runs.map((r) => r.id)).toEqual(['live-run']);
    expect(displayedStatus('running', 'live-run', await liveSyncRuns(m.db))).toBe('running');
  });

  it('lets a job of the same run through (a retry, another worker), refuses another run’s job', async () => {
    await openRun('run-a');
    await leaseBy('run-a', { pid: 4242, host: 'worker-b', beat: Date.now() });
    // Same run: a retried or redelivered job of it on this worker.
    const same = await startRun(deps, FAKE_SCHOOL_ID, { mode: 'incremental' }, 'run-a');
    expect(same.run.id).toBe('run-a');
    // Another run of the school while run-a's owner is alive.
    await m.db.run("UPDATE run_leases SET owner = 'worker-b:4242:other', host = 'worker-b'");
    const err = await startRun(deps, FAKE_SCHOOL_ID, { mode: 'incremental' }, 'run-b').catch(
      (e) => e,
    );
    expect(err).toBeInstanceOf(LeaseHeldError);
    expect(classifyJobError(err)).toEqual({ kind: 'permanent' });
    expect(await getRun(m.db, 'run-b')).toBeNull();
  });

  it('takes over a dead owner’s run: a stale heartbeat, or a process gone from this host', async () => {
    await openRun('killed-elsewhere');
    await leaseBy('killed-elsewhere', {
      pid: 4242,
      host: 'worker-b',
      beat: Date.now() - LEASE_TTL_MS - 1_000,
    });
    expect(displayedStatus('running', 'killed-elsewhere', await liveSyncRuns(m.db))).toBe(
      'interrupted',
    );
    const resumed = await startRun(deps, FAKE_SCHOOL_ID, { mode: 'incremental' });
    expect(resumed).toMatchObject({ resumed: true, run: { id: 'killed-elsewhere' } });

    await m.db.run('DELETE FROM run_leases');
    await leaseBy('killed-elsewhere', { pid: deadPid(), host: hostname(), beat: Date.now() });
    expect(displayedStatus('running', 'killed-elsewhere', await liveSyncRuns(m.db))).toBe(
      'interrupted',
    );
    const again = await startRun(deps, FAKE_SCHOOL_ID, { mode: 'incremental' });
    expect(again).toMatchObject({ resumed: true, run: { id: 'killed-elsewhere' } });
    const lease = await m.db.query<{ pid: number; run_id: string }>(
      'SELECT pid, run_id FROM run_leases',
    );
    expect(lease.map((l) => [Number(l.pid), l.run_id])).toEqual([
      [process.pid, 'killed-elsewhere'],
    ]);
  });

  it('with --wait, waits for the live owner to finish, then syncs', async () => {
    await openRun('other-run');
    await leaseBy('other-run', { pid: 4242, host: 'worker-b', beat: Date.now() });
    // The other process ends its run (and its lease) a moment later.
    const ended = new Promise<number>((done) =>
      setTimeout(() => {
        void m.db
          .run(
            "UPDATE sync_runs SET status = 'succeeded', finished_at = ? WHERE id = 'other-run'",
            [T0],
          )
          .then(() => m.db.run('DELETE FROM run_leases'))
          .then(() => done(Date.now()));
      }, 1_000),
    );
    const summary = await syncSchool(
      { ...deps, connector: deps.connectorFor(FAKE_SCHOOL_ID) },
      { schoolId: FAKE_SCHOOL_ID, wait: true },
    );
    const returnedAt = Date.now();
    expect(summary.status).toBe('succeeded');
    expect(summary.runId).not.toBe('other-run');
    const runs = await m.db.query<{ id: string; started_at: number }>(
      'SELECT id, started_at FROM sync_runs ORDER BY started_at',
    );
    expect(runs.map((r) => r.id)).toEqual(['other-run', summary.runId]);
    // It started only once the other had ended (without --wait it exits 2 at once, see above).
    expect(returnedAt).toBeGreaterThanOrEqual(await ended);
  });

  it('lists an archive whose run died as interrupted, a live one as creating', async () => {
    for (const name of ['dead.tar.gz', 'live.tar.gz']) {
      await m.db.run(
        `INSERT INTO archives (file_name, paths, kind, period, school_id, created_at, as_of, status)
         VALUES (?, '[]', 'regular', NULL, NULL, ?, ?, 'creating')`,
        [name, T0, T0],
      );
    }
    await m.db.run(
      `INSERT INTO run_leases (lease_key, run_id, owner, pid, host, acquired_at, heartbeat_at)
       VALUES ('archive:live.tar.gz', 'live.tar.gz', 'me', ?, ?, ?, ?)`,
      [process.pid, hostname(), Date.now(), Date.now()],
    );
    const listed = await listArchives(m.db);
    expect(Object.fromEntries(listed.map((a) => [a.fileName, a.status]))).toEqual({
      'dead.tar.gz': 'interrupted',
      'live.tar.gz': 'creating',
    });
  });
});
