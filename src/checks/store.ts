import * as checkRuns from '../mirror/repositories/check-runs.js';
import * as findingsRepo from '../mirror/repositories/findings.js';
import type { FindingEventKind, FindingWrite } from '../mirror/repositories/findings.js';
import type { SqlDb, SqlExecutor } from '../mirror/sql.js';
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

export async function startRun(db: SqlExecutor, run: RunRecord): Promise<void> {
  await checkRuns.insertRun(db, {
    id: run.id,
    schoolId: run.schoolId,
    asOf: run.asOf,
    startedAt: run.startedAt,
    rules: JSON.stringify(run.rules),
    entryTimePrecision: run.entryTimePrecision,
    kind: run.kind,
  });
}

/** Closes a what-if run with its finding count; findings and their events are not touched. */
export async function closeWhatIfRun(
  db: SqlExecutor,
  run: RunRecord,
  findingCount: number,
  finishedAt: number,
): Promise<void> {
  if (run.kind !== 'what-if') throw new Error(`run ${run.id} is ${run.kind}, not what-if`);
  await checkRuns.markSucceeded(db, run.id, finishedAt, { findingCount });
}

export async function failRun(db: SqlExecutor, runId: string, finishedAt: number): Promise<void> {
  await checkRuns.markFailed(db, runId, finishedAt);
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
    const writes = findings.map(toWrite);
    const previous = await findingsRepo.storedState(
      tx,
      writes.map((f) => f.key),
    );
    const events: { kind: FindingEventKind; finding: FindingWrite }[] = [];
    for (const f of writes) {
      const prev = previous.get(f.key);
      if (prev === undefined || prev.resolved) {
        events.push({ kind: prev === undefined ? 'opened' : 'reopened', finding: f });
      }
    }
    await findingsRepo.upsertSeen(tx, run, writes);
    await findingsRepo.insertEvents(tx, run, events);
    const resolvedCount = await findingsRepo.resolveUnseen(tx, run, scope);
    const counts = { findingCount: findings.length, newCount: events.length, resolvedCount };
    await checkRuns.markSucceeded(tx, run.id, finishedAt, counts);
    return counts;
  });
}

function toWrite(f: Finding): FindingWrite {
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
  return {
    key: f.key,
    rule: f.rule,
    severity: f.severity,
    schoolId: f.schoolId,
    classId: f.classId,
    subjectId: f.subjectId,
    teacherId: f.teacherId,
    studentId: f.studentId,
    lessonId: f.lessonId,
    date: f.date,
    deadline: f.deadline,
    message: f.message,
    details,
  };
}
