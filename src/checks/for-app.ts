import type { AppContext } from '../app/context.js';
import { systemClock, type Clock } from '../platform/clock.js';
import { writePrivateFileAtomic } from '../platform/private-files.js';
import { UsageError } from '../platform/errors.js';
import { instantToIso, parseAsOf } from '../platform/time.js';
import {
  assessAsOf,
  historyBasis,
  mirrorCoverage,
  type HistoryBasis,
  presentOf,
  type AsOfWarning,
  type MirrorCoverage,
} from './data-time.js';
import { runChecks, type CheckRunResult, type CheckSchool } from './engine.js';
import { getRule } from './registry.js';
import type { RunKind } from './run-kind.js';
import { toFindingJson, type FindingJson } from './finding.js';
import { loadSchoolContexts, type SchoolContext } from '../mirror/school-context.js';

export interface CheckOptions {
  /**
   * `--as-of`: ISO instant or local date-time (read in each school's zone), or an instant (epoch
   * ms, what a job carries). Default: the mirror's present, i.e. the clock's now, or the end of
   * the school's last successful sync when that is earlier (see data-time.ts). Any other instant
   * makes a what-if run (run-kind.ts).
   */
  asOf?: string | number;
  rules?: readonly string[];
  classes?: readonly string[];
  school?: string;
  /** Default: the system clock (the demo passes the sandbox's). */
  clock?: Clock;
  /** Write the JSON report here as well (the demo's `out/findings.json`). */
  outFile?: string;
}

/** What the mirror could know for one school's run (`evidence` in `ezh check --format json`). */
export interface RunEvidence {
  school: string;
  asOf: string;
  /** `current`: kept the findings' history; `what-if`: stored apart, the history unchanged. */
  run: RunKind;
  /** When the mirror's first sync of the school started, and its last successful one finished. */
  firstSync: string | null;
  lastSync: string | null;
  /** What the mirror cannot know as of `asOf` (empty: nothing missing). */
  warnings: AsOfWarning[];
  /** What dated the journal's rows as of `asOf` (data-time.ts `HistoryBasis`). */
  history: HistoryBasis;
  /** With `history: platform`: what each rule run decided by (docs/rules.md); else empty. */
  rules: { rule: string; evidence: string }[];
}

/** `ezh check --format json`: one object. */
export interface FindingsReport {
  asOf: string;
  findings: FindingJson[];
  /** One per school checked. */
  evidence: RunEvidence[];
}

export interface AppCheckRun extends CheckRunResult {
  evidence: RunEvidence;
  /** The school's zone (SchoolContext): the table prints the instant in it. */
  zone: string;
}

export interface AppCheckResult {
  report: FindingsReport;
  runs: AppCheckRun[];
}

/** Runs the checks for every school of the app (or one), storing each run; used by `ezh check` and `ezh demo`. */
export async function runChecksForApp(
  app: AppContext,
  options: CheckOptions = {},
): Promise<AppCheckResult> {
  const clock = options.clock ?? systemClock;
  const mirror = await app.mirror();
  const contexts = await loadSchoolContexts(mirror.db, app.config);
  const schools = contexts.select(options.school).map(checkSchool);
  if (schools.length === 0) {
    throw new UsageError('no school to check', [
      'list it in schools[] (its id is enough) or run `ezh sync` first',
    ]);
  }
  const now = clock.now();
  const runs: AppCheckRun[] = [];
  for (const school of schools) {
    const coverage = await mirrorCoverage(mirror.db, school.id);
    const present = presentOf(coverage, now);
    const asOf =
      options.asOf === undefined
        ? present
        : typeof options.asOf === 'number'
          ? options.asOf
          : parseAsOf(options.asOf, school.timeZone, () => now);
    if (options.asOf === undefined && present < now) {
      app.logger.warn(
        {
          school: school.id,
          lastSync: instantToIso(present),
          hoursOld: Math.round((now - present) / 3_600_000),
        },
        'checking as of the last successful sync (the mirror knows nothing later); sync first, or pass --as-of',
      );
    }
    const kind: RunKind = asOf === present ? 'current' : 'what-if';
    const result = await runChecks(mirror.db, {
      school,
      asOf,
      rules: options.rules,
      classFilter: options.classes ?? null,
      config: app.config.checks,
      threads: app.config.checks.threads,
      clock,
      kind,
    });
    const evidence = runEvidence(school.id, result, coverage, now);
    for (const w of evidence.warnings) {
      app.logger.warn({ school: school.id, code: w.code }, w.message);
    }
    runs.push({ ...result, evidence, zone: school.timeZone });
  }
  const report: FindingsReport = {
    asOf: instantToIso(runs[0]!.asOf) ?? '',
    findings: runs.flatMap((r) => r.findings.map(toFindingJson)),
    evidence: runs.map((r) => r.evidence),
  };
  if (options.outFile) {
    // Findings name students and teachers: 0600.
    writePrivateFileAtomic(options.outFile, `${JSON.stringify(report, null, 2)}\n`);
  }
  return { report, runs };
}

/** What the checks engine needs of a school; reading `zone` refuses a school without one (exit 2). */
export function checkSchool(school: SchoolContext): CheckSchool {
  return {
    id: school.id,
    timeZone: school.zone,
    finalMarkDeadlines: school.finalMarkDeadlines,
    exemptions: school.exemptions,
  };
}

function runEvidence(
  school: string,
  run: CheckRunResult,
  coverage: MirrorCoverage,
  now: number,
): RunEvidence {
  const history = historyBasis(run.asOf, coverage);
  return {
    school,
    asOf: instantToIso(run.asOf) ?? '',
    run: run.kind,
    firstSync: instantToIso(coverage.firstSyncAt),
    lastSync: instantToIso(coverage.lastSyncedAt),
    warnings: assessAsOf(run.asOf, coverage, now),
    history,
    rules:
      history === 'platform'
        ? run.rules.map((r) => ({
            rule: r.rule,
            evidence: getRule(r.rule)?.beforeFirstSync.en ?? '',
          }))
        : [],
  };
}
