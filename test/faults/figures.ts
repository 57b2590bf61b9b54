import { appendFileSync } from 'node:fs';

/**
 * The fault suite's figures: each fault file records what it saw (a kill survived, a hostile
 * reply handled, rows lost), and the suite's teardown prints them in one block that a closing
 * note can quote. Lines of JSON in the file the suite's global setup names.
 */

export const FIGURES_ENV = 'EZH_FAULT_FIGURES';

export interface Figure {
  /** What was counted, e.g. `kills survived (sync)`. */
  name: string;
  /** How many passed... */
  ok: number;
  /** ...of how many. For plain counts (rows lost) `ok` is the count and `total` null. */
  total: number | null;
}

export function recordFigure(name: string, ok: number, total: number | null): void {
  const file = process.env[FIGURES_ENV];
  if (!file) return;
  appendFileSync(file, `${JSON.stringify({ name, ok, total } satisfies Figure)}\n`);
}

/** Figures of the same name are added up (several files may count kills). */
export function summarize(lines: readonly Figure[]): string[] {
  const byName = new Map<string, { ok: number; total: number | null }>();
  for (const f of lines) {
    const cur = byName.get(f.name);
    if (!cur) byName.set(f.name, { ok: f.ok, total: f.total });
    else {
      cur.ok += f.ok;
      cur.total = cur.total === null || f.total === null ? null : cur.total + f.total;
    }
  }
  const width = Math.max(0, ...[...byName.keys()].map((k) => k.length));
  return [...byName].map(
    ([name, f]) => `${name.padEnd(width)}  ${f.total === null ? f.ok : `${f.ok}/${f.total}`}`,
  );
}
