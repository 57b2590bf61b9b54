/**
 * What a stored check run is (`check_runs.kind`):
 * - `current`: as of the mirror's present, the instant a plain `ezh check` evaluates (see
 *   `presentOf` in data-time.ts). Only these open, keep and resolve findings, and only these are
 *   "the latest check run" for the compliance note, `ezh status` and the metrics.
 * - `what-if`: as of any other instant (`ezh check --as-of` in the past or the future). Stored with
 *   its counts, so it is known that it ran; its findings are printed, never stored: a run as of
 *   2030 would otherwise open everything and the next plain run resolve it all, rewriting the
 *   history the compliance note is made from.
 */
export type RunKind = 'current' | 'what-if';

/**
 * SQL condition for a current run (`alias.kind`, or `kind`). A row without a kind (written before
 * migration 0012 filled it, or by a tool that does not know the column) was treated as current.
 */
export function currentRunSql(alias?: string): string {
  return `coalesce(${alias ? `${alias}.` : ''}kind, 'current') = 'current'`;
}
