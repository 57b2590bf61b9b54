import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openMirror, type Mirror } from '../src/mirror/data-source.js';
import { RECORDED_COSTS } from '../src/sync/capacity-costs.js';
import { planCapacity, type Deployment } from '../src/sync/capacity.js';
import type { SyncOptions } from '../src/sync/request.js';
import { round } from './lib/measure.js';
import type { BenchResult, Figure } from './lib/results.js';
import { startSandboxProcess, type SandboxProcess } from './lib/sandbox-process.js';
import { syncAt } from './lib/sync-at.js';

/**
 * bench/capacity: the capacity model (`src/sync/capacity.ts`, `ezh capacity`) against a real run.
 * SCHOOLS small sandbox schools (4 classes each; one token each), the sandbox enforcing RATE
 * requests/s per token (429 beyond it), synced by one in-process worker that runs JOBS schools at
 * once (each into its own SQLite mirror; one school's sync is one embedded run). Measured: the
 * wall time of the first syncs of all schools, of one round of daytime runs an hour later, and of
 * the nightly round; predicted: the model with the recorded costs (`capacity-costs.ts`). The
 * rate is low on purpose: the run then measures the limit, not this shared 2-core machine.
 */

const SCHOOLS = 10;
const RATE = 5;
const JOBS = 4;
const HOUR = 3_600_000;

async function pool<T>(items: readonly T[], size: number, work: (t: T) => Promise<void>) {
  const queue = [...items];
  await Promise.all(
    Array.from({ length: size }, async () => {
      for (let t = queue.shift(); t !== undefined; t = queue.shift()) await work(t);
    }),
  );
}

async function round_(
  sb: SandboxProcess,
  mirrors: Map<string, Mirror>,
  at: number,
  options: Omit<SyncOptions, 'schoolId'>,
): Promise<{ ms: number; requests: number }> {
  const started = performance.now();
  let requests = 0;
  await pool(sb.schools, JOBS, async (s) => {
    const r = await syncAt(mirrors.get(s.id)!.db, sb, s.id, at, options, 'by-lessons', RATE);
    requests += r.summary.requests;
  });
  return { ms: performance.now() - started, requests };
}

export async function run(): Promise<BenchResult> {
  const sb = await startSandboxProcess({
    size: 'small',
    seed: 1,
    schools: SCHOOLS,
    tokenLimit: { requestsPerSecond: RATE },
  });
  const dir = mkdtempSync(join(tmpdir(), 'ezh-bench-capacity-'));
  const mirrors = new Map<string, Mirror>();
  try {
    for (const s of sb.schools) {
      mirrors.set(
        s.id,
        await openMirror({ type: 'sqlite', path: join(dir, `${s.id}.sqlite`), schema: 'public' }),
      );
    }
    const t0 = sb.now;
    const full = await round_(sb, mirrors, t0, {});
    await sb.advanceTo(t0 + HOUR);
    const hourly = await round_(sb, mirrors, t0 + HOUR, { currentWeek: true });
    await sb.advanceTo(t0 + 19.5 * HOUR);
    const nightly = await round_(sb, mirrors, t0 + 19.5 * HOUR, { reconcile: true });
    const refused = await sb.refusedCount();

    const first = mirrors.get(sb.schools[0]!.id)!.db;
    const q = (sql: string) => first.query<Record<string, unknown>>(sql);
    const classes = Number(
      (await q(`SELECT count(*) AS n FROM classes WHERE kind = 'class'`))[0]!.n,
    );
    const span = (
      await q('SELECT min(start_date) AS a, max(finish_date) AS b FROM reporting_periods')
    )[0]!;
    const weeks = Math.ceil(
      (Date.parse(String(span.b)) - Date.parse(String(span.a)) + 86_400_000) / (7 * 86_400_000),
    );
    const deployment: Deployment = {
      schools: SCHOOLS,
      classesPerSchool: classes,
      weeks,
      rateLimit: RATE,
      workers: 1,
      jobsPerWorker: JOBS,
      hourlyRuns: 15,
    };
    const plan = planCapacity(deployment, RECORDED_COSTS);
    const figure = (name: string, measuredMs: number, predictedS: number): Figure => {
      const ratio = measuredMs / 1000 / predictedS;
      return {
        name: `${name}: measured / predicted`,
        value: round(ratio, 2),
        unit: 'ratio',
        baseline: round(predictedS, 1),
        target: '0.67..1.5',
        met: ratio >= 0.67 && ratio <= 1.5,
      };
    };
    const figures: Figure[] = [
      { name: `first sync of ${SCHOOLS} schools`, value: round(full.ms / 1000, 1), unit: 's' },
      figure('first sync', full.ms, plan.fullSync.seconds),
      { name: 'one hourly round', value: round(hourly.ms / 1000, 1), unit: 's' },
      figure('one hourly round', hourly.ms, plan.hourlyRound.seconds),
      { name: 'nightly round', value: round(nightly.ms / 1000, 1), unit: 's' },
      figure('nightly round', nightly.ms, plan.nightly.seconds),
      { name: 'requests refused by the sandbox limit', value: refused, unit: 'requests' },
    ];
    return {
      name: 'capacity',
      description: `${SCHOOLS} small sandbox schools (${classes} classes, ${weeks} weeks each), ${RATE} requests/s per token enforced by the sandbox, one worker running ${JOBS} schools at once; measured against ezh capacity's model`,
      figures,
      sizes: [
        {
          deployment,
          costs: RECORDED_COSTS,
          measured: {
            fullS: round(full.ms / 1000, 1),
            fullRequests: full.requests,
            hourlyS: round(hourly.ms / 1000, 1),
            hourlyRequests: hourly.requests,
            nightlyS: round(nightly.ms / 1000, 1),
            nightlyRequests: nightly.requests,
          },
          predicted: {
            fullS: round(plan.fullSync.seconds, 1),
            fullRequests: plan.fullSync.requestsPerSchool * SCHOOLS,
            hourlyS: round(plan.hourlyRound.seconds, 1),
            hourlyRequests: plan.hourlyRound.requestsPerSchool * SCHOOLS,
            nightlyS: round(plan.nightly.seconds, 1),
            nightlyRequests: plan.nightly.requestsPerSchool * SCHOOLS,
          },
        },
      ],
      notes: [
        'the small school holds data up to 9 Nov only, so its first sync reads a year of mostly empty windows: the model counts requests per class-week, which fits either',
        'each school syncs into its own SQLite file; a municipality would use one PostgreSQL',
      ],
    };
  } finally {
    for (const m of mirrors.values()) await m.close();
    await sb.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
