import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { machine } from './measure.js';

export interface Figure {
  name: string;
  value: number;
  unit: string;
  /** The baseline measured in the same run, when the figure is compared to one. */
  baseline?: number;
  /** value / baseline (or the inverse, as the figure says), the number that is compared. */
  ratio?: number;
  target?: string;
  met?: boolean;
}

export interface BenchResult {
  name: string;
  description: string;
  figures: Figure[];
  /** Growth: the same benchmark at several sizes. */
  sizes?: Record<string, unknown>[];
  notes?: string[];
}

export const RESULTS_DIR = join(import.meta.dirname, '..', 'results');

export function writeResult(result: BenchResult): string {
  mkdirSync(RESULTS_DIR, { recursive: true });
  const file = join(RESULTS_DIR, `${result.name}.json`);
  writeFileSync(
    file,
    `${JSON.stringify({ ...result, machine: machine(), date: new Date().toISOString() }, null, 2)}\n`,
  );
  return file;
}
