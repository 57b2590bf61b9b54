import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { openMirror } from '../src/mirror/data-source.js';
import type { SqliteDb } from '../src/mirror/sql.js';
import { Sandbox } from '../src/sandbox/index.js';
import { writeJournalMirror } from './lib/journal-mirror.js';
import { round } from './lib/measure.js';
import { sampleTreeMemory } from './lib/process-tree-memory.js';
import type { ReportsChildInput, ReportsChildOutput } from './lib/reports-child.js';
import type { BenchResult, Figure } from './lib/results.js';

/**
 * bench/reports: printed journals of the first period (1st quarter, or 1st half-year for the
 * classes that have half-years) of the large sandbox school's classes (6, then all 48), from a
 * mirror generated straight from the sandbox. Each size prints in a fresh process
 * (`lib/reports-child.ts`) with one renderer (one browser, the configured PDF concurrency), as
 * `ezh report journal` would. Figures: pages/s, CPU time per page, and the peak memory of that
 * process's whole tree (it + every Chromium process) as PSS, sampled from outside every second.
 * (A year journal is ~123 pages a class: all 48 would take 10+ minutes, over the budget of the
 * whole bench run.)
 */

const SIZES = [6, 48];
const SAMPLE_MS = 1000;

/** The class's first period name, as the journal report takes it. */
function firstPeriod(sandbox: Sandbox, className: string): string {
  const cls = sandbox.schools[0]!.classes.find((c) => c.name === className)!;
  return cls.periods[0]!.name;
}

const load1 = (): number => round(loadavg()[0]!, 1);

interface SizeResult extends ReportsChildOutput {
  peakPssMb: number;
  peakRssSumMb: number;
  /** 1-minute load average before and after the size ran. */
  load: [number, number];
}

async function measureJournals(input: ReportsChildInput): Promise<SizeResult> {
  const loadBefore = load1();
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', join(import.meta.dirname, 'lib', 'reports-child.ts')],
    {
      env: { ...process.env, EZH_BENCH_REPORTS: JSON.stringify(input) },
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  const memory = sampleTreeMemory(SAMPLE_MS, child.pid!);
  let stdout = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  const code = await new Promise<number | null>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', resolve);
  });
  const peak = memory.stop();
  if (code !== 0) throw new Error(`reports child exited with ${code}`);
  const out = JSON.parse(stdout.trim().split('\n').pop()!) as ReportsChildOutput;
  const result: SizeResult = {
    ...out,
    peakPssMb: peak.peakPssMb,
    peakRssSumMb: peak.peakRssMb,
    load: [loadBefore, load1()],
  };
  process.stderr.write(
    `  reports: ${out.classes} classes, ${out.pages} pages in ${Math.round(out.ms)} ms ` +
      `(${round(out.pages / (out.ms / 1000), 2)} pages/s, ${Math.round((out.cpuSeconds * 1000) / out.pages)} ms CPU/page), ` +
      `peak PSS ${Math.round(peak.peakPssMb)} MiB (VmRSS sum ${Math.round(peak.peakRssMb)}), load ${result.load.join(' -> ')}\n`,
  );
  return result;
}

export async function run(): Promise<BenchResult> {
  const sandbox = new Sandbox({ size: 'large', seed: 1 });
  const dir = mkdtempSync(join(tmpdir(), 'ezh-bench-reports-'));
  try {
    const path = join(dir, 'mirror.sqlite');
    const mirror = await openMirror({ type: 'sqlite', path, schema: 'public' });
    const gen = writeJournalMirror((mirror.db as SqliteDb).raw, { sandbox });
    await mirror.close();
    const school = sandbox.schools[0]!;
    const sizes: SizeResult[] = [];
    for (const n of SIZES) {
      sizes.push(
        await measureJournals({
          path,
          school: { id: school.id, timeZone: school.zone },
          classes: gen.classes.slice(0, n).map((name) => ({
            name,
            period: firstPeriod(sandbox, name),
          })),
          outDir: join(dir, `out-${n}`),
        }),
      );
    }
    const [a, b] = [sizes[0]!, sizes[sizes.length - 1]!];
    const rate = b.pages / (b.ms / 1000);
    const cpuPerPage = (s: SizeResult) => (s.cpuSeconds * 1000) / s.pages;
    const figures: Figure[] = [
      { name: `pages, ${b.classes} first-period journals`, value: b.pages, unit: 'pages' },
      {
        name: 'journal printing rate',
        value: round(rate, 2),
        unit: 'pages/s',
        target: '>= 10',
        met: rate >= 10,
      },
      {
        name: 'CPU time per page (process tree, all cores)',
        value: round(cpuPerPage(b), 0),
        unit: 'ms',
      },
      {
        name: 'peak memory (PSS), process tree incl. Chromium',
        value: round(b.peakPssMb, 0),
        unit: 'MiB',
        target: '< 1536',
        met: b.peakPssMb < 1536,
      },
      {
        name: `growth ${a.classes} -> ${b.classes} classes: time per page`,
        value: round(b.ms / b.pages / (a.ms / a.pages), 2),
        unit: 'ratio',
      },
      {
        name: `growth ${a.classes} -> ${b.classes} classes: peak PSS`,
        value: round(b.peakPssMb / a.peakPssMb, 2),
        unit: 'ratio',
      },
    ];
    return {
      name: 'reports',
      description: `printed first-period journals of the large sandbox school (${b.classes} classes), one browser`,
      figures,
      sizes: sizes.map((s) => ({
        classes: s.classes,
        pages: s.pages,
        ms: round(s.ms, 0),
        pagesPerSecond: round(s.pages / (s.ms / 1000), 2),
        cpuSeconds: round(s.cpuSeconds, 1),
        cpuMsPerPage: round(cpuPerPage(s), 0),
        peakPssMb: round(s.peakPssMb, 0),
        peakRssSumMb: round(s.peakRssSumMb, 0),
        browserLaunches: s.browserLaunches,
        pageMismatches: s.pageMismatches,
        loadAverage: s.load,
      })),
      notes: [
        'mirror generated straight from the sandbox journals (bench/lib/journal-mirror.ts), as a full sync would leave it',
        'each size prints in a fresh child process (bench/lib/reports-child.ts): memory is that process and its Chromium tree, not the generated sandbox',
        `peak memory is PSS (/proc/<pid>/smaps_rollup "Pss:", shared pages divided between the processes that map them) summed over the tree, sampled every ${SAMPLE_MS} ms from the parent; peakRssSumMb sums VmRSS instead and counts shared pages once per process`,
        'CPU time is user + system while printing: the child process itself plus each browser tree (browser, zygotes with the renderers they reaped, utilities) sampled every 200 ms until it is recycled; it depends far less than pages/s on what else runs on the machine (contention still inflates it by ~10-20%); 2 idle cores give at most 2000 / (ms per page) pages/s',
        'loadAverage: 1-minute load average before and after each size (2 cores): above ~2 other work shares the cores and pages/s drops',
      ],
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
