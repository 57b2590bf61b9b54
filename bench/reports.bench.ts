import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApp, type App } from '../src/cli/app.js';
import { openMirror } from '../src/mirror/data-source.js';
import type { SqliteDb } from '../src/mirror/sql.js';
import { createPdfRenderer, renderJournals } from '../src/reports/index.js';
import { Sandbox } from '../src/sandbox/index.js';
import { writeJournalMirror } from './lib/journal-mirror.js';
import { round } from './lib/measure.js';
import { sampleTreeRss } from './lib/process-tree-memory.js';
import type { BenchResult, Figure } from './lib/results.js';

/**
 * bench/reports: printed journals of the first period (1st quarter, or 1st half-year for the
 * classes that have half-years) of the large sandbox school's classes (12, then all 48), from a
 * mirror generated straight from the sandbox, with one browser (the configured PDF concurrency).
 * Figures: pages/s, and the peak resident memory of the whole process tree (this process + every
 * Chromium process), sampled from /proc every 250 ms. (A year journal is ~123 pages a class: all
 * 48 would take 10+ minutes, over the budget of the whole bench run.)
 */

const SIZES = [12, 48];

/** The class's first period name, as the journal report takes it. */
function firstPeriod(sandbox: Sandbox, className: string): string {
  const cls = sandbox.schools[0]!.classes.find((c) => c.name === className)!;
  return cls.periods[0]!.name;
}

async function measureJournals(app: App, sandbox: Sandbox, dir: string, classes: string[]) {
  const renderer = createPdfRenderer(app);
  const outDir = join(dir, `out-${classes.length}`);
  try {
    const memory = sampleTreeRss();
    const started = performance.now();
    // One call per period name (quarters, half-years), all on the same browser.
    const byPeriod = new Map<string, string[]>();
    for (const c of classes) {
      const period = firstPeriod(sandbox, c);
      byPeriod.set(period, [...(byPeriod.get(period) ?? []), c]);
    }
    const results = [];
    for (const [period, names] of byPeriod) {
      results.push(...(await renderJournals(app, names, { period, renderer, outDir })));
    }
    const ms = performance.now() - started;
    const peakTreeMb = memory.stop();
    const pages = results.reduce((n, r) => n + r.pages, 0);
    process.stderr.write(
      `  reports: ${classes.length} classes, ${pages} pages in ${Math.round(ms)} ms, peak tree ${Math.round(peakTreeMb)} MiB\n`,
    );
    return { classes: classes.length, pages, ms, peakTreeMb, launches: renderer.launches };
  } finally {
    await renderer.close();
  }
}

export async function run(): Promise<BenchResult> {
  const sandbox = new Sandbox({ size: 'large', seed: 1 });
  const dir = mkdtempSync(join(tmpdir(), 'ezh-bench-reports-'));
  try {
    const path = join(dir, 'mirror.sqlite');
    const mirror = await openMirror({ type: 'sqlite', path, schema: 'public' });
    const gen = writeJournalMirror((mirror.db as SqliteDb).raw, { sandbox });
    await mirror.close();
    const app = createApp(
      {},
      {
        database: { type: 'sqlite', path },
        log: { level: 'silent' },
        schools: [{ id: sandbox.schools[0]!.id, timeZone: sandbox.schools[0]!.zone }],
      },
    );
    const sizes = [];
    try {
      for (const n of SIZES) {
        sizes.push(await measureJournals(app, sandbox, dir, gen.classes.slice(0, n)));
      }
    } finally {
      await app.close();
    }
    const [a, b] = [sizes[0]!, sizes[sizes.length - 1]!];
    const rate = b.pages / (b.ms / 1000);
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
        name: 'peak memory, process tree incl. Chromium',
        value: round(b.peakTreeMb, 0),
        unit: 'MiB',
        target: '< 1536',
        met: b.peakTreeMb < 1536,
      },
      {
        name: `growth ${a.classes} -> ${b.classes} classes: time per page`,
        value: round(b.ms / b.pages / (a.ms / a.pages), 2),
        unit: 'ratio',
      },
      {
        name: `growth ${a.classes} -> ${b.classes} classes: peak memory`,
        value: round(b.peakTreeMb / a.peakTreeMb, 2),
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
        peakTreeMb: round(s.peakTreeMb, 0),
        browserLaunches: s.launches,
      })),
      notes: [
        'mirror generated straight from the sandbox journals (bench/lib/journal-mirror.ts), as a full sync would leave it',
        'tree memory sums VmRSS of every process: pages shared between Chromium processes count more than once',
      ],
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
