import {
  assessAsOf,
  historyBasis,
  mirrorCoverage,
  type AsOfWarningCode,
  type HistoryBasis,
} from '../../checks/data-time.js';
import type { CheckRunResult } from '../../checks/engine.js';
import { describePrecision } from '../../checks/precision.js';
import { latestFindingActions, type FindingActionRecord } from '../../checks/finding-actions.js';
import { getRule } from '../../checks/registry.js';
import { currentRunSql } from '../../checks/run-kind.js';
import type { SqlExecutor } from '../../mirror/sql.js';
import { addDays, dayStart, instantToLocalDate } from '../../platform/time.js';
import { previousAuditNoteAt } from './audit-notes.js';
import { subgroupSpreadName } from './journal-subgroups.js';
import { withStudentWords } from './student-words.js';
import { teacherScopes, type TeacherScope } from './audit-scope.js';
import type { SchoolInfo } from './school.js';

/**
 * The compliance note's data (004 §5.2: the deputy director checks once in 10 days and records it
 * in a справка). The note covers a window: from the previous справка (or a given `from`; default
 * 10 days before) to its date. It reads the school's latest finished current check run at or
 * before the date (a what-if run is never the note's run), the run before it, and every finding
 * open at some moment of the window (read from `check_runs` and `findings`): those still open and
 * those fixed within it, with how many days late. Lessons and marks of the window per teacher
 * are the denominators (`audit-scope.ts`).
 */

export interface AuditRun {
  id: string;
  asOf: number;
  precision: string;
}

export interface AuditFinding {
  rule: string;
  ruleTitle: string;
  severity: string;
  teacher: string | null;
  className: string | null;
  subject: string | null;
  student: string | null;
  date: string | null;
  message: string;
  isNew: boolean;
  teacherId: string | null;
  /** When a check run saw it fixed, within the window; null: still open at the note's date. */
  fixedAt: number | null;
  /** Days past its deadline when fixed (or, open, at the note's date); null: no deadline or on time. */
  lateDays: number | null;
  /** Waived by the school (finding-actions.ts): shown as «снято: причина, кто, когда». */
  waived: { reason: string; by: string; at: number } | null;
}

export interface AuditRuleSummary {
  rule: string;
  title: string;
  severity: string;
  open: number;
  new: number;
  resolved: number;
}

/** What the mirror could know for the note's instant (the note states it: audit-html.ts). */
export interface AuditEvidence {
  firstSyncAt: number | null;
  lastSyncedAt: number | null;
  /** Empty: the mirror holds what its syncs saw up to the note's instant. */
  warnings: AsOfWarningCode[];
  /** What dated the journal's rows as of the note's instant (data-time.ts). */
  history: HistoryBasis;
  /** With `history: platform`: what each rule decided by, in Russian (the note lists it). */
  rules: { rule: string; title: string; evidence: string }[];
}

export interface AuditData {
  school: SchoolInfo;
  asOf: number;
  /** Start of the window the note covers (epoch ms, inclusive). */
  from: number;
  /** When the справка was printed (the clock's now); absent: not stated. */
  printedAt?: number;
  /** Where `from` came from; absent: not said (as `default`). */
  fromBasis?: AuditFromBasis;
  /** Teachers with lessons in the window, with the lessons and marks checked. */
  scopes: TeacherScope[];
  evidence: AuditEvidence;
  run: AuditRun | null;
  previous: AuditRun | null;
  findings: AuditFinding[];
  rules: AuditRuleSummary[];
}

/** `given`: `--from` (or the schedule's previous occurrence); `previous-note`: the previous справка's date; `default`: 10 days. */
export type AuditFromBasis = 'given' | 'previous-note' | 'default';

type RunRow = {
  id: string;
  as_of: number;
  entry_time_precision: string | null;
};

const RUN_SQL = `SELECT id, as_of, entry_time_precision FROM check_runs
  WHERE school_id = ? AND as_of <= ? AND status = 'succeeded' AND ${currentRunSql()} ORDER BY as_of DESC, started_at DESC LIMIT 1`;
const PREVIOUS_SQL = `SELECT id, as_of, entry_time_precision FROM check_runs
  WHERE school_id = ? AND as_of < ? AND status = 'succeeded' AND ${currentRunSql()} ORDER BY as_of DESC, started_at DESC LIMIT 1`;

const toRun = (r: RunRow | undefined): AuditRun | null =>
  r ? { id: r.id, asOf: Number(r.as_of), precision: describePrecision(r.entry_time_precision) } : null;

export const ruleTitle = (id: string): string => getRule(id)?.title ?? id;

/** `now`: what "in the future" is measured against (default the wall clock). */
export async function loadAudit(
  db: SqlExecutor,
  school: SchoolInfo,
  asOf: number,
  now: number = Date.now(),
  fromArg?: number,
): Promise<AuditData> {
  const coverage = await mirrorCoverage(db, school.id);
  const evidence: AuditEvidence = {
    ...coverage,
    warnings: assessAsOf(asOf, coverage, now).map((w) => w.code),
    history: historyBasis(asOf, coverage),
    rules: [],
  };
  const run = toRun((await db.query<RunRow>(RUN_SQL, [school.id, asOf]))[0]);
  // The note is dated by its run; the window ends there and starts at the given `from`, else at
  // the previous справка's date, else 10 days before.
  const end = run?.asOf ?? asOf;
  // Справки issued earlier the same day are this one printed again (after a later check run, a
  // corrected page): the window still starts at the справка of an earlier day.
  const previousNote =
    fromArg === undefined
      ? await previousAuditNoteAt(
          db,
          school.id,
          dayStart(instantToLocalDate(end, school.zone), school.zone),
        )
      : null;
  const fromBasis: AuditFromBasis =
    fromArg !== undefined ? 'given' : previousNote !== null ? 'previous-note' : 'default';
  const from = fromArg ?? previousNote ?? defaultFrom(end, school.zone);
  const scopes = await teacherScopes(
    db,
    school.id,
    instantToLocalDate(from, school.zone),
    instantToLocalDate(end, school.zone),
  );
  if (!run) {
    return {
      school,
      asOf,
      from,
      fromBasis,
      scopes,
      evidence,
      run: null,
      previous: null,
      findings: [],
      rules: [],
    };
  }
  const previous = toRun((await db.query<RunRow>(PREVIOUS_SQL, [school.id, run.asOf]))[0]);

  // Open at some moment of the window: first seen by a run at or before the note's run, not
  // resolved by a run at or before the window's start. Fixed within it: resolved by a run up to
  // the note's run.
  const rows = await db.query<{
    key: string;
    rule: string;
    severity: string;
    date: string | null;
    message: string;
    first_run_id: string;
    first_as_of: number;
    teacher_id: string | null;
    deadline: number | null;
    resolved_as_of: number | null;
    teacher: string | null;
    class_name: string | null;
    subject: string | null;
    student: string | null;
    student_sex: string | null;
    group_name: string | null;
  }>(
    `SELECT f.key, f.rule, f.severity, f.date, f.message, f.first_run_id, fr.as_of AS first_as_of,
       f.teacher_id, f.deadline, CASE WHEN rr.as_of <= ? THEN rr.as_of END AS resolved_as_of,
       t.full_name AS teacher, c.name AS class_name, s.name AS subject, st.full_name AS student,
       st.sex AS student_sex, g.name AS group_name
     FROM findings f
     JOIN check_runs fr ON fr.id = f.first_run_id
     LEFT JOIN check_runs rr ON rr.id = f.resolved_run_id
     LEFT JOIN persons t ON t.id = f.teacher_id AND t.school_id = f.school_id
     LEFT JOIN persons st ON st.id = f.student_id AND st.school_id = f.school_id
     LEFT JOIN classes c ON c.id = f.class_id AND c.school_id = f.school_id
     LEFT JOIN subjects s ON s.id = f.subject_id AND s.school_id = f.school_id
     LEFT JOIN lessons l ON l.id = f.lesson_id AND l.class_id = f.class_id
     LEFT JOIN classes g ON g.id = l.group_id AND g.school_id = f.school_id
     WHERE f.school_id = ? AND fr.as_of <= ? AND (f.resolved_run_id IS NULL OR rr.as_of > ?)
     ORDER BY t.full_name, f.date, c.name, f.rule, f.key`,
    [run.asOf, school.id, run.asOf, from],
  );

  // Waived as of the note: the latest action taken by then (a later reopen does not rewrite it).
  const actions = await latestFindingActions(
    db,
    rows.map((r) => r.key),
    asOf,
  );
  const findings: AuditFinding[] = rows.map((r) => ({
    rule: r.rule,
    ruleTitle: ruleTitle(r.rule),
    severity: r.severity,
    teacher: r.teacher,
    className: groupClassName(r.class_name, r.subject, r.group_name),
    subject: r.subject,
    student: r.student,
    date: r.date,
    message: withSubgroup(withStudentWords(r.message, r.student_sex), r),
    isNew: previous === null || Number(r.first_as_of) > from,
    teacherId: r.teacher_id,
    fixedAt: r.resolved_as_of === null ? null : Number(r.resolved_as_of),
    lateDays: lateDays(r.deadline, r.resolved_as_of ?? run.asOf),
    waived: waiverOf(actions.get(r.key)),
  }));
  const byRule = new Map<string, AuditRuleSummary>();
  const summary = (rule: string, severity: string): AuditRuleSummary => {
    let s = byRule.get(rule);
    if (!s) byRule.set(rule, (s = { rule, title: ruleTitle(rule), severity, open: 0, new: 0, resolved: 0 }));
    return s;
  };
  for (const f of findings) {
    const s = summary(f.rule, f.severity);
    if (f.fixedAt === null) s.open++;
    else s.resolved++;
    if (f.isNew) s.new++;
  }
  const rules = [...byRule.values()].sort((a, b) => b.open - a.open || a.rule.localeCompare(b.rule));
  return { school, asOf, from, fromBasis, scopes, evidence, run, previous, findings, rules };
}

/** A group lesson's class as the school names the group: «5А / Английский язык, гр. 1». */
function groupClassName(
  className: string | null,
  subject: string | null,
  groupName: string | null,
): string | null {
  if (className === null || groupName === null) return className;
  return `${className} / ${subject ? subgroupSpreadName(subject, groupName) : groupName}`;
}

/** The message's «5А, Английский язык» (checks' `where`) naming the subgroup of a group lesson. */
function withSubgroup(
  message: string,
  r: { class_name: string | null; subject: string | null; group_name: string | null },
): string {
  if (r.class_name === null || r.subject === null || r.group_name === null) return message;
  return message.replace(
    `${r.class_name}, ${r.subject}`,
    groupClassName(r.class_name, r.subject, r.group_name)!,
  );
}

const DAY_MS = 86_400_000;

/** Ten days before the note (004 §5.2), from the start of that local day. */
export function defaultFrom(asOf: number, zone: string): number {
  return dayStart(addDays(instantToLocalDate(asOf, zone), -10), zone);
}

function lateDays(deadline: number | null, at: number | null): number | null {
  if (deadline === null || at === null) return null;
  const days = Math.ceil((Number(at) - Number(deadline)) / DAY_MS);
  return days > 0 ? days : null;
}

/**
 * The note as of an instant no stored current run covers because it precedes the mirror's first
 * sync: from a run evaluated for it (not stored: documents/audit.ts), with what each rule
 * decided by. Every finding is "new" (there is no earlier note to compare with).
 */
export function auditFromRun(base: AuditData, result: CheckRunResult): AuditData {
  const findings: AuditFinding[] = result.findings.map((f) => ({
    rule: f.rule,
    ruleTitle: ruleTitle(f.rule),
    severity: f.severity,
    teacher: f.teacherName,
    className: f.className,
    subject: f.subjectName,
    student: f.studentName,
    date: f.date,
    // Evaluated, not stored: no persons row joined here, so the regulations' generic word.
    message: withStudentWords(f.message, null),
    isNew: true,
    teacherId: f.teacherId,
    fixedAt: null,
    lateDays: lateDays(f.deadline, result.asOf),
    waived: null,
  }));
  const byRule = new Map<string, AuditRuleSummary>();
  for (const f of findings) {
    let s = byRule.get(f.rule);
    if (!s) {
      s = { rule: f.rule, title: f.ruleTitle, severity: f.severity, open: 0, new: 0, resolved: 0 };
      byRule.set(f.rule, s);
    }
    s.open++;
    s.new++;
  }
  return {
    ...base,
    evidence: {
      ...base.evidence,
      rules: result.rules.map((r) => ({
        rule: r.rule,
        title: ruleTitle(r.rule),
        evidence: getRule(r.rule)?.beforeFirstSync.ru ?? '',
      })),
    },
    run: {
      id: result.runId,
      asOf: result.asOf,
      precision: describePrecision(result.entryTimePrecision),
    },
    previous: null,
    findings,
    rules: [...byRule.values()].sort((a, b) => b.open - a.open || a.rule.localeCompare(b.rule)),
  };
}

function waiverOf(a: FindingActionRecord | undefined): AuditFinding['waived'] {
  return a?.action === 'waive' ? { reason: a.reason ?? '', by: a.actor, at: a.at } : null;
}
