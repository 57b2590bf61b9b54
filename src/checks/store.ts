import { chunk, placeholders, valuesClause, type SqlDb, type SqlExecutor } from '../mirror/sql.js';
import type { Finding } from './finding.js';
import type { RunKind } from './run-kind.js';

/**
 * Runs and findings are kept. A finding seen again keeps its first run and moves its last run;
 * one of the ran rules' findings not seen by this run is resolved; a resolved finding seen again is
 * re-opened (resolution cleared, first run kept). Every transition is a `finding_events` row, so
 * history ("when did it appear, when was it fixed, how many per teacher") survives re-opening.
 * Only current runs do this; a what-if run (run-kind.ts) is stored with its counts and touches no
 * finding (`closeWhatIfRun`).
 */

export interface RunRecord {
  id: string;
  schoolId: string;
  asOf: number;
  startedAt: number;
  /** JSON-able: rule ids with their parameters. */
  rules: Record<string, unknown>;
  entryTimePrecision: string;
  kind: RunKind;
}

export interface RunScope {
  ruleIds: readonly string[];
  /** Only findings of these classes are resolved (a run limited by `--class`); null: all. */
  classIds: readonly string[] | null;
}

export interface StoreCounts {
  findingCount: number;
  newCount: number;
  resolvedCount: number;
}

const FINDING_COLUMNS = [
  'key',
  'rule',
  'severity',
  'school_id',
  'class_id',
  'subject_id',
  'teacher_id',
  'student_id',
  'lesson_id',
  'date',
  'deadline',
  'message',
  'details',
  'first_run_id',
  'last_run_id',
  'first_seen_at',
  'last_seen_at',
  'resolved_at',
  'resolved_run_id',
];
const UPDATED_ON_SEEN = FINDING_COLUMNS.filter(
  (c) => !['key', 'first_run_id', 'first_seen_at'].includes(c),
);
const ROWS_PER_INSERT = Math.floor(8000 / FINDING_COLUMNS.length);

export async function startRun(db: SqlExecutor, run: RunRecord): Promise<void> {
  await db.run(
    `INSERT INTO check_runs (id, school_id, as_of, started_at, finished_at, status, rules, finding_count, new_count, resolved_count, entry_time_precision, kind)
     VALUES (?, ?, ?, ?, NULL, 'running', ?, 0, 0, 0, ?, ?)`,
    [
      run.id,
      run.schoolId,
      run.asOf,
      run.startedAt,
      JSON.stringify(run.rules),
      run.entryTimePrecision,
      run.kind,
    ],
  );
}

/** Closes a what-if run with its finding count; findings and their events are not touched. */
export async function closeWhatIfRun(
  db: SqlExecutor,
  run: RunRecord,
  findingCount: number,
  finishedAt: number,
): Promise<void> {
  if (run.kind !== 'what-if') throw new Error(`run ${run.id} is ${run.kind}, not what-if`);
  await db.run(
    `UPDATE check_runs SET status = 'succeeded', finished_at = ?, finding_count = ? WHERE id = ?`,
    [finishedAt, findingCount, run.id],
  );
}

export async function failRun(db: SqlExecutor, runId: string, finishedAt: number): Promise<void> {
  await db.run(`UPDATE check_runs SET status = 'failed', finished_at = ? WHERE id = ?`, [
    finishedAt,
    runId,
  ]);
}

/** Writes the run's findings and resolutions in one transaction and closes the run. */
export async function storeFindings(
  db: SqlDb,
  run: RunRecord,
  findings: readonly Finding[],
  scope: RunScope,
  finishedAt: number,
): Promise<StoreCounts> {
  // A what-if run reaching here would rewrite the findings' history: refuse, loudly.
  if (run.kind !== 'current') {
    throw new Error(`run ${run.id} is ${run.kind}: it stores no findings`);
  }
  return db.transaction(async (tx) => {
    const previous = await previousState(
      tx,
      findings.map((f) => f.key),
    );
    let newCount = 0;
    const events: unknown[][] = [];
    for (const f of findings) {
      const prev = previous.get(f.key);
      if (prev === undefined || prev.resolved) {
        newCount++;
        events.push(event(f.key, run, prev === undefined ? 'opened' : 'reopened', f));
      }
    }
    for (const part of chunk(findings, ROWS_PER_INSERT)) {
      const params: unknown[] = [];
      for (const f of part) params.push(...findingValues(f, run));
      await tx.run(
        `INSERT INTO findings (${FINDING_COLUMNS.join(', ')}) VALUES ${valuesClause(part.length, FINDING_COLUMNS.length)}
         ON CONFLICT (key) DO UPDATE SET ${UPDATED_ON_SEEN.map((c) => `${c} = excluded.${c}`).join(', ')}`,
        params,
      );
    }
    await insertEvents(tx, events);

    const stale = staleCondition(run, scope);
    await tx.run(
      `INSERT INTO finding_events (finding_key, run_id, kind, school_id, rule, teacher_id, class_id, at)
       SELECT key, ?, 'resolved', school_id, rule, teacher_id, class_id, ? FROM findings WHERE ${stale.sql}`,
      [run.id, run.asOf, ...stale.params],
    );
    const resolved = await tx.run(
      `UPDATE findings SET resolved_at = ?, resolved_run_id = ? WHERE ${stale.sql}`,
      [run.asOf, run.id, ...stale.params],
    );
    const counts = { findingCount: findings.length, newCount, resolvedCount: resolved.changes };
    await tx.run(
      `UPDATE check_runs SET status = 'succeeded', finished_at = ?, finding_count = ?, new_count = ?, resolved_count = ? WHERE id = ?`,
      [finishedAt, counts.findingCount, counts.newCount, counts.resolvedCount, run.id],
    );
    return counts;
  });
}

async function previousState(
  tx: SqlExecutor,
  keys: string[],
): Promise<Map<string, { resolved: boolean }>> {
  const out = new Map<string, { resolved: boolean }>();
  for (const part of chunk(keys, 500)) {
    const rows = await tx.query<{ key: string; resolved_at: number | null }>(
      `SELECT key, resolved_at FROM findings WHERE key IN (${placeholders(part.length)})`,
      part,
    );
    for (const r of rows) out.set(r.key, { resolved: r.resolved_at !== null });
  }
  return out;
}

/** Open findings of the school, of the rules that ran (and classes, if limited), not seen by this run. */
function staleCondition(run: RunRecord, scope: RunScope): { sql: string; params: unknown[] } {
  let sql = `school_id = ? AND resolved_at IS NULL AND last_run_id <> ? AND rule IN (${placeholders(scope.ruleIds.length)})`;
  const params: unknown[] = [run.schoolId, run.id, ...scope.ruleIds];
  if (scope.classIds !== null) {
    sql += ` AND class_id IN (${scope.classIds.length ? placeholders(scope.classIds.length) : 'NULL'})`;
    params.push(...scope.classIds);
  }
  return { sql, params };
}

function findingValues(f: Finding, run: RunRecord): unknown[] {
  const details = JSON.stringify({
    keyParts: f.keyParts,
    workId: f.workId,
    markId: f.markId,
    periodId: f.periodId,
    names: {
      class: f.className,
      subject: f.subjectName,
      teacher: f.teacherName,
      student: f.studentName,
    },
    extra: f.extra,
  });
  return [
    f.key,
    f.rule,
    f.severity,
    f.schoolId,
    f.classId,
    f.subjectId,
    f.teacherId,
    f.studentId,
    f.lessonId,
    f.date,
    f.deadline,
    f.message,
    details,
    run.id,
    run.id,
    run.asOf,
    run.asOf,
    null,
    null,
  ];
}

function event(key: string, run: RunRecord, kind: string, f: Finding): unknown[] {
  return [key, run.id, kind, run.schoolId, f.rule, f.teacherId, f.classId, run.asOf];
}

async function insertEvents(tx: SqlExecutor, events: unknown[][]): Promise<void> {
  for (const part of chunk(events, 900)) {
    await tx.run(
      `INSERT INTO finding_events (finding_key, run_id, kind, school_id, rule, teacher_id, class_id, at)
       VALUES ${valuesClause(part.length, 8)}`,
      part.flat(),
    );
  }
}
