import { flatNorm, hoursNorm } from '../checks/accumulation-norm.js';
import { markOf, schoolAverage, type MarkSums } from './averages.js';
import type { GradingPolicy, NormPolicy } from './scope.js';

/**
 * The period mark a student is heading for, kept simple so a class teacher can check it by hand:
 * the school's own average of the marks so far, rounded by the school's profile, exactly as
 * `final-mark-objectivity` expects the period mark to be. «н/а» when the marks cannot reach the
 * accumulation norm (`mark-accumulation`) at the pace they have come so far. Nothing more clever:
 * the backtest (bench/progress-forecast.bench.ts) measures what this is worth.
 */
export type ForecastMark = 2 | 3 | 4 | 5 | 'н/а';

/**
 * `two`: the average gives «2»; `na`: even a mark at every lesson left cannot reach the norm;
 * `slow`: at the pace so far the norm is not reached (judged from a quarter of the period on).
 */
export type RiskReason = 'two' | 'na' | 'slow';

export interface Forecast {
  /** null: no marks yet and the norm still reachable (nothing to say). */
  mark: ForecastMark | null;
  /** The school's average so far (null without marks). */
  average: number | null;
  /** The mark that average gives by the profile, whatever the norm says. */
  byAverage: 2 | 3 | 4 | 5 | null;
  /** A forecast «2» or «н/а», or marks coming too slowly to reach the norm (`reason`). */
  risk: boolean;
  reason: RiskReason | null;
  marks: number;
  norm: number | null;
  /** Marks expected by the period's end at the student's pace so far (rounded down). */
  expectedMarks: number;
  lessonsHeld: number;
  lessonsLeft: number;
  /** The lessons left are estimated from the pace so far (the mirror holds no schedule ahead). */
  lessonsEstimated: boolean;
}

export interface PeriodLessons {
  held: number;
  /** Scheduled after today, in the mirror. */
  ahead: number;
  /** Days of the period elapsed (today included) and in all. */
  daysElapsed: number;
  days: number;
}

/** Lessons left in the period: the schedule when the mirror holds one, else the pace so far. */
export function lessonsLeft(l: PeriodLessons): { left: number; estimated: boolean } {
  if (l.ahead > 0 || l.daysElapsed >= l.days) return { left: l.ahead, estimated: false };
  if (l.daysElapsed <= 0 || l.held === 0) return { left: 0, estimated: true };
  return {
    left: Math.round((l.held * (l.days - l.daysElapsed)) / l.daysElapsed),
    estimated: true,
  };
}

/** The accumulation norm of `mark-accumulation`: by period type, or by weekly hours. */
export function normOf(policy: NormPolicy, periodType: string, lessons: number, days: number) {
  return policy.mode === 'flat'
    ? flatNorm(periodType, policy)
    : hoursNorm(lessons, days, policy.byHours);
}

export function forecastMark(
  sums: MarkSums,
  lessons: PeriodLessons,
  periodType: string,
  policy: GradingPolicy,
): Forecast {
  const { left, estimated } = lessonsLeft(lessons);
  const norm = normOf(policy.norm, periodType, lessons.held + left, lessons.days);
  // The student's pace: marks per lesson held so far (at most one a lesson counts towards it).
  const pace = lessons.held > 0 ? Math.min(1, sums.marks / lessons.held) : 0;
  const expectedMarks = sums.marks + Math.floor(pace * left + 1e-9);
  const average = schoolAverage(sums, policy);
  const byAverage = markOf(sums, policy);
  let mark: ForecastMark | null = byAverage;
  let reason: RiskReason | null = mark === 2 ? 'two' : null;
  if (norm !== null && lessons.held > 0 && sums.marks + left < norm) {
    // Too few marks for the lessons left, even with a mark at each: «н/а».
    mark = 'н/а';
    reason = 'na';
  } else if (
    norm !== null &&
    reason === null &&
    expectedMarks < norm &&
    lessons.daysElapsed * 4 >= lessons.days
  ) {
    reason = 'slow';
  }
  return {
    mark,
    average,
    byAverage,
    risk: reason !== null,
    reason,
    marks: sums.marks,
    norm,
    expectedMarks,
    lessonsHeld: lessons.held,
    lessonsLeft: left,
    lessonsEstimated: estimated,
  };
}
