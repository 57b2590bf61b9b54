import { ROUNDING_PROFILES } from '../checks/rules/final-mark-objectivity.check.js';
import type { GradingPolicy, RoundingProfile } from './scope.js';

/**
 * Sums of a student's marks in one subject over some weeks. Sums add up, so a period's (or a
 * year's) figures are the sums of its weeks: the SQL groups by week once, the rest is addition.
 */
export interface MarkSums {
  /** Marks that grade the student (any scale, «н/а» and «осв» not): what the accumulation norm counts. */
  marks: number;
  /** Of them, five-point marks that count in the average. */
  averaged: number;
  plainSum: number;
  weightedSum: number;
  weightSum: number;
}

export const NO_MARKS: MarkSums = {
  marks: 0,
  averaged: 0,
  plainSum: 0,
  weightedSum: 0,
  weightSum: 0,
};

export function addSums(a: MarkSums, b: MarkSums): MarkSums {
  return {
    marks: a.marks + b.marks,
    averaged: a.averaged + b.averaged,
    plainSum: a.plainSum + b.plainSum,
    weightedSum: a.weightedSum + b.weightedSum,
    weightSum: a.weightSum + b.weightSum,
  };
}

/** Σ m / k; null without marks. */
export function plainAverage(s: MarkSums): number | null {
  return s.averaged > 0 ? s.plainSum / s.averaged : null;
}

/** Σ m·w / Σ w (compliance-rules §2.5); null without marks. */
export function weightedAverage(s: MarkSums): number | null {
  return s.averaged > 0 && s.weightSum > 0 ? s.weightedSum / s.weightSum : null;
}

/** The school's average: weighted or plain as its policy says. */
export function schoolAverage(s: MarkSums, policy: Pick<GradingPolicy, 'weighted'>): number | null {
  return policy.weighted ? weightedAverage(s) : plainAverage(s);
}

/**
 * The period mark an average gives under a rounding profile (compliance-rules §1.3), decided as
 * `final-mark-objectivity` decides it: `Σv·w ≥ t·Σw − 1e-9`, so both never disagree on a boundary.
 */
export function roundedMark(sum: number, weight: number, profile: RoundingProfile): 2 | 3 | 4 | 5 {
  const [t3, t4, t5] = ROUNDING_PROFILES[profile];
  const reaches = (t: number) => sum >= t * weight - 1e-9;
  return reaches(t5) ? 5 : reaches(t4) ? 4 : reaches(t3) ? 3 : 2;
}

/** The mark the school's own average gives; null without marks. */
export function markOf(s: MarkSums, policy: Pick<GradingPolicy, 'weighted' | 'profile'>) {
  if (s.averaged === 0) return null;
  return policy.weighted
    ? roundedMark(s.weightedSum, s.weightSum, policy.profile)
    : roundedMark(s.plainSum, s.averaged, policy.profile);
}

/** Averages as documents show them (and as ties are judged): two decimals. */
export function shown(avg: number | null): number | null {
  return avg === null ? null : Math.round(avg * 100 + 1e-9) / 100;
}
