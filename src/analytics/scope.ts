import type { MirrorCoverage } from '../checks/data-time.js';
import type { SqlExecutor } from '../mirror/sql.js';

/**
 * What every analytics query reads by: one school, one instant `asOf`. Marks, lessons and
 * attendance count as they stood at `asOf` (the checks' existence rules, src/checks/existence.ts),
 * so last week's figures can be recomputed exactly as the class teacher saw them then.
 */
export interface AnalyticsScope {
  db: SqlExecutor;
  schoolId: string;
  /** The school's IANA zone (weeks and "today" are local to it). */
  zone: string;
  asOf: number;
  /** Absent: the mirror's own history is taken as covering `asOf` (a current view). */
  coverage?: MirrorCoverage;
}

/** How the school averages and rounds (the same settings as `final-mark-objectivity`). */
export interface GradingPolicy {
  profile: RoundingProfile;
  /** Weighted by the work types' weights (a missing weight counts 1), else a plain average. */
  weighted: boolean;
  /** The accumulation norm (`mark-accumulation`'s parameters, flat mode or by weekly hours). */
  norm: NormPolicy;
}

export type RoundingProfile = 'math' | 'lyceum' | 'strict';

export interface NormPolicy {
  mode: 'flat' | 'byHours';
  quarter: number;
  halfYear: number;
  byHours: { one: number; two: number; threeOrMore: number };
}

export const DEFAULT_POLICY: GradingPolicy = {
  profile: 'math',
  weighted: true,
  norm: { mode: 'flat', quarter: 3, halfYear: 5, byHours: { one: 3, two: 5, threeOrMore: 7 } },
};
