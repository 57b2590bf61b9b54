import type { App } from '../cli/app.js';
import { systemClock, type Clock } from '../platform/clock.js';
import { writePrivateFileAtomic } from '../platform/private-files.js';
import { instantToIso, parseAsOf } from '../platform/time.js';
import { lastSyncedAt } from './data-time.js';
import { runChecks, type CheckRunResult } from './engine.js';
import { toFindingJson, type FindingJson } from './finding.js';
import { schoolsToCheck } from './schools.js';

export interface CheckOptions {
  /**
   * `--as-of`: ISO instant or local date-time (read in each school's zone). Default: the clock's
   * now, or the end of the school's last successful sync when that is earlier (see data-time.ts).
   */
  asOf?: string;
  rules?: readonly string[];
  classes?: readonly string[];
  school?: string;
  /** Default: the system clock (the demo passes the sandbox's). */
  clock?: Clock;
  /** Write the JSON report here as well (the demo's `out/findings.json`). */
  outFile?: string;
}

/** `ezh check --format json`: one object. */
export interface FindingsReport {
  asOf: string;
  findings: FindingJson[];
}

export interface AppCheckResult {
  report: FindingsReport;
  runs: CheckRunResult[];
}

/** Runs the checks for every school of the app (or one), storing each run; used by `ezh check` and `ezh demo`. */
export async function runChecksForApp(
  app: App,
  options: CheckOptions = {},
): Promise<AppCheckResult> {
  const clock = options.clock ?? systemClock;
  const mirror = await app.mirror();
  const schools = await schoolsToCheck(mirror.db, app.config.schools, options.school);
  const now = clock.now();
  const runs: CheckRunResult[] = [];
  for (const school of schools) {
    let asOf = parseAsOf(options.asOf, school.timeZone, () => now);
    if (options.asOf === undefined) {
      const synced = await lastSyncedAt(mirror.db, school.id);
      if (synced !== null && synced < asOf) {
        app.logger.warn(
          {
            school: school.id,
            lastSync: instantToIso(synced),
            hoursOld: Math.round((asOf - synced) / 3_600_000),
          },
          'checking as of the last successful sync (the mirror knows nothing later); sync first, or pass --as-of',
        );
        asOf = synced;
      }
    }
    runs.push(
      await runChecks(mirror.db, {
        school,
        asOf,
        rules: options.rules,
        classFilter: options.classes ?? null,
        config: app.config.checks,
        threads: app.config.checks.threads,
        clock,
      }),
    );
  }
  const asOf = runs[0]?.asOf ?? parseAsOf(options.asOf, 'Europe/Moscow', () => now);
  const report: FindingsReport = {
    asOf: instantToIso(asOf) ?? '',
    findings: runs.flatMap((r) => r.findings.map(toFindingJson)),
  };
  if (options.outFile) {
    // Findings name students and teachers: 0600.
    writePrivateFileAtomic(options.outFile, `${JSON.stringify(report, null, 2)}\n`);
  }
  return { report, runs };
}
