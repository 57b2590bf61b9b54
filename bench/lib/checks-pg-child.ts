/**
 * The checks over a PostgreSQL mirror in a fresh process, as a worker's `checks.run` job runs
 * them: `runChecks` for one school at a time, stored as a run (findings opened or kept), on the
 * product's default of two rules at once (two pooled connections). Input: env EZH_BENCH_CHECKS_PG
 * (JSON); prints one JSON line. Runs the compiled code in dist/, as the SQLite bench does.
 *
 * `queue`: the schools are taken one at a time from a sequence in the mirror's schema, so that two
 * such processes share them as two workers share a queue; otherwise every school listed, in order.
 */
import { existsSync } from 'node:fs';
import type * as Engine from '../../src/checks/engine.js';
import pg from 'pg';
import type * as DataSource from '../../src/mirror/data-source.js';
import type * as Sql from '../../src/mirror/sql.js';
import { measure } from './measure.js';

const dist = new URL('../../dist/', import.meta.url);
if (!existsSync(new URL('checks/engine.js', dist))) {
  throw new Error('bench/checks-pg runs the compiled checks: run `npm run build` first');
}
const load = <T>(path: string) => import(new URL(path, dist).href) as Promise<T>;
const { runChecks } = await load<typeof Engine>('checks/engine.js');
// The mirror's module sets how bigint columns are read; the pool is built with data-source.ts's
// options (its session settings, its kept connections), plus the settings a step measures.
const { pgPoolOptions, PG_SESSION_SETTINGS } =
  await load<typeof DataSource>('mirror/data-source.js');
const { PgDb } = await load<typeof Sql>('mirror/sql.js');

export interface PgChildInput {
  url: string;
  schema: string;
  schools: { id: string; timeZone: string; finalMarkDeadlines: Record<string, string> }[];
  asOf: number;
  threads: number;
  /** Also run the first school on one connection (rules one after another) and without storing. */
  single?: boolean;
  /** Take schools from the sequence `bench_queue` (see above). */
  queue?: boolean;
  /** Measure one full scan of the marks first (the same-run baseline). */
  scan?: boolean;
  /**
   * Check the first school once, not stored, before the measured runs (reported as `first`): the
   * measured runs are then those of a worker that has checked before, on the connections its
   * pool keeps (data-source.ts, `PG_POOL_KEPT`), as every job but a fresh worker's first.
   */
  warm?: boolean;
  /** Session settings of every connection beyond the product's (`jit`, `work_mem`, …). */
  settings?: Record<string, string>;
}

export interface PgSchoolRun {
  school: string;
  ms: number;
  findings: number;
  ruleMs: Record<string, number>;
  ruleFindings: Record<string, number>;
  periodTotals: boolean;
}

const input = JSON.parse(process.env.EZH_BENCH_CHECKS_PG ?? '{}') as PgChildInput;
const pool = new pg.Pool({
  connectionString: input.url,
  ...pgPoolOptions(input.schema, { ...PG_SESSION_SETTINGS, ...input.settings }),
});
const db = new PgDb(pool);

// Baseline: one full scan of the marks (all schools' marks: what "every mark" costs here).
const scan = input.scan
  ? await measure(() => db.query('SELECT count(*), sum(length(value)), max(student_id) FROM marks'))
  : null;
const openedRssMb = process.memoryUsage().rss / 2 ** 20;

const clock = { now: () => input.asOf };
async function check(index: number, threads: number, persist: boolean): Promise<PgSchoolRun> {
  const school = input.schools[index]!;
  const r = await runChecks(db, { school, asOf: input.asOf, threads, persist, clock });
  return {
    school: school.id,
    ms: r.durationMs,
    findings: r.findings.length,
    ruleMs: Object.fromEntries(r.rules.map((x) => [x.rule, Math.round(x.durationMs)])),
    ruleFindings: Object.fromEntries(r.rules.map((x) => [x.rule, x.findings])),
    periodTotals: r.periodTotals,
  };
}

async function nextIndex(): Promise<number | null> {
  if (!input.queue) return null;
  const [row] = await db.query<{ n: number }>(`SELECT nextval('bench_queue')::int - 1 AS n`);
  return row!.n < input.schools.length ? row!.n : null;
}

const first = input.warm ? await check(0, input.threads, false) : null;
const started = performance.now();
const cpuBefore = process.cpuUsage();
const runs = await measure(async () => {
  const out: PgSchoolRun[] = [];
  if (input.queue) {
    for (let i = await nextIndex(); i !== null; i = await nextIndex()) {
      out.push(await check(i, input.threads, true));
    }
  } else {
    for (let i = 0; i < input.schools.length; i++) out.push(await check(i, input.threads, true));
  }
  return out;
});
const wallMs = performance.now() - started;
const cpu = process.cpuUsage(cpuBefore);
const whole = process.cpuUsage();
const single = input.single ? await check(0, 1, false) : null;
await pool.end();
process.stdout.write(
  `${JSON.stringify({
    scanMs: scan?.ms ?? null,
    openedRssMb,
    wallMs,
    cpuMs: (cpu.user + cpu.system) / 1000,
    processCpuMs: (whole.user + whole.system) / 1000,
    peakRssMb: runs.peakRssMb,
    peakHeapMb: runs.peakHeapMb,
    runs: runs.result,
    first,
    single,
  })}\n`,
);
