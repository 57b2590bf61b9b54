/**
 * All rules over a mirror file in a fresh process, so that peak memory is the checks' own and not
 * what generating the mirror left behind. Input: env EZH_BENCH_CHECKS (JSON); prints one JSON line.
 *
 * It runs the compiled code in dist/ (`npm run bench` builds first), as `ezh check` does: from
 * the TypeScript sources every worker thread would first compile the rules through tsx, ~0.5 s
 * and ~0.9 s of CPU per run that no user pays.
 */
import { existsSync } from 'node:fs';
import type * as Checks from '../../src/checks/index.js';
import type * as DataSource from '../../src/mirror/data-source.js';
import type { SqliteDb } from '../../src/mirror/sql.js';
import { measure } from './measure.js';

const dist = new URL('../../dist/', import.meta.url);
if (!existsSync(new URL('checks/index.js', dist))) {
  throw new Error('bench/checks runs the compiled checks: run `npm run build` first');
}
const load = <T>(path: string) => import(new URL(path, dist).href) as Promise<T>;
const { runAllRules } = await load<typeof Checks>('checks/index.js');
const { openMirror } = await load<typeof DataSource>('mirror/data-source.js');

interface Input {
  path: string;
  school: { id: string; timeZone: string; finalMarkDeadlines: Record<string, string> };
  asOf: number;
  /** Threads of the measured run (the product's default); a one-thread run follows for comparison. */
  threads: number;
}

const input = JSON.parse(process.env.EZH_BENCH_CHECKS ?? '{}') as Input;
const mirror = await openMirror({ type: 'sqlite', path: input.path, schema: 'public' });
const raw = (mirror.db as SqliteDb).raw;
// Baseline: one full scan of the marks table, in the same process, before the rules.
const scan = await measure(() =>
  raw.prepare('SELECT count(*), sum(length(value)), max(student_id) FROM marks').get(),
);
const openedRssMb = process.memoryUsage().rss / 2 ** 20;
const run = (threads: number, periodTotals = true) =>
  measure(() =>
    runAllRules(mirror.db, { school: input.school, asOf: input.asOf, threads, periodTotals }),
  );
const checks = await run(input.threads);
const single = await run(1);
// What the period totals buy: the same rules grouping every mark themselves.
const grouped = await run(input.threads, false);
await mirror.close();
process.stdout.write(
  `${JSON.stringify({
    scanMs: scan.ms,
    openedRssMb,
    ms: checks.ms,
    peakRssMb: checks.peakRssMb,
    peakHeapMb: checks.peakHeapMb,
    result: checks.result,
    singleMs: single.ms,
    singleDurations: single.result.durations,
    singleFindings: single.result.totalFindings,
    groupedMs: grouped.ms,
    groupedDurations: grouped.result.durations,
    groupedFindings: grouped.result.totalFindings,
  })}\n`,
);
