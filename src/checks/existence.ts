import { DateTime } from 'luxon';
import { live } from './common.js';
import type { RuleContextBase } from './rule.js';
import { joinSql, raw, sql, type Fragment } from './sql-fragment.js';

/**
 * Whether a mirrored row existed at the run's instant `A` (docs/rules.md, "Which timestamps
 * decide each rule"). The mirror's own history (`first_seen_at`, `deleted_at`) starts at its first
 * sync and, between syncs, lags the journal by the sync interval; the platform stamps some rows
 * itself: a mark's entry moment (`marks.entered_at`), an attendance entry's `created_at`, a work's
 * `sent_at`, a lesson's day (`day_start_at`: a lesson held that day belonged in the journal
 * from that day), a final mark's own date. A row existed at `A` when it was not deleted by then
 * and either the mirror saw it by then or the platform stamped it at or before then. So a mirror
 * synced once, late, and one synced all along agree wherever the platform's stamps decide.
 *
 * What nothing dates (a row without a stamp, first seen after `A`) is taken, before the mirror's
 * first sync, in the direction that never accuses wrongly: `present` where its presence excuses
 * (a homework, an attendance entry, a mark that corrects a «2»), `absent` where its presence
 * accuses (a mark in a grade 1 class, a control work). After the first sync the mirror's sight
 * dates it, as before. A row deleted before the mirror first saw it is unknown to it: no stamp can
 * bring it back (the caveat the run's evidence states).
 */

/** Where the row's existence is accuses (`absent` when undated) or excuses (`present`). */
export type Undated = 'present' | 'absent';

/** How a table's rows are stamped by the platform: a condition "stamped at or before A", and "undated". */
export interface Stamp {
  dated: Fragment;
  undated: Fragment;
}

/** A numeric stamp column (epoch ms): `alias.column <= A`. */
export function stampColumn(alias: string, column: string, asOf: number): Stamp {
  const c = raw(`${alias}.${column}`);
  return { dated: sql`${c} <= ${asOf}`, undated: sql`${c} IS NULL` };
}

/**
 * A final mark's own date: local date(-time) text in the school's zone, compared as text with
 * `A` written the same way (a date without a time is taken as the start of its day).
 */
export function finalMarkStamp(alias: string, asOf: number, zone: string): Stamp {
  const c = raw(`replace(substr(${alias}.date, 1, 19), ' ', 'T')`);
  return {
    dated: sql`${c} <= ${localText(asOf, zone)}`,
    undated: raw(`${alias}.date IS NULL`),
  };
}

/** `YYYY-MM-DDTHH:mm:ss` of the instant in the zone (IANA, or as the platform gives it: `UTC+3`). */
export function localText(instant: number, zone: string): string {
  return DateTime.fromMillis(instant, { zone }).toFormat("yyyy-MM-dd'T'HH:mm:ss");
}

type HistoryCtx = Pick<RuleContextBase, 'asOf' | 'coverage'>;

/**
 * Where the run stands against the mirror's history: `covered` (every row seen by then was seen
 * by a finished sync, the plain `live` answers), `between` (after the first sync: the mirror's
 * sight or the platform's stamp dates a row), `before` (before the first sync: also what nothing
 * dates goes the safe way).
 */
export function historyOf(ctx: HistoryCtx): 'covered' | 'between' | 'before' {
  const c = ctx.coverage;
  if (!c) return 'covered';
  if (c.lastSyncedAt !== null && ctx.asOf >= c.lastSyncedAt) return 'covered';
  // No sync recorded (rows written otherwise: fixtures, an import): the rows' own history is all
  // there is, dated as after a first sync.
  if (c.firstSyncAt !== null && ctx.asOf < c.firstSyncAt) return 'before';
  return 'between';
}

/** The row existed at `A` (see the module comment); `stamp` null: the platform dates it not. */
export function existedAt(
  alias: string,
  ctx: HistoryCtx,
  stamp: Stamp | null,
  undated: Undated,
): Fragment {
  const history = historyOf(ctx);
  // A current run: the plain test, which the covering indexes answer.
  if (history === 'covered') return live(alias, ctx.asOf);
  const a = raw(alias);
  const ways: Fragment[] = [sql`${a}.first_seen_at <= ${ctx.asOf}`];
  if (stamp) ways.push(stamp.dated);
  if (history === 'before' && undated === 'present') {
    ways.push(stamp ? stamp.undated : raw('1 = 1'));
  }
  return sql`(${a}.deleted_at IS NULL OR ${a}.deleted_at > ${ctx.asOf}) AND (${joinSql(ways, ' OR ')})`;
}

/** A lesson, dated by its own day. */
export function lessonAt(alias: string, ctx: HistoryCtx): Fragment {
  return existedAt(alias, ctx, stampColumn(alias, 'day_start_at', ctx.asOf), 'absent');
}

/** A mark, dated by its entry moment (`Mark.date`). */
export function markAt(alias: string, ctx: HistoryCtx, undated: Undated): Fragment {
  return existedAt(alias, ctx, stampColumn(alias, 'entered_at', ctx.asOf), undated);
}

/** An attendance entry, dated by `createdDate`. */
export function attendanceAt(alias: string, ctx: HistoryCtx, undated: Undated): Fragment {
  return existedAt(alias, ctx, stampColumn(alias, 'created_at', ctx.asOf), undated);
}

/** A work (homework, control work), dated by `sentDate`. */
export function workAt(alias: string, ctx: HistoryCtx, undated: Undated): Fragment {
  return existedAt(alias, ctx, stampColumn(alias, 'sent_at', ctx.asOf), undated);
}

/** A final mark, dated by its own date. */
export function finalMarkAt(
  alias: string,
  ctx: HistoryCtx & { zone: string },
  undated: Undated,
): Fragment {
  return existedAt(alias, ctx, finalMarkStamp(alias, ctx.asOf, ctx.zone), undated);
}

/**
 * The school's structure (classes, reporting periods, subjects): not entries anybody is judged
 * on, and the same months ago as today; before the first sync it is taken as it is now.
 */
export function structureAt(alias: string, ctx: HistoryCtx): Fragment {
  return existedAt(alias, ctx, null, 'present');
}

/**
 * A student's enrollment (`e`: class_id, person_id). The platform dates no enrollment: before the
 * mirror's first sync, a student counts in the class at `A` only when the platform shows them
 * there by then: an attendance entry created, or a mark entered, in that class at or before `A`.
 * A student who joined the class later is never asked for marks as of before they came.
 */
export function enrolledAt(alias: string, ctx: HistoryCtx): Fragment {
  if (historyOf(ctx) !== 'before') return existedAt(alias, ctx, null, 'absent');
  const e = raw(alias);
  const A = ctx.asOf;
  return sql`(${e}.deleted_at IS NULL OR ${e}.deleted_at > ${A}) AND (EXISTS (
      SELECT 1 FROM attendance xa WHERE xa.class_id = ${e}.class_id AND xa.student_id = ${e}.person_id
        AND xa.source = ${e}.source AND xa.created_at <= ${A})
    OR EXISTS (
      SELECT 1 FROM marks xm WHERE xm.student_id = ${e}.person_id AND xm.class_id = ${e}.class_id
        AND xm.source = ${e}.source AND xm.entered_at <= ${A}))`;
}
