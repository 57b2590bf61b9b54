import { cpus } from 'node:os';
import { refreshPeriodTotals } from '../src/mirror/projections/index.js';
import { openMirror } from '../src/mirror/data-source.js';
import { Sandbox } from '../src/sandbox/index.js';
import { round } from './lib/measure.js';
import { cloneSchool } from './lib/pg-clone-school.js';
import { runPgChild, type PgChildOutput } from './lib/pg-checks-run.js';
import {
  BENCH_PG_URL,
  buildPgMirror,
  DERIVED_TABLES,
  dropPgSchema,
  schemaExists,
  withClient,
} from './lib/pg-mirror.js';
import type { BenchResult, Figure } from './lib/results.js';
import { JOURNAL_TABLES } from './lib/sqlite-to-pg.js';
import {
  analyzeTables,
  recordPgSyncHistory,
  RUN_TABLES,
  serverSettings,
  vacuumTables,
} from './lib/pg-mirror.js';
import { machineBusyMs } from './lib/machine-cpu.js';

/**
 * bench/municipality (not in the default run: `npm run bench -- municipality`): a PostgreSQL
 * mirror of N large schools (default 10, `EZH_BENCH_SCHOOLS`), each the large sandbox school at
 * 1,000,000 marks (~3.1M attendance entries) under ids of its own (bench/lib/pg-clone-school.ts),
 * the period totals built per school as the end of its sync builds them, then `ANALYZE`. Each
 * school is checked as a worker's `checks.run` job checks it (stored as a run, two rules at once);
 * two worker processes take the schools from one queue. Baseline: one full scan of all the marks.
 * Targets: all N schools <= 30 s on two workers; a worker's peak RSS flat in the number of schools.
 * EZH_BENCH_PG_SCHEMA names a schema to build once and reuse (dev runs); otherwise it is dropped.
 */

const MARKS = 1_000_000;
const THREADS = 2;
const WORKERS = 2;

export async function run(): Promise<BenchResult> {
  const n = Number(process.env.EZH_BENCH_SCHOOLS ?? 10);
  const sandbox = new Sandbox({ size: 'large', seed: 1 });
  const source = sandbox.schools[0]!;
  const reuse = process.env.EZH_BENCH_PG_SCHEMA;
  const schema = reuse ?? `bench_pg_${process.pid}`;
  const notes: string[] = [];
  try {
    const ids = [source.id, ...Array.from({ length: n - 1 }, (_, i) => `m${i + 2}:${source.id}`)];
    const t0 = performance.now();
    let built: Awaited<ReturnType<typeof buildPgMirror>> | null = null;
    if (!reuse || !(await schemaExists(schema))) {
      await dropPgSchema(schema);
      built = await buildPgMirror(sandbox, schema, MARKS);
    }
    // The copies a reused schema lacks (all of them in a fresh one).
    const present = await withClient(async (c) => {
      const r = await c.query<{ id: string }>(`SELECT id FROM "${schema}".schools`);
      return new Set(r.rows.map((x) => x.id));
    });
    const missing = ids.filter((id) => !present.has(id));
    if (missing.length > 0) {
      if (!present.has(source.id)) throw new Error(`${schema}: no source school ${source.id}`);
      const clone = await withClient((c) =>
        cloneSchool(
          c,
          schema,
          source.id,
          missing.map((id) => id.split(':')[0]!),
        ),
      );
      // Statistics first: without them PostgreSQL plans the totals' build as nested loops over
      // every mark (bench/README.md), as it would after a first sync.
      const analyzeMs = await analyzeTables(schema, JOURNAL_TABLES);
      const m = await openMirror({ type: 'postgres', url: BENCH_PG_URL, schema, path: '' });
      const totals: number[] = [];
      for (const id of [...(built ? [source.id] : []), ...missing]) {
        totals.push((await refreshPeriodTotals(m.db, id, sandbox.now())).ms);
      }
      await m.close();
      await analyzeTables(schema, DERIVED_TABLES);
      notes.push(
        `mirror built in ${round((performance.now() - t0) / 1000, 0)} s: ${built ? `one school generated ${round(built.gen.ms / 1000, 1)} s and copied ${round((built.copy.copyMs + built.copy.indexMs) / 1000, 1)} s, ` : 'the source school reused, '}${missing.length} copies ${round(clone.copyMs / 1000, 1)} s + indexes ${round(clone.indexMs / 1000, 1)} s, period totals per school ${totals.map((t) => round(t / 1000, 1)).join(', ')} s (each after ANALYZE of the journal tables), ANALYZE ${round(analyzeMs / 1000, 1)} s`,
      );
    } else {
      notes.push(`mirror reused (${schema}), built by an earlier run`);
    }
    // Migrated to this code's schema, as ezh migrates a mirror it opens; a migration that reset
    // the derived tables has them rebuilt here, as each school's next sync would.
    const migrated = await openMirror({ type: 'postgres', url: BENCH_PG_URL, schema, path: '' });
    try {
      for (const id of ids) await refreshPeriodTotals(migrated.db, id, sandbox.now());
    } finally {
      await migrated.close();
    }
    // Each school's sync history (a schema built before the generator recorded it lacks the
    // copies'), then what autovacuum would have done by the time the workers check (the machine's
    // server runs without it: pg-mirror.ts, `vacuumTables`).
    await recordPgSyncHistory(schema, ids, sandbox.now());
    const vacuumMs = await vacuumTables(schema, [
      ...JOURNAL_TABLES,
      ...DERIVED_TABLES,
      ...RUN_TABLES,
    ]);
    notes.push(`VACUUM (ANALYZE) of every table before the checks: ${round(vacuumMs / 1000, 1)} s`);
    notes.push(`server: ${await serverSettings()}`);
    const counts = await withClient(async (c) => {
      const r = await c.query<{ marks: string; attendance: string }>(
        `SELECT (SELECT count(*) FROM "${schema}".marks) AS marks, (SELECT count(*) FROM "${schema}".attendance) AS attendance`,
      );
      return { marks: Number(r.rows[0]!.marks), attendance: Number(r.rows[0]!.attendance) };
    });
    const schools = ids.map((id) => ({
      id,
      timeZone: source.zone,
      finalMarkDeadlines: { ...source.calendar.finalMarkDeadlines },
    }));
    const base = { url: BENCH_PG_URL, schema, asOf: sandbox.now(), threads: THREADS };
    // One worker, one school (the last copy: its rows are the furthest into every table), as a
    // worker that has checked before (checks-pg-child.ts, `warm`).
    const one = await runPgChild({ ...base, schools: [schools[n - 1]!], scan: true, warm: true });
    // Two workers sharing the queue of all N schools.
    const shared = async (threads: number) => {
      await withClient((c) =>
        c.query(
          `DROP SEQUENCE IF EXISTS "${schema}".bench_queue; CREATE SEQUENCE "${schema}".bench_queue`,
        ),
      );
      const started = performance.now();
      const busyBefore = machineBusyMs();
      const workers = await Promise.all(
        Array.from({ length: WORKERS }, () =>
          runPgChild({ ...base, threads, schools, queue: true }),
        ),
      );
      const busyAfter = machineBusyMs();
      const busyMs = busyBefore === null || busyAfter === null ? null : busyAfter - busyBefore;
      return { workers, wallMs: performance.now() - started, busyMs };
    };
    const first = await shared(THREADS);
    // The same with one rule at a time per worker: two backends on the machine's two cores
    // instead of four (each worker's job as `checks.threads: 1` runs it); then the default again,
    // so that neither setting is only ever measured after the other.
    const oneLane = await shared(1);
    const again = await shared(THREADS);
    return result({ n, counts, one, first, oneLane, again, notes });
  } finally {
    if (!reuse) await dropPgSchema(schema);
  }
}

interface Pass {
  workers: PgChildOutput[];
  wallMs: number;
  /** The machine's busy CPU time over the pass (null: not measurable here). */
  busyMs: number | null;
}

/**
 * Where a pass's CPU went, per school: the workers' own processes, and the rest of the machine
 * (the database server's backends, less whatever else ran). Their sum over the machine's cores is
 * the least wall time the pass could take.
 */
function cpuFigures(label: string, pass: Pass, schools: number): Figure[] {
  // The workers' checks alone; their processes' whole CPU (start, loading dist/, connecting) is
  // neither the checks' nor the server's, and is taken off the machine's busy time.
  const workersMs = pass.workers.reduce((s, w) => s + w.cpuMs, 0);
  const processesMs = pass.workers.reduce((s, w) => s + w.processCpuMs, 0);
  const figures: Figure[] = [
    {
      name: `${label}: CPU of the workers' checks per school`,
      value: round(workersMs / schools / 1000, 2),
      unit: 's',
    },
  ];
  if (pass.busyMs !== null) {
    figures.push({
      name: `${label}: CPU of the rest of the machine (mostly the database server) per school`,
      value: round((pass.busyMs - processesMs) / schools / 1000, 2),
      unit: 's',
    });
    // The pass's wall time can be no shorter than this; when they are close, CPU is the limit.
    figures.push({
      name: `${label}: the machine's busy CPU over the pass ÷ its ${cpus().length} cores`,
      value: round(pass.busyMs / cpus().length / 1000, 1),
      unit: 's',
      baseline: round(pass.wallMs / 1000, 1),
      ratio: round(pass.busyMs / cpus().length / pass.wallMs, 2),
    });
  }
  return figures;
}

function result(r: {
  n: number;
  counts: { marks: number; attendance: number };
  one: PgChildOutput;
  first: Pass;
  oneLane: Pass;
  again: Pass;
  notes: string[];
}): BenchResult {
  const { workers, wallMs } = r.first;
  const scan = r.one.scanMs!;
  const runs = workers.flatMap((w) => w.runs);
  const findings = new Set(runs.map((x) => x.findings));
  const peak = Math.max(...workers.map((w) => w.peakRssMb));
  const growth = peak / r.one.peakRssMb;
  const perSchool = runs.map((x) => x.ms).sort((a, b) => a - b);
  const figures: Figure[] = [
    {
      name: `${r.n} schools (${r.counts.marks} marks, ${r.counts.attendance} attendance entries), ${WORKERS} workers`,
      value: round(wallMs / 1000, 1),
      unit: 's',
      baseline: round(scan / 1000, 3),
      ratio: round(wallMs / scan, 1),
      target: '<= 30 s',
      met: wallMs <= 30_000,
    },
    {
      name: `${r.n} schools, ${WORKERS} workers checking one rule at a time (checks.threads 1)`,
      value: round(r.oneLane.wallMs / 1000, 1),
      unit: 's',
      baseline: round(scan / 1000, 3),
      ratio: round(r.oneLane.wallMs / scan, 1),
    },
    {
      name: `${r.n} schools, ${WORKERS} workers, checks.threads ${THREADS} again (after the checks.threads 1 pass)`,
      value: round(r.again.wallMs / 1000, 1),
      unit: 's',
      baseline: round(scan / 1000, 3),
      ratio: round(r.again.wallMs / scan, 1),
    },
    {
      name: `one school of ${r.n}, one worker alone`,
      value: round(r.one.runs[0]!.ms / 1000, 2),
      unit: 's',
      baseline: round(scan / 1000, 3),
      ratio: round(r.one.runs[0]!.ms / scan, 1),
      target: '<= 3 s',
      met: r.one.runs[0]!.ms <= 3000,
    },
    {
      name: `one school while ${WORKERS} workers run: median (slowest)`,
      value: round(perSchool[Math.floor(perSchool.length / 2)]! / 1000, 2),
      unit: 's',
    },
    { name: 'slowest school on 2 workers', value: round(perSchool.at(-1)! / 1000, 2), unit: 's' },
    { name: 'peak RSS of a worker, 1 school', value: round(r.one.peakRssMb, 0), unit: 'MiB' },
    {
      name: `peak RSS of a worker, ${Math.max(...workers.map((w) => w.runs.length))} schools`,
      value: round(peak, 0),
      unit: 'MiB',
    },
    {
      name: 'peak RSS growth 1 -> many schools per worker',
      value: round(growth, 2),
      unit: 'ratio',
      target: 'flat (<= 1.5)',
      met: growth <= 1.5,
    },
    ...cpuFigures(`checks.threads ${THREADS}`, r.first, r.n),
    ...cpuFigures('checks.threads 1', r.oneLane, r.n),
    {
      name: 'same findings in every school',
      value: findings.size === 1 ? 1 : 0,
      unit: 'bool',
      met: findings.size === 1,
    },
  ];
  return {
    name: 'municipality',
    description: `${r.n} large schools in one PostgreSQL mirror, checked by ${WORKERS} worker processes as the checks.run jobs check them`,
    figures,
    sizes: [
      ...workers.map((w, i) => ({
        pass: `checks.threads ${THREADS}`,
        worker: i + 1,
        schools: w.runs.map((x) => x.school),
        schoolMs: w.runs.map((x) => round(x.ms, 0)),
        findings: w.runs.map((x) => x.findings),
        wallMs: round(w.wallMs, 0),
        peakRssMb: round(w.peakRssMb, 0),
        ruleMs: w.runs.map((x) => x.ruleMs),
      })),
      ...[...r.oneLane.workers, ...r.again.workers].map((w, i) => ({
        pass: i < WORKERS ? 'checks.threads 1' : `checks.threads ${THREADS} again`,
        worker: (i % WORKERS) + 1,
        schools: w.runs.map((x) => x.school),
        schoolMs: w.runs.map((x) => round(x.ms, 0)),
        wallMs: round(w.wallMs, 0),
        ruleMs: w.runs.map((x) => x.ruleMs),
      })),
    ],
    notes: [
      ...r.notes,
      `schools are copies of the large sandbox school at ${MARKS} marks under their own ids; each copy has the same findings`,
      'the baseline is one full scan of all marks (every school) in the one-worker process',
      'the two-worker time runs from starting both processes to the end of both (process start and connection included)',
    ],
  };
}
