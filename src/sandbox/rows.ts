import type { Timed } from './model.js';

/**
 * The platform's state of a row at an instant: absent before it appears and from its deletion
 * on; otherwise the row with every edit up to that instant applied.
 */
export function viewAt<T extends Timed<T>>(row: T, at: number): T | null {
  if (row.appearAt > at) return null;
  if (row.deletedAt !== null && row.deletedAt <= at) return null;
  if (!row.edits || row.edits.length === 0) return row;
  let out = row;
  for (const e of row.edits) if (e.at <= at) out = { ...out, ...e.patch };
  return out;
}

/** The row's final state after every edit (what the timeline ends with). */
export function finalState<T extends Timed<T>>(row: T): T {
  if (!row.edits || row.edits.length === 0) return row;
  let out = row;
  for (const e of row.edits) out = { ...out, ...e.patch };
  return out;
}

/** Adds an edit keeping edits in time order. */
export function addEdit<T extends Timed<T>>(row: T, at: number, patch: Partial<T>): void {
  row.edits = [...(row.edits ?? []), { at, patch }].sort((a, b) => a.at - b.at);
}

/** Appends to a list in a map of lists (no copying). */
export function pushTo<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}
