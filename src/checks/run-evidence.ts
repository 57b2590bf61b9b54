import { instantToIso } from '../platform/time.js';
import {
  assessAsOf,
  historyBasis,
  type AsOfWarning,
  type HistoryBasis,
  type MirrorCoverage,
} from './data-time.js';
import type { CheckRunResult, CheckSchool } from './engine.js';
import { getRule } from './registry.js';
import type { RunKind } from './run-kind.js';
import type { FindingJson } from './finding.js';
import type { SchoolContext } from '../mirror/school-context.js';

/**
 * What a check run tells besides its findings: what the mirror could know as of its instant
 * (`evidence` in `ezh check --format json`), and what the engine needs of a school. The run itself
 * is the checks service's (src/app/checks-service.ts), which every door calls.
 */

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

/** What the checks engine needs of a school; reading `zone` refuses a school without one (exit 2). */
export function checkSchool(school: SchoolContext): CheckSchool {
  return {
    id: school.id,
    timeZone: school.zone,
    finalMarkDeadlines: school.finalMarkDeadlines,
    exemptions: school.exemptions,
  };
}

export function runEvidence(
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
