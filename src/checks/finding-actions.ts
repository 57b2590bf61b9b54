import * as findingActions from '../mirror/repositories/finding-actions.js';
import type { FindingAction, FindingActionRecord } from '../mirror/repositories/finding-actions.js';
import type { SqlDb, SqlExecutor } from '../mirror/sql.js';

/**
 * What people did about a finding, kept in `finding_actions` (one row per action, never
 * rewritten). A finding's state is its latest action: acknowledged (seen, being dealt with; still
 * alerted), waived (will not be fixed, for a reason: an individual plan, a platform outage, a
 * substitution the platform records under another teacher; no longer alerted, shown in the
 * справка as «снято»), or open again after a reopen. Independent of the checks' own
 * opened/resolved history (`finding_events`): a waived finding the journal later fixes is resolved
 * as any other.
 */

export {
  FINDING_ACTIONS,
  type FindingAction,
  type FindingActionRecord,
} from '../mirror/repositories/finding-actions.js';

/** The state people gave a finding: `open` when nobody acted or the last action reopened it. */
export type FindingState = 'open' | 'acknowledged' | 'waived';

export function stateAfter(action: FindingAction | null): FindingState {
  if (action === 'acknowledge') return 'acknowledged';
  if (action === 'waive') return 'waived';
  return 'open';
}

/** Appends one action per finding, in one transaction; returns the rows written. */
export const recordFindingActions = (
  db: SqlDb,
  actions: readonly Omit<FindingActionRecord, 'seq'>[],
): Promise<FindingActionRecord[]> => findingActions.appendActions(db, actions);

/** The latest action of each of these findings (absent: nobody acted), at or before `until`. */
export const latestFindingActions = (
  db: SqlExecutor,
  keys: readonly string[],
  until: number = Number.MAX_SAFE_INTEGER,
): Promise<Map<string, FindingActionRecord>> => findingActions.latestActions(db, keys, until);

/** Keys of a school's findings whose latest action waived them: not alerted. */
export const waivedFindingKeys = (db: SqlExecutor, schoolId: string): Promise<Set<string>> =>
  findingActions.waivedKeys(db, schoolId);

/** Every action on a finding, oldest first. */
export const findingHistory = (db: SqlExecutor, key: string): Promise<FindingActionRecord[]> =>
  findingActions.actionsOf(db, key);
