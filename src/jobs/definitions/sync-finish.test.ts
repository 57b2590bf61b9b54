import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestMirror, type TestMirror } from '../../../test/helpers/mirrors.js';
import { configSchema } from '../../config/schema.js';
import { createLogger } from '../../platform/logger.js';
import { beginRun, setScopesTotal } from '../../sync/run-store.js';
import type { Flow } from '../define-job.js';
import { syncJobRegistry } from '../host.js';

/**
 * The follow-up checks a scheduled sync queues (`jobs.afterSync`) run only after a sync that read
 * every scope: after a failed or partial one the mirror's present has not moved, and a check would
 * only repeat the last one (issue 18: they were queued whatever the sync's outcome).
 */
describe('sync.finish queues the follow-up checks only after a complete sync', () => {
  let m: TestMirror;
  const registry = syncJobRegistry();
  const config = configSchema.parse({ schools: [{ id: '1', timeZone: 'UTC+5' }] });
  const logger = createLogger({ level: 'silent' });

  beforeAll(async () => {
    m = await createTestMirror('sqlite');
  });
  afterAll(async () => m?.dispose());

  const finish = async (runId: string, scopesTotal: number) => {
    await beginRun(m.db, {
      id: runId,
      schoolId: '1',
      source: 'dnevnik',
      request: { mode: 'incremental' },
      startedAt: 1_000,
    });
    await setScopesTotal(m.db, runId, scopesTotal);
    const spawned: Flow[] = [];
    const status = await registry.run(
      'sync.finish',
      { schoolId: '1', runId, followUps: ['checks.run'] },
      {
        deps: {
          db: m.db,
          connectorFor: () => {
            throw new Error('no platform call expected');
          },
          clock: { now: () => 2_000 },
          logger,
          config,
        },
        jobId: `${runId}.finish`,
        logger,
        signal: new AbortController().signal,
        spawn: async (flow) => {
          spawned.push(flow);
        },
      },
    );
    return { status, queued: spawned.flatMap((f) => f.children.map((c) => c.name)) };
  };

  it('queues none after a sync whose scopes were not done (failed)', async () => {
    expect(await finish('run-failed', 3)).toEqual({ status: { status: 'failed' }, queued: [] });
  });

  it('queues the checks after a sync that read every scope', async () => {
    expect(await finish('run-ok', 0)).toEqual({
      status: { status: 'succeeded' },
      queued: ['checks.run'],
    });
  });
});
