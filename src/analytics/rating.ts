import { shown } from './averages.js';

/**
 * Places in class by average, highest first, as a school ranks: **competition ranking**
 * («1, 2, 2, 4»): students whose averages are equal as shown (two decimals) share the better
 * place, and the next student's place counts everyone above them. A student without marks gets
 * no place. (A shared place is written «2–3» by some schools; the document can print the range
 * from `place` and `tied`, the order is the same.)
 */
export interface Place {
  place: number;
  /** How many students share this place (1: alone). */
  tied: number;
  /** Students with a place in this ranking. */
  of: number;
}

export function rankByAverage(values: ReadonlyMap<string, number | null>): Map<string, Place> {
  const ranked = [...values]
    .map(([key, v]) => ({ key, v: shown(v) }))
    .filter((x): x is { key: string; v: number } => x.v !== null)
    .sort((a, b) => b.v - a.v || a.key.localeCompare(b.key));
  const out = new Map<string, Place>();
  const ties = new Map<number, number>();
  for (const x of ranked) ties.set(x.v, (ties.get(x.v) ?? 0) + 1);
  let place = 0;
  let prev: number | null = null;
  ranked.forEach((x, i) => {
    if (x.v !== prev) place = i + 1;
    prev = x.v;
    out.set(x.key, { place, tied: ties.get(x.v) ?? 1, of: ranked.length });
  });
  return out;
}

/** `2`, or `2–3` for a place shared by two. */
export function placeText(p: Place): string {
  return p.tied > 1 ? `${p.place}–${p.place + p.tied - 1}` : String(p.place);
}

/** Places moved up since last week (positive: up); null when either week has no place. */
export function placeChange(now: Place | undefined, before: Place | undefined): number | null {
  return now && before ? before.place - now.place : null;
}
