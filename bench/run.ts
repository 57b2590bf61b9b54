import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { writeResult, type BenchResult } from './lib/results.js';

/**
 * `npm run bench [name ...]`: runs every `bench/*.bench.ts` (or the named ones) in turn and
 * writes `bench/results/<name>.json`. Each module exports `run(): Promise<BenchResult>`.
 * Benches in OPT_IN run only when named: they do not fit the default run's 15 minutes
 * (`progress-forecast` measures the forecast's accuracy, which only a change to src/analytics
 * moves; `scale` measures how sync throughput grows with workers, which a 2-core machine holding
 * the workers, PostgreSQL, Redis and the sandbox cannot show; their results files keep the last
 * named run's figures).
 */
const OPT_IN = new Set(['municipality', 'checks-pg', 'progress-forecast', 'scale']);
const only = process.argv.slice(2);
const dir = import.meta.dirname;
const files = readdirSync(dir)
  .filter((f) => f.endsWith('.bench.ts'))
  .filter((f) =>
    only.length === 0
      ? !OPT_IN.has(f.replace('.bench.ts', ''))
      : only.includes(f.replace('.bench.ts', '')),
  )
  .sort();

let failed = 0;
for (const file of files) {
  const started = Date.now();
  process.stderr.write(`bench: ${file} ...\n`);
  try {
    const mod = (await import(pathToFileURL(join(dir, file)).href)) as {
      run: () => Promise<BenchResult>;
    };
    const result = await mod.run();
    const out = writeResult(result);
    process.stderr.write(
      `bench: ${file} done in ${((Date.now() - started) / 1000).toFixed(1)} s -> ${out}\n`,
    );
    for (const f of result.figures) {
      process.stdout.write(
        `  ${result.name}: ${f.name} = ${f.value} ${f.unit}${f.target ? ` (target ${f.target}: ${f.met ? 'met' : 'NOT met'})` : ''}\n`,
      );
    }
  } catch (err) {
    failed++;
    process.stderr.write(`bench: ${file} FAILED: ${(err as Error).stack ?? String(err)}\n`);
  }
}
process.exitCode = failed > 0 ? 1 : 0;
