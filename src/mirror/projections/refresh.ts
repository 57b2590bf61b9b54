import type { SqlDb, SqlExecutor } from '../sql.js';
import { placeholders } from '../sql.js';
import { inList, raw, sql } from '../sql-fragment.js';
import { subjectsInsert, SUBJECTS_TABLE, totalsInsert, TOTALS_TABLE } from './build-sql.js';
import { dirtyRows, LESSON_STREAMS, ROSTER_STREAMS, ROW_STREAMS } from './dirty-rows.js';
import { buildLessonOrder, LESSON_ORDER_TABLE, renumberSeries } from './lesson-order.js';
import { buildLessonTotals, LESSON_TOTALS_TABLE, refreshLessonTotals } from './lesson-totals.js';

/**
 * Keeps the period totals (`period_mark_totals`, `period_subject_totals`), the lesson order
 * (`lesson_order`) and the per-lesson totals (`lesson_entry_totals`) up to date from the
 * mirror's change history. The sync refreshes them when a run ends (so that the cost of
 * grouping the marks is paid once, where the marks change), and every check run refreshes them
 * again before reading them (a no-op when nothing changed), so they never depend on who wrote
 * the mirror last.
 */

/** Changes to these rebuild a school's totals whole: weights, final types and period bounds. */
const REBUILD_STREAMS = ['workTypes', 'reportingPeriods'] as const;
/**
 * Tables whose rows the totals are computed from (first-seen and deletion instants). Attendance is
 * one too, but its instants are read from its versions only (every change writes one): on
 * PostgreSQL no index of all its rows leads with the school, and reading its largest table
 * whole for each school's full build would read every school's entries.
 */
const SOURCE_TABLES = ['marks', 'lessons', 'works', 'work_types', 'reporting_periods'];
/**
 * A sync reads its clock before its write transaction commits, so a version may land after a
 * refresh that already passed its instant. The versions of this last stretch before the applied
 * instant are counted at each refresh; when the count has grown, the stretch is read again
 * (re-reading a version is harmless: its periods are recomputed).
 */
export const LATE_COMMIT_MS = 2 * 60_000;
/** Beyond this many changed versions a full rebuild (one scan of the marks) is cheaper. */
export const MAX_INCREMENTAL_VERSIONS = 50_000;
/**
 * Attendance entries come by the class (a lesson's 25–30 at once) and move only their lesson's
 * row: beyond this many changed entries, a full rebuild.
 */
export const MAX_INCREMENTAL_ENTRIES = 500_000;

export interface TotalsRefresh {
  mode: 'full' | 'partial' | 'unchanged';
  /** Period rows recomputed (full: every live one). */
  periods: number;
  /** Lesson series (class and subject) renumbered (partial). */
  series: number;
  /** Lessons whose per-lesson totals were recomputed (partial). */
  lessons: number;
  /** Changed versions read (partial). */
  versions: number;
  /** Every change observed up to this instant is in the totals. */
  appliedThrough: number;
  ms: number;
}

const num = (v: unknown): number => (v === null || v === undefined ? 0 : Number(v));

/** PostgreSQL: one refresh per school at a time (SQLite transactions are serialized anyway). */
async function lockSchool(tx: SqlExecutor, schoolId: string): Promise<void> {
  if (tx.dialect !== 'postgres') return;
  await tx.query(`SELECT pg_advisory_xact_lock(hashtext(?))`, [`${TOTALS_TABLE}:${schoolId}`]);
}

async function saveState(
  tx: SqlExecutor,
  schoolId: string,
  appliedThrough: number,
  tail: number,
  now: number,
): Promise<void> {
  await tx.run(
    `INSERT INTO derived_state (school_id, name, applied_through, tail_versions, built_at)
     VALUES (?, ?, ?, ?, ?)
     ON CONFLICT (school_id, name) DO UPDATE SET applied_through = excluded.applied_through,
       tail_versions = excluded.tail_versions, built_at = excluded.built_at`,
    [schoolId, TOTALS_TABLE, appliedThrough, tail, now],
  );
}

const STREAMS = [...REBUILD_STREAMS, ...ROW_STREAMS, ...LESSON_STREAMS, ...ROSTER_STREAMS];

/** Versions of the streams the totals follow: after `applied`, and in the late-commit stretch before it. */
async function versionCounts(
  tx: SqlExecutor,
  schoolId: string,
  applied: number,
): Promise<{ fresh: number; tail: number }> {
  const [r] = await tx.query<{ fresh: unknown; tail: unknown }>(
    `SELECT sum(CASE WHEN observed_at > ? THEN 1 ELSE 0 END) AS fresh,
       sum(CASE WHEN observed_at <= ? THEN 1 ELSE 0 END) AS tail
     FROM record_versions
     WHERE school_id = ? AND entity IN (${placeholders(STREAMS.length)}) AND observed_at > ?`,
    [applied, applied, schoolId, ...STREAMS, applied - LATE_COMMIT_MS],
  );
  return { fresh: num(r?.fresh), tail: num(r?.tail) };
}

/** The latest change instant of the school's source rows and their history. */
async function latestChange(tx: SqlExecutor, schoolId: string): Promise<number> {
  let latest = 0;
  for (const table of SOURCE_TABLES) {
    const [r] = await tx.query<{ seen: unknown; gone: unknown }>(
      `SELECT max(first_seen_at) AS seen, max(deleted_at) AS gone FROM ${table} WHERE school_id = ?`,
      [schoolId],
    );
    latest = Math.max(latest, num(r?.seen), num(r?.gone));
  }
  const [v] = await tx.query<{ at: unknown }>(
    `SELECT max(observed_at) AS at FROM record_versions WHERE school_id = ?`,
    [schoolId],
  );
  return Math.max(latest, num(v?.at));
}

/**
 * PostgreSQL plans from table statistics, and a mirror that a first sync has just filled has none
 * until autovacuum comes round: without them the totals' build at a million marks did not end in
 * four minutes (with them: 19 s), and the first check run took 126 s instead of 55 (bench/README,
 * PostgreSQL). A full build is when the tables have changed most, so it samples them first (the
 * journal the totals and the checks read) and its own tables after. SQLite plans without them.
 */
const PLANNED_TABLES = [...SOURCE_TABLES, 'attendance', 'final_marks', 'enrollments'];
const BUILT_TABLES = [TOTALS_TABLE, SUBJECTS_TABLE, LESSON_ORDER_TABLE, LESSON_TOTALS_TABLE];

async function analyze(tx: SqlExecutor, tables: readonly string[]): Promise<void> {
  if (tx.dialect === 'postgres') await tx.run(`ANALYZE ${tables.join(', ')}`);
}

async function fullBuild(tx: SqlExecutor, schoolId: string, now: number): Promise<TotalsRefresh> {
  const started = performance.now();
  // How far the build reaches, read before it: on PostgreSQL (READ COMMITTED) a sync of the
  // school may commit while the tables are built (a check run holds no school lock), and
  // versions read after the build would be recorded as applied without having been. Read first,
  // they are newer than `appliedThrough` or grow its tail, and the next refresh reads them.
  const appliedThrough = await latestChange(tx, schoolId);
  const { tail } = await versionCounts(tx, schoolId, appliedThrough);
  await analyze(tx, PLANNED_TABLES);
  for (const table of [TOTALS_TABLE, SUBJECTS_TABLE]) {
    await tx.run(`DELETE FROM ${table} WHERE school_id = ?`, [schoolId]);
  }
  for (const insert of [totalsInsert(schoolId, null), subjectsInsert(schoolId, null)]) {
    await tx.run(insert.text, insert.params);
  }
  await buildLessonOrder(tx, schoolId);
  await buildLessonTotals(tx, schoolId);
  await analyze(tx, BUILT_TABLES);
  await saveState(tx, schoolId, appliedThrough, tail, now);
  const [p] = await tx.query<{ n: unknown }>(
    `SELECT count(*) AS n FROM reporting_periods WHERE school_id = ? AND deleted_at IS NULL`,
    [schoolId],
  );
  return {
    mode: 'full',
    periods: num(p?.n),
    series: 0,
    lessons: 0,
    versions: 0,
    appliedThrough,
    ms: performance.now() - started,
  };
}

/** Brings the school's totals up to date with everything the mirror holds now. */
export async function refreshPeriodTotals(
  db: SqlDb,
  schoolId: string,
  now: number,
): Promise<TotalsRefresh> {
  return db.transaction(async (tx) => {
    const started = performance.now();
    await lockSchool(tx, schoolId);
    const [state] = await tx.query<{ applied_through: unknown; tail_versions: unknown }>(
      `SELECT applied_through, tail_versions FROM derived_state WHERE school_id = ? AND name = ?`,
      [schoolId, TOTALS_TABLE],
    );
    if (!state) return fullBuild(tx, schoolId, now);
    const applied = num(state.applied_through);
    const { fresh, tail } = await versionCounts(tx, schoolId, applied);
    const late = tail !== num(state.tail_versions);
    if (fresh === 0 && !late) {
      return {
        mode: 'unchanged',
        periods: 0,
        series: 0,
        lessons: 0,
        versions: 0,
        appliedThrough: applied,
        ms: 0,
      };
    }
    const since = late ? applied - LATE_COMMIT_MS : applied;
    const counts = await tx.query<{ entity: string; n: unknown; latest: unknown }>(
      `SELECT entity, count(*) AS n, max(observed_at) AS latest FROM record_versions
       WHERE school_id = ? AND entity IN (${placeholders(STREAMS.length)}) AND observed_at > ?
       GROUP BY entity`,
      [schoolId, ...STREAMS, since],
    );
    const total = counts.reduce((s, c) => s + num(c.n), 0);
    const entries = counts
      .filter((c) => (LESSON_STREAMS as readonly string[]).includes(c.entity))
      .reduce((s, c) => s + num(c.n), 0);
    const rebuild = counts.some((c) => (REBUILD_STREAMS as readonly string[]).includes(c.entity));
    if (
      rebuild ||
      total - entries > MAX_INCREMENTAL_VERSIONS ||
      entries > MAX_INCREMENTAL_ENTRIES
    ) {
      return fullBuild(tx, schoolId, now);
    }

    // As for a full build: how far this refresh reaches, read before the changes are.
    const appliedThrough = Math.max(applied, ...counts.map((c) => num(c.latest)));
    const { tail: saved } = await versionCounts(tx, schoolId, appliedThrough);
    const dirty = await dirtyRows(tx, schoolId, since);
    let periods = 0;
    for (const [source, rows] of dirty.periods) {
      periods += rows.length;
      for (const table of [TOTALS_TABLE, SUBJECTS_TABLE]) {
        const del = sql`DELETE FROM ${raw(table)} WHERE source = ${source} AND period_row IN ${inList(rows)}`;
        await tx.run(del.text, del.params);
      }
    }
    const rows = [...dirty.periods.values()].flat();
    if (rows.length > 0) {
      for (const insert of [totalsInsert(schoolId, rows), subjectsInsert(schoolId, rows)]) {
        await tx.run(insert.text, insert.params);
      }
    }
    const series = await renumberSeries(tx, schoolId, dirty.series);
    const lessons = await refreshLessonTotals(tx, schoolId, dirty.entryLessons);
    await saveState(tx, schoolId, appliedThrough, saved, now);
    return {
      mode: 'partial',
      periods,
      series,
      lessons,
      versions: total,
      appliedThrough,
      ms: performance.now() - started,
    };
  });
}

/**
 * Whether a run as of `asOf` may read the totals: they hold the mirror as it is now, which is the
 * mirror as of `asOf` only when nothing was seen or deleted after `asOf`.
 */
export async function totalsAnswerFor(
  db: SqlExecutor,
  schoolId: string,
  asOf: number,
): Promise<boolean> {
  const [state] = await db.query<{ applied_through: unknown }>(
    `SELECT applied_through FROM derived_state WHERE school_id = ? AND name = ?`,
    [schoolId, TOTALS_TABLE],
  );
  return state !== undefined && num(state.applied_through) <= asOf;
}
