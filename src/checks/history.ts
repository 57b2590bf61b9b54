import type { SqlExecutor } from '../mirror/sql.js';
import * as checkRuns from '../mirror/repositories/check-runs.js';
import * as findings from '../mirror/repositories/findings.js';

/**
 * History queries over stored runs and finding events, for the compliance note ("change since
 * the previous note") and for status pages. All times are the runs' as-of instants (epoch ms).
 */

export interface CheckRunSummary {
  id: string;
  asOf: number;
  startedAt: number;
  finishedAt: number | null;
  status: string;
  findingCount: number;
  newCount: number;
  resolvedCount: number;
  entryTimePrecision: string | null;
}

export interface FindingEvent {
  runId: string;
  kind: 'opened' | 'resolved' | 'reopened';
  at: number;
}

export interface TeacherCount {
  teacherId: string | null;
  teacherName: string | null;
  count: number;
}

export interface TeacherChange {
  teacherId: string | null;
  teacherName: string | null;
  /** Open at the earlier instant. */
  before: number;
  /** Open at the later instant. */
  after: number;
  /** Opened or re-opened between the instants. */
  appeared: number;
  /** Resolved between the instants. */
  resolved: number;
}

/** Finished current runs of a school, newest first (what-if runs are no part of its history). */
export async function listRuns(
  db: SqlExecutor,
  schoolId: string,
  limit = 50,
): Promise<CheckRunSummary[]> {
  const runs = await checkRuns.finishedCurrentRuns(db, schoolId, limit);
  return runs.map(({ schoolId: _school, ...run }) => run);
}

/** The previous finished run of the school strictly before `asOf` (the last note's run). */
export async function previousRun(
  db: SqlExecutor,
  schoolId: string,
  asOf: number,
): Promise<CheckRunSummary | null> {
  const rows = await listRuns(db, schoolId, 200);
  return rows.find((r) => r.asOf < asOf) ?? null;
}

/** When a finding appeared, was resolved and re-opened, oldest first. */
export async function findingHistory(db: SqlExecutor, key: string): Promise<FindingEvent[]> {
  return findings.eventsOf(db, key);
}

/**
 * Findings open at instant `at`, per teacher: a finding is open when its latest event at or
 * before `at` is an opening (or re-opening).
 */
export async function openCountsPerTeacher(
  db: SqlExecutor,
  schoolId: string,
  at: number,
  rules?: readonly string[],
): Promise<TeacherCount[]> {
  return findings.openPerTeacherAt(db, schoolId, at, rules);
}

/** Open findings per teacher at each finished run of the school (oldest first): counts over time. */
export async function teacherCountsOverTime(
  db: SqlExecutor,
  schoolId: string,
  options: { from?: number; to?: number } = {},
): Promise<{ runId: string; asOf: number; counts: TeacherCount[] }[]> {
  const runs = (await listRuns(db, schoolId, 1000))
    .filter(
      (r) =>
        (options.from === undefined || r.asOf >= options.from) &&
        (options.to === undefined || r.asOf <= options.to),
    )
    .reverse();
  const out = [];
  for (const run of runs) {
    out.push({
      runId: run.id,
      asOf: run.asOf,
      counts: await openCountsPerTeacher(db, schoolId, run.asOf),
    });
  }
  return out;
}

/** Per teacher, what changed between two instants (e.g. the previous note's as-of and this one's). */
export async function changeBetween(
  db: SqlExecutor,
  schoolId: string,
  from: number,
  to: number,
): Promise<TeacherChange[]> {
  const [before, after] = await Promise.all([
    openCountsPerTeacher(db, schoolId, from),
    openCountsPerTeacher(db, schoolId, to),
  ]);
  const moves = await findings.eventCountsBetween(db, schoolId, from, to);
  const byTeacher = new Map<string, TeacherChange>();
  const entry = (id: string | null, name: string | null) => {
    const k = id ?? '';
    let e = byTeacher.get(k);
    if (!e) {
      byTeacher.set(
        k,
        (e = { teacherId: id, teacherName: name, before: 0, after: 0, appeared: 0, resolved: 0 }),
      );
    }
    if (!e.teacherName && name) e.teacherName = name;
    return e;
  };
  for (const c of before) entry(c.teacherId, c.teacherName).before = c.count;
  for (const c of after) entry(c.teacherId, c.teacherName).after = c.count;
  for (const m of moves) {
    const e = entry(m.teacherId, null);
    if (m.kind === 'resolved') e.resolved += m.count;
    else e.appeared += m.count;
  }
  return [...byTeacher.values()].sort(
    (a, b) => b.after - a.after || (a.teacherName ?? '').localeCompare(b.teacherName ?? '', 'ru'),
  );
}

/** Keys of findings first opened, and resolved, between two instants (exclusive..inclusive). */
export async function findingsChangedBetween(
  db: SqlExecutor,
  schoolId: string,
  from: number,
  to: number,
): Promise<{ appeared: string[]; resolved: string[] }> {
  const rows = await findings.eventsBetween(db, schoolId, from, to);
  return {
    appeared: rows.filter((r) => r.kind !== 'resolved').map((r) => r.findingKey),
    resolved: rows.filter((r) => r.kind === 'resolved').map((r) => r.findingKey),
  };
}
