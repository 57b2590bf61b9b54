import type { AppContext } from './context.js';
import { systemClock, type Clock } from '../platform/clock.js';
import { writePrivateFileAtomic } from '../platform/private-files.js';
import { UsageError } from '../platform/errors.js';
import { instantToIso, parseAsOf } from '../platform/time.js';
import { mirrorCoverage, presentOf } from '../checks/data-time.js';
import { runChecks, type CheckRunResult } from '../checks/engine.js';
import type { RunKind } from '../checks/run-kind.js';
import { toFindingJson } from '../checks/finding.js';
import { asOfInstant, loadSchoolContexts } from '../mirror/school-context.js';
import {
  checkSchool,
  runEvidence,
  type FindingsReport,
  type RunEvidence,
} from '../checks/run-evidence.js';

/**
 * The checks service: `ezh check`, the checks job and the demo all run checks through this one
 * call, so they agree on the as-of instant (clamped to the last successful sync), the school's
 * zone and what is stored.
 */

export interface CheckOptions {
  /**
   * The instant to check as of (epoch ms): the doors parse their text (`checksAsOf`), a job carries
   * the number. Default: the mirror's present, i.e. the clock's now, or the end of the school's
   * last successful sync when that is earlier (see data-time.ts); every door gets that clamp
   * here, the same way. Any other instant makes a what-if run (run-kind.ts).
   */
  asOf?: number;
  rules?: readonly string[];
  classes?: readonly string[];
  school?: string;
  /** Default: the system clock (the demo passes the sandbox's). */
  clock?: Clock;
  /** Write the JSON report here as well (the demo's `out/findings.json`). */
  outFile?: string;
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

/**
 * A door's `--as-of` text as the instant `runChecksForApp` takes: an ISO instant with an offset as
 * it is; a local date-time in the zone of the school checked (`--school`), or the zone all the
 * schools share (schools in different zones: exit 2, name one or give an offset). A value that is
 * no time at all is exit 2 saying so, whatever the schools. Undefined: undefined (the present).
 */
export async function checksAsOf(
  app: AppContext,
  text: string | undefined,
  school: string | undefined,
  clock: Clock = app.clock,
): Promise<number | undefined> {
  if (text === undefined) return undefined;
  try {
    parseAsOf(text, 'UTC', () => clock.now());
  } catch (err) {
    throw new UsageError('bad --as-of', [(err as Error).message]);
  }
  const contexts = await loadSchoolContexts((await app.mirror()).db, app.config);
  return asOfInstant(
    text,
    () => contexts.zoneFor(school),
    () => clock.now(),
  );
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
    const asOf = options.asOf ?? present;
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
