import { assessAsOf, mirrorCoverage, type AsOfWarningCode } from '../../checks/data-time.js';
import { describePrecision } from '../../checks/precision.js';
import { latestFindingActions, type FindingActionRecord } from '../../checks/finding-actions.js';
import { getRule } from '../../checks/registry.js';
import { currentRunSql } from '../../checks/run-kind.js';
import type { SqlExecutor } from '../../mirror/sql.js';
import type { SchoolInfo } from './school.js';

/**
 * The compliance note's data: the school's latest finished current check run at or before as-of
 * (a what-if run is never the note's run), the run before it, and the findings open at that run (read from `check_runs` and `findings`).
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
}

export interface AuditData {
  school: SchoolInfo;
  asOf: number;
  evidence: AuditEvidence;
  run: AuditRun | null;
  previous: AuditRun | null;
  findings: AuditFinding[];
  rules: AuditRuleSummary[];
}

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
): Promise<AuditData> {
  const coverage = await mirrorCoverage(db, school.id);
  const evidence: AuditEvidence = {
    ...coverage,
    warnings: assessAsOf(asOf, coverage, now).map((w) => w.code),
  };
  const run = toRun((await db.query<RunRow>(RUN_SQL, [school.id, asOf]))[0]);
  if (!run) return { school, asOf, evidence, run: null, previous: null, findings: [], rules: [] };
  const previous = toRun((await db.query<RunRow>(PREVIOUS_SQL, [school.id, run.asOf]))[0]);

  // Open at the run: first seen by a run at or before it, not resolved by a run at or before it.
  const rows = await db.query<{
    key: string;
    rule: string;
    severity: string;
    date: string | null;
    message: string;
    first_run_id: string;
    teacher: string | null;
    class_name: string | null;
    subject: string | null;
    student: string | null;
  }>(
    `SELECT f.key, f.rule, f.severity, f.date, f.message, f.first_run_id,
       t.full_name AS teacher, c.name AS class_name, s.name AS subject, st.full_name AS student
     FROM findings f
     JOIN check_runs fr ON fr.id = f.first_run_id
     LEFT JOIN check_runs rr ON rr.id = f.resolved_run_id
     LEFT JOIN persons t ON t.id = f.teacher_id AND t.school_id = f.school_id
     LEFT JOIN persons st ON st.id = f.student_id AND st.school_id = f.school_id
     LEFT JOIN classes c ON c.id = f.class_id AND c.school_id = f.school_id
     LEFT JOIN subjects s ON s.id = f.subject_id AND s.school_id = f.school_id
     WHERE f.school_id = ? AND fr.as_of <= ? AND (f.resolved_run_id IS NULL OR rr.as_of > ?)
     ORDER BY t.full_name, f.date, c.name, f.rule, f.key`,
    [school.id, run.asOf, run.asOf],
  );
  const resolved = await db.query<{ rule: string; severity: string; n: number }>(
    `SELECT rule, max(severity) AS severity, count(*) AS n FROM findings
     WHERE school_id = ? AND resolved_run_id = ? GROUP BY rule`,
    [school.id, run.id],
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
    className: r.class_name,
    subject: r.subject,
    student: r.student,
    date: r.date,
    message: r.message,
    isNew: previous === null || r.first_run_id === run.id,
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
    s.open++;
    if (f.isNew) s.new++;
  }
  for (const r of resolved) summary(r.rule, r.severity).resolved += Number(r.n);
  const rules = [...byRule.values()].sort((a, b) => b.open - a.open || a.rule.localeCompare(b.rule));
  return { school, asOf, evidence, run, previous, findings, rules };
}

function waiverOf(a: FindingActionRecord | undefined): AuditFinding['waived'] {
  return a?.action === 'waive' ? { reason: a.reason ?? '', by: a.actor, at: a.at } : null;
}
