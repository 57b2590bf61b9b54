/**
 * The accumulation norm (docs/rules.md, `mark-accumulation`): marks a student should have in a
 * period. One definition for the rule and the progress forecast (src/analytics), so that a
 * student's sheet warns by the same norm the deputy director's report applies.
 */

/** The norm by period type; null: no norm for that type (a year, an unknown type). */
export function flatNorm(
  periodType: string,
  norms: { quarter: number; halfYear: number },
): number | null {
  if (['quarter', 'trimester', 'module'].includes(periodType)) return norms.quarter;
  if (['half_year', 'semester'].includes(periodType)) return norms.halfYear;
  return null;
}

/**
 * The norm by weekly hours: round(lessons ÷ (days ÷ 7)) with halves up, compared without
 * division as `14·lessons ≥ (2h−1)·days`; 0 below half a lesson a week.
 */
export function hoursNorm(
  lessons: number,
  days: number,
  norms: { one: number; two: number; threeOrMore: number },
): number {
  if (14 * lessons >= 5 * days) return norms.threeOrMore;
  if (14 * lessons >= 3 * days) return norms.two;
  if (14 * lessons >= days) return norms.one;
  return 0;
}
