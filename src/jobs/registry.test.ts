import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { sampleJob } from '../../test/fixtures/jobs/sample-job.js';
import { createTestMirror, type TestMirror } from '../../test/helpers/mirrors.js';
import { configSchema } from '../config/schema.js';
import { UsageError } from '../platform/errors.js';
import { createLogger } from '../platform/logger.js';
import { defineJob } from './define-job.js';
import { JOBS } from './definitions/index.js';
import { jobRegistry, syncJobRegistry } from './host.js';
import { InProcessRunner } from './in-process-runner.js';
import { classifyJobError } from './job-errors.js';
import { JobRegistry } from './registry.js';
import { desiredSchedules } from './schedules.js';
import { validateJobs } from './service.js';

describe('job registry', () => {
  it('lists every scheduled job this build cannot run, at start-up', () => {
    const registry = syncJobRegistry();
    // Alerts are scheduled once alerts are enabled (their own section).
    const config = configSchema.parse({
      schools: [{ id: '1' }],
      alerts: { enabled: true, channels: ['file'] },
    });
    let error: unknown;
    try {
      validateJobs(config, registry);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(UsageError);
    expect((error as UsageError).message).toMatch(/not available in this build/);
    expect((error as UsageError).problems.map((p) => p.split(':')[0]).sort()).toEqual([
      'alerts.send',
      'archive.create',
      'checks.run',
      'reports.render',
    ]);
  });

  it('registers every job the default schedules need once the app is there', () => {
    const config = configSchema.parse({
      schools: [{ id: '1' }],
      alerts: { enabled: true, channels: ['file'] },
    });
    const registry = jobRegistry({ config } as never);
    expect(() => validateJobs(config, registry)).not.toThrow();
    expect(desiredSchedules(config, () => 'UTC+5').map((s) => s.id)).toEqual([
      'ezh-sync-incremental-1',
      'ezh-sync-reconcile-1',
      'ezh-alerts-1',
      'ezh-audit-report-1',
      'ezh-archive-1',
      'ezh-archive-period-end-1',
    ]);
  });

  it('accepts a config whose schedules need only what is registered', () => {
    const registry = syncJobRegistry();
    const off = { enabled: false };
    const config = configSchema.parse({
      schools: [{ id: '1', timeZone: 'Asia/Yekaterinburg' }],
      jobs: { afterSync: [], schedules: { auditReport: off, archive: off, archivePeriodEnd: off } },
    });
    expect(() => validateJobs(config, registry)).not.toThrow();
    const schedules = desiredSchedules(
      config,
      (id) => config.schools.find((s) => s.id === id)!.timeZone!,
    );
    expect(schedules.map((s) => s.id)).toEqual(['ezh-sync-incremental-1', 'ezh-sync-reconcile-1']);
    expect(schedules.every((s) => s.tz === 'Asia/Yekaterinburg')).toBe(true);
    // Daytime runs read the current week only; the nightly one reconciles the rest.
    expect(
      schedules.map((s) => (s.job.payload as { request: { mode: string } }).request.mode),
    ).toEqual(['hourly', 'reconcile']);
  });

  it('keeps the job names and queues that schedules stored in Redis name', () => {
    const registry = jobRegistry({} as never);
    expect(Object.fromEntries(registry.names().map((n) => [n, registry.queueOf(n)]))).toEqual({
      'sync.school': 'sync',
      'sync.windows': 'sync',
      'sync.scopes': 'sync',
      'sync.finish': 'sync',
      'checks.run': 'checks',
      'alerts.send': 'alerts',
      'alerts.document': 'alerts',
      'alerts.operator': 'alerts',
      'reports.render': 'reports',
      'archive.create': 'archive',
    });
    // A sync-only host still knows where the other jobs are queued (ezh jobs run, schedules).
    expect(syncJobRegistry().has('checks.run')).toBe(false);
    expect(new JobRegistry(JOBS).queueOf('reports.render')).toBe('reports');
  });

  it('refuses, at start-up, a job defined twice or on a queue that does not exist', () => {
    const twin = defineJob({
      name: 'checks.run',
      queue: 'checks',
      payload: z.object({}),
      handler: async () => null,
    });
    const lost = defineJob({
      name: 'x.lost',
      queue: 'nowhere' as never,
      payload: z.object({}),
      handler: async () => null,
    });
    expect(() => new JobRegistry([...JOBS, twin, lost])).toThrow(
      'invalid job registry: checks.run: defined twice; x.lost: unknown queue "nowhere"',
    );
  });

  it('accepts the payloads the schedules install (what Redis keeps from earlier versions)', () => {
    const config = configSchema.parse({
      schools: [{ id: '1' }],
      alerts: {
        enabled: true,
        channels: ['file'],
        subscriptions: [
          { document: 'activity', to: ['a@b.ru'] },
          { document: 'sync-health', to: ['a@b.ru'] },
        ],
      },
    });
    const registry = jobRegistry({ config } as never);
    const specs = desiredSchedules(config, () => 'UTC+5');
    expect(specs.length).toBeGreaterThan(6);
    for (const spec of specs) {
      const parsed = registry.get(spec.job.name).payload.safeParse(spec.job.payload);
      expect(parsed.success, `${spec.id}: ${JSON.stringify(spec.job.payload)}`).toBe(true);
      expect(parsed.data).toEqual(spec.job.payload);
    }
  });
});

describe('a job of its own file plus one registry line (test/fixtures/jobs/sample-job.ts)', () => {
  let m: TestMirror;
  const logger = createLogger({ level: 'silent' });
  const config = configSchema.parse({ schools: [{ id: '1', timeZone: 'UTC+5' }] });

  beforeAll(async () => {
    m = await createTestMirror('sqlite');
  });
  afterAll(async () => m?.dispose());

  const runner = (registry: JobRegistry) =>
    new InProcessRunner(
      registry,
      {
        db: m.db,
        connectorFor: () => {
          throw new Error('no platform call expected');
        },
        clock: { now: () => 1_000 },
        logger,
        config,
      },
      { attempts: 3, backoffMs: 1, sleep: async () => undefined },
    );

  it('runs through the in-process runner like a built-in job, its payload parsed', async () => {
    const registry = new JobRegistry([...JOBS, sampleJob]);
    expect(registry.queueOf('sample.count-runs')).toBe('checks');
    const result = await runner(registry).run({
      name: 'sample.count-runs',
      payload: { schoolId: '1' },
      id: 'sample-1',
    });
    // The schema's default filled in.
    expect(result).toEqual({ runs: 0 });
  });

  it('fails at once, not retried, with every bad field named, when its payload does not fit', async () => {
    const registry = new JobRegistry([...JOBS, sampleJob]);
    const r = runner(registry);
    const err = await r
      .run({ name: 'sample.count-runs', payload: { label: 7 }, id: 'sample-2' })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UsageError);
    expect((err as UsageError).message).toBe('job "sample.count-runs": invalid payload');
    expect((err as UsageError).problems).toEqual([
      expect.stringMatching(/^schoolId: /),
      expect.stringMatching(/^label: /),
    ]);
    expect(classifyJobError(err)).toEqual({ kind: 'permanent' });
    expect(r.failures).toHaveLength(1);
  });
});
