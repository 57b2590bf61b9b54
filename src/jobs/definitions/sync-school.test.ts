import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestMirror, type TestMirror } from '../../../test/helpers/mirrors.js';
import { configSchema } from '../../config/schema.js';
import { ManualClock } from '../../platform/clock.js';
import { UsageError } from '../../platform/errors.js';
import { createLogger } from '../../platform/logger.js';
import { FakeConnector } from '../../sync/testing/fake-connector.js';
import { fakeSchool, FAKE_SCHOOL_ID } from '../../sync/testing/fake-school.js';
import { classifyJobError } from '../job-errors.js';
import { syncJobRegistry } from '../host.js';
import { InProcessRunner } from '../in-process-runner.js';
import { manualJobs } from '../run-now.js';

/**
 * Issue 18: `ezh sync --class 9Я` exits 2 listing the classes and records no run; the same sync
 * as a job (`ezh jobs run sync --class 9Я`, picked up by a worker or the in-process runner) used
 * to start a run, fail it in its school stage with a stack in the log and leave a partial run and
 * a `sync_failed` event behind. Now the job refuses the class before a run exists: a usage error,
 * failed at once, logged as its message and no stack.
 */
describe('a sync job for an unknown class', () => {
  let m: TestMirror;
  beforeEach(async () => {
    m = await createTestMirror('sqlite');
  });
  afterEach(async () => m.dispose());

  it('fails at once with the classes listed, records no run, logs no stack', async () => {
    const lines: string[] = [];
    const logger = createLogger({
      level: 'info',
      destination: { write: (line: string) => void lines.push(line) },
    });
    const config = configSchema.parse({
      schools: [{ id: FAKE_SCHOOL_ID, timeZone: 'Europe/Moscow' }],
      jobs: { afterSync: ['checks.run'] },
    });
    const [job] = manualJobs(
      config,
      'sync',
      { school: FAKE_SCHOOL_ID, className: '9Я' },
      Date.parse('2026-10-20T07:00:00Z'),
    );
    const runner = new InProcessRunner(
      syncJobRegistry(),
      {
        db: m.db,
        connectorFor: () => new FakeConnector(fakeSchool()),
        clock: new ManualClock(Date.parse('2026-10-20T07:00:00Z')),
        logger,
        config,
      },
      { attempts: 5, backoffMs: 1, sleep: async () => undefined },
    );
    const err = await runner.run(job!).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UsageError);
    expect((err as UsageError).exitCode).toBe(2);
    expect((err as UsageError).message).toBe(
      `--class: no class 9Я in school ${FAKE_SCHOOL_ID}; known: 5А, 6Б`,
    );
    expect(classifyJobError(err)).toEqual({ kind: 'permanent' });
    // Not retried, no run, no operator event.
    expect(runner.failures).toHaveLength(1);
    expect(await m.db.query('SELECT id FROM sync_runs')).toEqual([]);
    expect(await m.db.query('SELECT kind FROM operator_events')).toEqual([]);
    const logged = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(logged).toEqual([
      expect.objectContaining({
        msg: 'job failed',
        job: 'sync.school',
        attempt: 1,
        error: (err as Error).message,
      }),
    ]);
    expect(lines.join('')).not.toContain('"stack"');
  });
});
