/**
 * "Did you mean …?" for unknown config keys. Keys are compared without case and separators
 * (`baseURL`, `base_url` and `baseUrl` are one word to a reader), then by edit distance with
 * adjacent swaps counted once (`platfrom`). A dozen lines of our own rather than a dependency:
 * the project has no direct one for this, and the inputs are a few dozen short keys.
 */
export function closestKey(unknown: string, known: readonly string[]): string | undefined {
  const target = foldKey(unknown);
  // Short keys tolerate one slip; longer ones two, or three from 12 characters on.
  const limit = target.length <= 4 ? 1 : target.length < 12 ? 2 : 3;
  let best: { key: string; distance: number } | undefined;
  for (const key of known) {
    const folded = foldKey(key);
    // One word inside the other (`hostname` for `host`) is as close as one slip.
    const nested =
      Math.min(folded.length, target.length) >= 3 &&
      (folded.startsWith(target) || target.startsWith(folded));
    const distance = nested ? 1 : editDistance(target, folded);
    if (distance <= limit && (!best || distance < best.distance)) best = { key, distance };
  }
  return best?.key;
}

/** ` (did you mean \`baseUrl\`?)` when a known key is close to `unknown`, else nothing. */
export function didYouMean(unknown: string, known: readonly string[]): string {
  const near = closestKey(unknown, known);
  return near ? ` (did you mean \`${near}\`?)` : '';
}

/** Case and separators aside: `BASE_URL` and `baseURL` name `baseUrl`, `MARK_LATE` names `mark-late`. */
export function foldKey(key: string): string {
  return key.toLowerCase().replace(/[-_\s]/g, '');
}

/** Optimal string alignment distance: insertions, deletions, substitutions, adjacent swaps. */
export function editDistance(a: string, b: string): number {
  const rows: number[][] = [];
  for (let i = 0; i <= a.length; i++) {
    const row: number[] = [i];
    for (let j = 1; j <= b.length; j++) {
      if (i === 0) {
        row.push(j);
        continue;
      }
      const above = rows[i - 1]!;
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min(above[j]! + 1, row[j - 1]! + 1, above[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        d = Math.min(d, rows[i - 2]![j - 2]! + 1);
      }
      row.push(d);
    }
    rows.push(row);
  }
  return rows[a.length]![b.length]!;
}
