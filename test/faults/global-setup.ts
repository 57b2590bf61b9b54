/**
 * The fault suite's global setup: the services check of the main suite, a file for the figures
 * the fault files record, and at the end one summary block of those figures.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import servicesReachable from '../helpers/global-setup.js';
import { FIGURES_ENV, summarize, type Figure } from './figures.js';

export default async function setup(): Promise<() => void> {
  await servicesReachable();
  const dir = mkdtempSync(join(tmpdir(), 'ezh-fault-figures-'));
  const file = join(dir, 'figures.jsonl');
  // Workers start after the global setup and inherit this environment.
  process.env[FIGURES_ENV] = file;
  const started = Date.now();
  return () => {
    let lines: Figure[] = [];
    try {
      lines = readFileSync(file, 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l) as Figure);
    } catch {
      // No figure was recorded (every fault file failed before recording).
    }
    const seconds = Math.round((Date.now() - started) / 1000);
    const block = [
      '',
      '=== ezh fault suite: figures ===',
      ...summarize(lines),
      `wall time  ${seconds} s`,
      '================================',
      '',
    ];
    process.stdout.write(`${block.join('\n')}\n`);
    rmSync(dir, { recursive: true, force: true });
  };
}
