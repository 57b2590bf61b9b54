import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { configSchema, type Config } from '../config/schema.js';
import { PlatformError } from '../connectors/_shared/http-error.js';
import { syncJobRegistry } from '../jobs/host.js';
import { ManualClock } from '../platform/clock.js';
import { createLogger } from '../platform/logger.js';
import { createTestMirror, ENGINES, type TestMirror } from '../../test/helpers/mirrors.js';
import type { SyncDeps } from './deps.js';
import { getRun } from './run-store.js';
import { syncSchool } from '../jobs/sync-school.js';
import { FakeConnector } from './testing/fake-connector.js';
import { fakeSchool, FAKE_SCHOOL_ID } from './testing/fake-school.js';

/**
 * Issue 23 item 16: a run's status tells the truth while it works and when it fails: progress
 * per committed scope, and a failure (a bad token) is a failed run with its (redacted) error and
 * an operator event, in embedded mode and as a worker's job.
 */

const T0 = Date.parse('2026-10-20T10:00:00+03:00');
const logger = createLogger({ level: 'silent' });
const config = (): Config =>
  configSchema.parse({
    schools: [{ id: FAKE_SCHOOL_ID, timeZone: 'Europe/Moscow' }],
    jobs: { backoffMs: 0 },
  });

const badToken = () =>
  new PlatformError(
    'invalid token for GET https://api.dnevnik.ru/v2/users/me?access_token=s3cr3tT0ken',
    {
      kind: 'auth',
      type: 'invalidToken',
      status: 401,
      endpoint: 'GET users/me',
    },
  );

describe.each(ENGINES)('sync run status on %s', (engine) => {
  let m: TestMirror;
  beforeEach(async () => {
    m = await createTestMirror(engine);
  });
  afterEach(async () => m.dispose());

  async function expectFailedWithEvent(runId: string): Promise<void> {
    const run = await getRun(m.db, runId);
    expect(run).toMatchObject({ status: 'failed', scopes_done: 0 });
    expect(run!.finished_at).not.toBeNull();
    expect(run!.error).toContain('invalid token');
    expect(run!.error).not.toContain('s3cr3tT0ken');
    const events = await m.db.query<{ kind: string; severity: string; message: string }>(
      'SELECT kind, severity, message FROM operator_events',
    );
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ kind: 'sync_failed', severity: 'critical' });
    expect(events[0]!.message).not.toContain('s3cr3tT0ken');
    expect(await m.db.query('SELECT * FROM run_leases')).toEqual([]);
  }

  it('a bad token fails the embedded run: status failed, redacted error, operator event', async () => {
    const connector = new FakeConnector(fakeSchool(), {
      beforeFetch: () => {
        throw badToken();
      },
    });
    const err = await syncSchool(
      { db: m.db, connector, clock: new ManualClock(T0), logger, config: config() },
      { schoolId: FAKE_SCHOOL_ID },
    ).catch((e: unknown) => e);
    const summary = (err as { summary: { runId: string; status: string } }).summary;
    expect(summary.status).toBe('failed');
    await expectFailedWithEvent(summary.runId);
  });

  it('a bad token fails the worker’s run too (the sync.school job), not `running 0/0`', async () => {
    const connector = new FakeConnector(fakeSchool(), {
      beforeFetch: () => {
        throw badToken();
      },
    });
    const deps: SyncDeps = {
      db: m.db,
      connectorFor: () => connector,
      clock: new ManualClock(T0),
      logger,
      config: config(),
    };
    const job = syncJobRegistry().run(
      'sync.school',
      { schoolId: FAKE_SCHOOL_ID, request: { mode: 'incremental' }, runId: 'run-w1' },
      {
        deps,
        jobId: 'run-w1.school',
        logger,
        signal: new AbortController().signal,
        spawn: async () => undefined,
      },
    );
    await expect(job).rejects.toThrow('invalid token');
    await expectFailedWithEvent('run-w1');
  });

  it('records progress with every committed scope, not only at the end', async () => {
    const seen: [number, number][] = [];
    let done = 0;
    const summary = await syncSchool(
      {
        db: m.db,
        connector: new FakeConnector(fakeSchool()),
        clock: new ManualClock(T0),
        logger,
        config: config(),
        observer: {
          scopeDone: (runId) => {
            const entry: [number, number] = [++done, -1];
            seen.push(entry);
            void getRun(m.db, runId).then((r) => (entry[1] = r!.scopes_done));
          },
        },
      },
      { schoolId: FAKE_SCHOOL_ID },
    );
    expect(summary.status).toBe('succeeded');
    await new Promise((r) => setTimeout(r, 50));
    expect(seen.length).toBe(summary.scopesTotal);
    // Each committed scope is counted by the time it is reported (later ones may add to it).
    for (const [n, stored] of seen) expect(stored).toBeGreaterThanOrEqual(n);
    expect(summary.scopesDone).toBe(summary.scopesTotal);
  });
});
