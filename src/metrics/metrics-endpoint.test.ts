import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestMirror, type TestMirror } from '../../test/helpers/mirrors.js';
import { obliterateQueues, testPrefix, TEST_REDIS_URL } from '../../test/helpers/redis.js';
import { sandboxConfig, syncSandboxSchool } from '../../test/helpers/sandbox-sync.js';
import { runChecks } from '../checks/index.js';
import { configSchema } from '../config/schema.js';
import { jobSpec } from '../jobs/job-names.js';
import { ServiceQueues } from '../jobs/service-queues.js';
import { startSandbox, type SandboxServer } from '../sandbox/index.js';
import { streamStatsOf } from '../sync/run-store.js';
import { createMetricsRegistry } from './registry.js';
import { startMetricsServer, type MetricsServer } from './server.js';

/**
 * The Prometheus endpoint against a mirror with real sync runs and findings and a real Redis:
 * every scraped figure equals what `ezh status` reads (per-run stream stats, the latest check
 * run, queue job counts), summed the same way.
 */

type Sample = { name: string; labels: Record<string, string>; value: number };

function parse(text: string): Sample[] {
  const out: Sample[] = [];
  for (const line of text.split('\n')) {
    const m = /^([a-z_]+)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!m) continue;
    const labels: Record<string, string> = {};
    for (const l of (m[2] ?? '').matchAll(/(\w+)="([^"]*)"/g)) labels[l[1]!] = l[2]!;
    out.push({ name: m[1]!, labels, value: Number(m[3]) });
  }
  return out;
}

const pick = (samples: Sample[], name: string, labels: Record<string, string>) =>
  samples
    .filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v))
    .reduce((n, s) => n + s.value, 0);

describe('metrics endpoint', () => {
  let sb: SandboxServer;
  let mirror: TestMirror;
  let prefix: string;
  let connection: Redis;
  let queues: ServiceQueues;
  let server: MetricsServer;

  beforeAll(async () => {
    sb = await startSandbox({ size: 'small', seed: 5 });
    mirror = await createTestMirror('sqlite');
    prefix = testPrefix();
    const config = sandboxConfig(sb, { redis: { url: TEST_REDIS_URL, prefix } });
    const schoolId = sb.schools[0]!.id;
    // Two runs: the first full, the second finds nothing new.
    for (let i = 0; i < 2; i++) {
      const run = await syncSandboxSchool(mirror.db, config, sb.clock, schoolId);
      expect(run.status).toBe('succeeded');
    }
    await runChecks(mirror.db, {
      school: { id: schoolId, timeZone: sb.schools[0]!.timeZone },
      asOf: sb.now(),
      clock: sb.clock,
    });
    connection = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: null });
    queues = new ServiceQueues(
      connection,
      configSchema.parse({ redis: { url: TEST_REDIS_URL, prefix } }),
    );
    // Jobs nobody works on: they stay waiting.
    for (const id of ['a', 'b', 'c']) {
      await queues.add(jobSpec('checks.run', { schoolId }, `metrics-test-${id}`));
    }
    const registry = createMetricsRegistry({ db: mirror.db, queueDepth: () => queues.depth() });
    server = await startMetricsServer({ registry, port: 0, host: '127.0.0.1' });
  }, 180_000);

  afterAll(async () => {
    await server?.close();
    await queues?.close();
    connection?.disconnect();
    await obliterateQueues(prefix).catch(() => undefined);
    await mirror?.dispose();
    await sb?.close();
  });

  it('serves figures equal to what `ezh status` reads from the mirror and the queues', async () => {
    const res = await fetch(server.url);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/text\/plain/);
    const samples = parse(await res.text());
    const schoolId = sb.schools[0]!.id;

    // Sync runs and per-stream figures: the sum of what `ezh status` prints per run.
    const runs = await mirror.db.query<{ id: string; status: string; finished_at: number }>(
      'SELECT id, status, finished_at FROM sync_runs',
    );
    expect(runs).toHaveLength(2);
    expect(pick(samples, 'ezh_sync_runs', { school: schoolId, status: 'succeeded' })).toBe(2);
    const perRun = await Promise.all(runs.map((r) => streamStatsOf(mirror.db, r.id)));
    const streams = new Set(perRun.flat().map((s) => s.stream));
    expect(streams.size).toBeGreaterThan(5);
    for (const stream of streams) {
      const of = (k: 'requests' | 'retries' | 'inserted' | 'unchanged') =>
        perRun
          .flat()
          .filter((s) => s.stream === stream)
          .reduce((n, s) => n + s[k], 0);
      expect(pick(samples, 'ezh_sync_requests', { school: schoolId, stream })).toBe(of('requests'));
      expect(pick(samples, 'ezh_sync_retries', { school: schoolId, stream })).toBe(of('retries'));
      for (const kind of ['inserted', 'unchanged'] as const) {
        expect(pick(samples, 'ezh_sync_records', { school: schoolId, stream, kind })).toBe(
          of(kind),
        );
      }
    }
    expect(pick(samples, 'ezh_sync_records', { kind: 'inserted' })).toBeGreaterThan(1000);
    const lastOk = Math.max(...runs.map((r) => Number(r.finished_at)));
    expect(pick(samples, 'ezh_sync_last_success_timestamp_seconds', { school: schoolId })).toBe(
      lastOk / 1000,
    );

    // Findings: open ones per rule and severity add up to the latest check run's count.
    const [check] = await mirror.db.query<{ finding_count: number; finished_at: number }>(
      'SELECT finding_count, finished_at FROM check_runs ORDER BY started_at DESC LIMIT 1',
    );
    expect(Number(check!.finding_count)).toBeGreaterThan(0);
    expect(pick(samples, 'ezh_findings_open', { school: schoolId })).toBe(
      Number(check!.finding_count),
    );
    expect(pick(samples, 'ezh_check_last_run_findings', { school: schoolId })).toBe(
      Number(check!.finding_count),
    );
    expect(pick(samples, 'ezh_check_last_run_timestamp_seconds', { school: schoolId })).toBe(
      Number(check!.finished_at) / 1000,
    );
    const byRule = await mirror.db.query<{ rule: string; severity: string; n: number }>(
      'SELECT rule, severity, count(*) AS n FROM findings WHERE resolved_at IS NULL GROUP BY rule, severity',
    );
    for (const r of byRule) {
      expect(pick(samples, 'ezh_findings_open', { rule: r.rule, severity: r.severity })).toBe(
        Number(r.n),
      );
    }

    // Queues: the same counts `ezh status` prints.
    const depth = await queues.depth();
    expect(depth.checks.waiting).toBe(3);
    for (const [queue, counts] of Object.entries(depth)) {
      for (const state of ['waiting', 'active', 'delayed', 'failed']) {
        expect(pick(samples, 'ezh_queue_jobs', { queue, state })).toBe(counts[state] ?? 0);
      }
    }
    // Process figures of this process are there too.
    expect(samples.some((s) => s.name === 'ezh_process_resident_memory_bytes')).toBe(true);
  });

  it('answers 404 off /metrics', async () => {
    const res = await fetch(server.url.replace('/metrics', '/other'));
    expect(res.status).toBe(404);
  });
});
