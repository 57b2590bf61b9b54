/**
 * Printed journals of some classes in a fresh process, as `ezh report journal` would print them:
 * one renderer (one browser) for all of them, grouped by period name. The benchmark samples the
 * memory of this process's tree from outside (reading smaps_rollup costs CPU that would count
 * here), so it is this process and its Chromium only, not the sandbox the mirror was made from.
 * Input: env EZH_BENCH_REPORTS (JSON); prints one JSON line.
 */
import { createApp } from '../../src/cli/app.js';
import { createPdfRenderer, renderJournals, type JournalResult } from '../../src/reports/index.js';
import { treeCpuSeconds } from './process-tree-memory.js';

export interface ReportsChildInput {
  path: string;
  school: { id: string; timeZone: string };
  /** Class name → its first period's name. */
  classes: { name: string; period: string }[];
  outDir: string;
}

export interface ReportsChildOutput {
  classes: number;
  pages: number;
  ms: number;
  /** CPU time of this process and its Chromium tree while printing (user + system). */
  cpuSeconds: number;
  browserLaunches: number;
  /** Documents whose page count differs from the layout's. */
  pageMismatches: number;
}

const input = JSON.parse(process.env.EZH_BENCH_REPORTS ?? '{}') as ReportsChildInput;
const app = createApp(
  {},
  {
    database: { type: 'sqlite', path: input.path },
    log: { level: 'silent' },
    schools: [{ id: input.school.id, timeZone: input.school.timeZone }],
  },
);
await app.mirror(); // opened before the clock starts, as a running worker has it
const renderer = createPdfRenderer(app);
const byPeriod = new Map<string, string[]>();
for (const c of input.classes) byPeriod.set(c.period, [...(byPeriod.get(c.period) ?? []), c.name]);

// CPU time: this process's own, plus each browser's tree (browser, zygotes with the renderers
// they reaped, utilities), sampled until the browser is recycled. Not this process's reaped
// children: Chromium's zygotes outlive the browser unreaped, so their renderers' time is lost.
const browserCpu = new Map<number, number>();
const sampleBrowser = () => {
  const pid = renderer.browserPid();
  if (pid !== null) browserCpu.set(pid, treeCpuSeconds(pid));
};
const poll = setInterval(sampleBrowser, 200);
const own0 = process.cpuUsage();
const started = performance.now();
let results: JournalResult[];
let ms: number;
let own: NodeJS.CpuUsage;
try {
  // One call per period name (quarters, half-years), at the same time on the same browser (its
  // concurrency bounds the documents in print), so the pipeline never drains between them.
  const calls = [...byPeriod].map(([period, names]) =>
    renderJournals(app, names, { period, renderer, outDir: input.outDir }),
  );
  results = (await Promise.all(calls)).flat();
  ms = performance.now() - started;
  own = process.cpuUsage(own0);
  sampleBrowser();
} finally {
  clearInterval(poll);
  await renderer.close();
}
await app.close();
const out: ReportsChildOutput = {
  classes: input.classes.length,
  pages: results.reduce((n, r) => n + r.pages, 0),
  ms,
  cpuSeconds: (own.user + own.system) / 1e6 + [...browserCpu.values()].reduce((a, b) => a + b, 0),
  browserLaunches: renderer.launches,
  pageMismatches: results.filter((r) => r.expectedPages !== null && r.expectedPages !== r.pages)
    .length,
};
process.stdout.write(`${JSON.stringify(out)}\n`);
