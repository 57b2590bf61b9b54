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
// The kinds and the SQL condition live with the table's statements; the meaning is described here.
export { currentRunSql, type RunKind } from '../mirror/repositories/check-runs.js';
