import { collectDefaultMetrics, Gauge, Registry } from 'prom-client';
import type { QueueKind } from '../jobs/job-names.js';
import type { SqlExecutor } from '../mirror/sql.js';
import { PROBE_TIMEOUT_MS, within } from './probes.js';
import {
  lastCheckRuns,
  lastSuccessfulSync,
  openFindings,
  openOperatorEvents,
  RECORD_KINDS,
  streamTotals,
  syncRunCounts,
} from './mirror-figures.js';

/**
 * The Prometheus registry of a worker: every ezh figure is a gauge whose value is read at scrape
 * time from the mirror (sync runs, findings, check runs, operator events) and from the queues
 * (BullMQ job counts, the same call `ezh status` makes). Process figures (CPU, memory, event loop)
 * come from prom-client's defaults, per worker process.
 */
export interface MetricsSources {
  db: SqlExecutor;
  /** Job counts per queue and state; absent when the process serves no queues. */
  queueDepth?: () => Promise<Record<QueueKind, Record<string, number>>>;
  /** Whether Redis answers (a bounded probe); `ezh_redis_up`. */
  redisUp?: () => Promise<boolean>;
  /** How long a scrape waits for Redis's figures before it leaves them out. */
  redisTimeoutMs?: number;
  /** Process figures (default true). */
  processMetrics?: boolean;
}

export const QUEUE_STATES = [
  'waiting',
  'active',
  'delayed',
  'failed',
  'waiting-children',
  'prioritized',
];

export function createMetricsRegistry(sources: MetricsSources): Registry {
  const registry = new Registry();
  const { db } = sources;
  const gauge = <L extends string>(
    name: string,
    help: string,
    labelNames: readonly L[],
    collect: (g: Gauge<L>) => Promise<void>,
  ) =>
    new Gauge<L>({
      name,
      help,
      labelNames,
      registers: [registry],
      async collect() {
        this.reset();
        await collect(this);
      },
    });

  gauge(
    'ezh_sync_runs',
    'Sync runs recorded in the mirror, by school and status',
    ['school', 'status'],
    async (g) => {
      for (const r of await syncRunCounts(db)) {
        g.set({ school: r.school, status: r.status }, r.runs);
      }
    },
  );
  const totals = () => streamTotals(db);
  gauge(
    'ezh_sync_records',
    'Records handled by all recorded sync runs, by school, stream and kind (inserted, changed, unchanged, deleted, quarantined, errors)',
    ['school', 'stream', 'kind'],
    async (g) => {
      for (const t of await totals()) {
        for (const kind of RECORD_KINDS) {
          g.set({ school: t.school, stream: t.stream, kind }, t[kind]);
        }
      }
    },
  );
  gauge(
    'ezh_sync_requests',
    'Platform requests of all recorded sync runs, by school and stream',
    ['school', 'stream'],
    async (g) => {
      for (const t of await totals()) g.set({ school: t.school, stream: t.stream }, t.requests);
    },
  );
  gauge(
    'ezh_sync_retries',
    'Platform request retries of all recorded sync runs, by school and stream',
    ['school', 'stream'],
    async (g) => {
      for (const t of await totals()) g.set({ school: t.school, stream: t.stream }, t.retries);
    },
  );
  gauge(
    'ezh_sync_last_success_timestamp_seconds',
    'When the last successful sync of a school finished',
    ['school'],
    async (g) => {
      for (const [school, at] of await lastSuccessfulSync(db)) g.set({ school }, at / 1000);
    },
  );
  gauge(
    'ezh_findings_open',
    'Open (unresolved) findings, by school, rule and severity',
    ['school', 'rule', 'severity'],
    async (g) => {
      for (const f of await openFindings(db)) {
        g.set({ school: f.school, rule: f.rule, severity: f.severity }, f.open);
      }
    },
  );
  gauge(
    'ezh_check_last_run_timestamp_seconds',
    "When the school's latest check run finished (or started, while running)",
    ['school', 'status'],
    async (g) => {
      for (const r of await lastCheckRuns(db)) {
        g.set({ school: r.school, status: r.status }, r.at / 1000);
      }
    },
  );
  gauge(
    'ezh_check_last_run_findings',
    "Findings of the school's latest check run",
    ['school'],
    async (g) => {
      for (const r of await lastCheckRuns(db)) g.set({ school: r.school }, r.findings);
    },
  );
  gauge(
    'ezh_operator_events_open',
    'Operator events not acknowledged, by kind and severity',
    ['kind', 'severity'],
    async (g) => {
      for (const e of await openOperatorEvents(db)) {
        g.set({ kind: e.kind, severity: e.severity }, e.open);
      }
    },
  );
  if (sources.redisUp) {
    const up = sources.redisUp;
    gauge('ezh_redis_up', 'Whether Redis answered this scrape (1) or not (0)', [], async (g) => {
      g.set((await up()) ? 1 : 0);
    });
  }
  if (sources.queueDepth) {
    const depth = sources.queueDepth;
    const timeoutMs = sources.redisTimeoutMs ?? PROBE_TIMEOUT_MS;
    gauge(
      'ezh_queue_jobs',
      'Jobs per queue and state (BullMQ), as `ezh status` shows them; absent while Redis does not answer',
      ['queue', 'state'],
      async (g) => {
        // Redis down must not hang the scrape: its figures are left out (ezh_redis_up says why).
        const counts = await within(depth(), timeoutMs, 'queue depth').catch(() => null);
        if (!counts) return;
        for (const [queue, byState] of Object.entries(counts)) {
          for (const state of QUEUE_STATES) g.set({ queue, state }, byState[state] ?? 0);
        }
      },
    );
  }
  if (sources.processMetrics ?? true) collectDefaultMetrics({ register: registry, prefix: 'ezh_' });
  return registry;
}
