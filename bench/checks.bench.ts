import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { BenchResult as RulesResult } from '../src/checks/index.js';
import { refreshPeriodTotals } from '../src/mirror/projections/index.js';
import { openMirror } from '../src/mirror/data-source.js';
import type { SqliteDb } from '../src/mirror/sql.js';
import { Sandbox } from '../src/sandbox/index.js';
import { writeJournalMirror } from './lib/journal-mirror.js';
import { round } from './lib/measure.js';
import type { BenchResult, Figure } from './lib/results.js';

/**
 * bench/checks: every rule over a SQLite mirror of 250,000 and 1,000,000 marks (the large sandbox
 * school's journals written straight into the mirror, repeated as replica classes to reach the
 * size, with the generator's violation rates). Each size is evaluated in a fresh process: time
 * on two threads (the default) and on one, peak RSS, and the time of one full scan of the marks
 * table as the same-run baseline.
 * Target: <= 3 s at 1,000,000 marks, memory flat in the number of marks.
 */

const SIZES = [250_000, 1_000_000];
const exec = promisify(execFile);

interface ChildOutput {
  scanMs: number;
  openedRssMb: number;
  ms: number;
  peakRssMb: number;
  peakHeapMb: number;
  result: RulesResult;
  singleMs: number;
  singleDurations: Record<string, number>;
  singleFindings: number;
  groupedMs: number;
  groupedDurations: Record<string, number>;
  groupedFindings: number;
}

/** The product's default (`checks.threads`): rules spread over two worker threads. */
const THREADS = 2;

async function measureChecks(sandbox: Sandbox, marks: number) {
  const dir = mkdtempSync(join(tmpdir(), 'ezh-bench-checks-'));
  try {
    const path = join(dir, 'mirror.sqlite');
    const mirror = await openMirror({ type: 'sqlite', path, schema: 'public' });
    const gen = writeJournalMirror((mirror.db as SqliteDb).raw, { sandbox, marks });
    const school = sandbox.schools[0]!;
    // What the end of a sync does: the period totals built from the marks written (a first sync
    // builds them whole; later syncs recompute the periods their changes touch).
    const totals = await refreshPeriodTotals(mirror.db, school.id, sandbox.now());
    await mirror.close();
    const input = {
      path,
      school: {
        id: school.id,
        timeZone: school.zone,
        finalMarkDeadlines: { ...school.calendar.finalMarkDeadlines },
      },
      asOf: sandbox.now(),
      threads: THREADS,
    };
    const { stdout } = await exec(
      process.execPath,
      ['--expose-gc', '--import', 'tsx', join(import.meta.dirname, 'lib', 'checks-child.ts')],
      { env: { ...process.env, EZH_BENCH_CHECKS: JSON.stringify(input) }, maxBuffer: 1 << 24 },
    );
    const out = JSON.parse(stdout.trim().split('\n').pop()!) as ChildOutput;
    if (!out.result.periodTotals) {
      throw new Error('bench/checks: the rules did not read the period totals built for them');
    }
    return {
      marks: gen.rows.marks ?? 0,
      rows: gen.rows,
      classes: gen.classes.length,
      genMs: gen.ms,
      totalsMs: totals.ms,
      ...out,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function run(): Promise<BenchResult> {
  const sandbox = new Sandbox({ size: 'large', seed: 1 });
  const sizes = [];
  for (const n of SIZES) sizes.push(await measureChecks(sandbox, n));
  const [a, b] = [sizes[0]!, sizes[sizes.length - 1]!];
  const slowest = Object.entries(b.result.durations).sort((x, y) => y[1] - x[1]);
  const rssGrowth = b.peakRssMb / a.peakRssMb;
  const netGrowth = (b.peakRssMb - b.openedRssMb) / Math.max(1, a.peakRssMb - a.openedRssMb);
  const figures: Figure[] = [
    {
      name: `all rules, ${b.marks} marks, ${THREADS} threads`,
      value: round(b.ms / 1000, 2),
      unit: 's',
      baseline: round(b.scanMs / 1000, 3),
      ratio: round(b.ms / b.scanMs, 1),
      target: '<= 3 s',
      met: b.ms <= 3000,
    },
    {
      name: `all rules, ${b.marks} marks, one thread`,
      value: round(b.singleMs / 1000, 2),
      unit: 's',
      baseline: round(b.scanMs / 1000, 3),
      ratio: round(b.singleMs / b.scanMs, 1),
    },
    {
      name: `speed-up of ${THREADS} threads over one, ${b.marks} marks`,
      value: round(b.singleMs / b.ms, 2),
      unit: 'ratio',
    },
    {
      name: `all rules grouping the marks (no period totals), ${b.marks} marks, ${THREADS} threads`,
      value: round(b.groupedMs / 1000, 2),
      unit: 's',
      baseline: round(b.scanMs / 1000, 3),
      ratio: round(b.groupedMs / b.scanMs, 1),
    },
    {
      name: `period totals built whole (by the first sync), ${b.marks} marks`,
      value: round(b.totalsMs / 1000, 2),
      unit: 's',
      baseline: round(b.scanMs / 1000, 3),
      ratio: round(b.totalsMs / b.scanMs, 1),
    },
    {
      name: `all rules, ${a.marks} marks`,
      value: round(a.ms / 1000, 2),
      unit: 's',
      baseline: round(a.scanMs / 1000, 3),
    },
    {
      name: `time growth ${a.marks} -> ${b.marks} marks (x${round(b.marks / a.marks, 1)})`,
      value: round(b.ms / a.ms, 2),
      unit: 'ratio',
    },
    { name: `peak RSS at ${b.marks} marks`, value: round(b.peakRssMb, 0), unit: 'MiB' },
    {
      name: `peak RSS growth ${a.marks} -> ${b.marks} marks`,
      value: round(rssGrowth, 2),
      unit: 'ratio',
      target: 'flat (<= 1.5)',
      met: rssGrowth <= 1.5,
    },
    { name: 'RSS growth above the opened mirror', value: round(netGrowth, 2), unit: 'ratio' },
    { name: `findings at ${b.marks} marks`, value: b.result.totalFindings, unit: 'findings' },
    {
      name: `slowest rule at ${b.marks}: ${slowest[0]?.[0]}`,
      value: slowest[0]?.[1] ?? 0,
      unit: 'ms',
    },
  ];
  return {
    name: 'checks',
    description:
      'all 13 rules over a SQLite mirror generated from the large sandbox school (replica classes to reach the size)',
    figures,
    sizes: sizes.map((s) => ({
      marks: s.marks,
      classes: s.classes,
      attendance: s.rows.attendance ?? 0,
      lessons: s.rows.lessons ?? 0,
      generateMs: round(s.genMs, 0),
      scanMs: round(s.scanMs, 0),
      checksMs: round(s.ms, 0),
      peakRssMb: round(s.peakRssMb, 0),
      openedRssMb: round(s.openedRssMb, 0),
      peakHeapMb: round(s.peakHeapMb, 0),
      findings: s.result.totalFindings,
      ruleMs: s.result.durations,
      ruleFindings: s.result.counts,
      singleThreadMs: round(s.singleMs, 0),
      singleThreadRuleMs: s.singleDurations,
      singleThreadFindings: s.singleFindings,
      groupedMs: round(s.groupedMs, 0),
      groupedRuleMs: s.groupedDurations,
      groupedFindings: s.groupedFindings,
      totalsBuildMs: round(s.totalsMs, 0),
    })),
    notes: [
      `each size runs in a fresh process: all rules on ${THREADS} worker threads (checks.threads default), then on one thread, then on ${THREADS} threads grouping the marks instead of reading the period totals`,
      'the period totals are built after the mirror is generated, as the end of a sync builds them; their build time is reported, not counted in the checks',
      'ruleMs with threads are per-rule wall times while another rule runs on the other thread',
      'the generated mirror has no sqlite_stat1, like a mirror written by ezh sync',
    ],
  };
}
