import * as syncRuns from '../mirror/repositories/sync-runs.js';
import type { SqlExecutor } from '../mirror/sql.js';
import { instantToIso } from '../platform/time.js';
import type { MirrorCoverage } from './coverage.js';
import { historyOf } from './existence.js';

/**
 * What the mirror can know about a school at an instant. It holds the journal as its syncs saw
 * it: nothing from before its first sync (a row's `first_seen_at` is when a sync first saw it),
 * nothing after its last successful sync. Checks without an explicit `--as-of` are evaluated as of
 * the mirror's present (`presentOf`), not the wall clock: a deadline that passed after the last
 * sync says nothing about the journal, only about the mirror, and would turn into findings that a
 * teacher may already have fixed. A `held` sync run read every scope (it only kept rows it was
 * not sure were deleted): it counts as a successful sync.
 */
export type { MirrorCoverage } from './coverage.js';

/** The moment the mirror last looked at a school: when its last successful sync finished. Null: never synced. */
export async function lastSyncedAt(db: SqlExecutor, schoolId: string): Promise<number | null> {
  return (await mirrorCoverage(db, schoolId)).lastSyncedAt;
}

export async function mirrorCoverage(db: SqlExecutor, schoolId: string): Promise<MirrorCoverage> {
  return syncRuns.coverageOf(db, schoolId);
}

/**
 * The mirror's present: the instant a plain `ezh check` evaluates. The clock's now, or the end of
 * the last successful sync when that is earlier (always, unless the clock is behind); now when
 * the school was never synced. A run as of exactly this instant is a current run; any other
 * instant makes a what-if run (run-kind.ts).
 */
export function presentOf(coverage: MirrorCoverage, now: number): number {
  const last = coverage.lastSyncedAt;
  return last !== null && last < now ? last : now;
}

export type AsOfWarningCode =
  'never-synced' | 'before-first-sync' | 'after-last-sync' | 'in-the-future';

/** Something the mirror cannot know for the instant a run evaluates. Messages in English (CLI). */
export interface AsOfWarning {
  code: AsOfWarningCode;
  message: string;
}

/**
 * What the mirror cannot know as of `asOf` (none: it holds what its syncs saw up to then).
 * Before the first sync: the mirror's own history does not reach then; the rules date rows by
 * the platform's timestamps instead (existence.ts), and what nothing dates goes the safe way. After the last successful sync, or in the future: entries
 * made since are unknown, and deadlines passing in between become findings a teacher may have
 * prevented.
 */
export function assessAsOf(asOf: number, coverage: MirrorCoverage, now: number): AsOfWarning[] {
  const at = instantToIso(asOf) ?? String(asOf);
  const { firstSyncAt: first, lastSyncedAt: last } = coverage;
  const out: AsOfWarning[] = [];
  if (last === null) {
    out.push({
      code: 'never-synced',
      message:
        first === null
          ? 'the mirror has never synced this school: it knows nothing of its journal, and no finding can be trusted'
          : `no sync of this school has succeeded yet (the first started ${instantToIso(first)}): the mirror holds part of its journal only, and findings cannot be trusted`,
    });
  }
  if (first !== null && asOf < first) {
    out.push({
      code: 'before-first-sync',
      message: `as of ${at} is before the mirror's first sync of this school (${instantToIso(first)}): its own history does not reach then, so each rule answered from the platform's own timestamps (its evidence is listed per rule); what no timestamp dates was taken the way that accuses nobody wrongly, and entries deleted before the first sync are unknown to the mirror`,
    });
  }
  if (asOf > now) {
    out.push({
      code: 'in-the-future',
      message: `as of ${at} is in the future: ${last === null ? 'the mirror has no data' : `the mirror has data only up to the last successful sync (${instantToIso(last)})`}, and deadlines passing until then are counted as missed`,
    });
  } else if (last !== null && asOf > last) {
    out.push({
      code: 'after-last-sync',
      message: `as of ${at} is after the last successful sync (${instantToIso(last)}): the mirror has data only up to then; entries made since are unknown, and deadlines passed since are counted as missed`,
    });
  }
  return out;
}

/**
 * What dated the journal's rows for a run as of `asOf` (existence.ts): `mirror`, its syncs saw
 * everything by then; `mirror-and-platform`, between syncs, the mirror's sight or the platform's
 * own timestamp, whichever is earlier; `platform`, before the first sync, the platform's
 * timestamps alone, and what nothing dates is taken the way that accuses nobody wrongly.
 */
export type HistoryBasis = 'mirror' | 'mirror-and-platform' | 'platform';

export function historyBasis(asOf: number, coverage: MirrorCoverage): HistoryBasis {
  const where = historyOf({ asOf, coverage });
  return where === 'covered' ? 'mirror' : where === 'between' ? 'mirror-and-platform' : 'platform';
}
