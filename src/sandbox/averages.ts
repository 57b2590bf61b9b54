/**
 * The period-mark arithmetic of docs/rules.md (`final-mark-objectivity`), shared by the generator
 * (period marks are generated equal to it) and the answer key (which checks them against it).
 */

export type RoundingProfile = 'math' | 'lyceum' | 'strict';

const BOUNDS: Record<RoundingProfile, [number, number, number]> = {
  math: [2.5, 3.5, 4.5],
  lyceum: [2.6, 3.6, 4.65],
  strict: [2.65, 3.65, 4.65],
};

export interface WeightedValue {
  value: number;
  weight: number;
}

/** The expected period mark; null when there is nothing to average. Compares without division. */
export function expectedMark(
  marks: readonly WeightedValue[],
  profile: RoundingProfile = 'math',
): string | null {
  if (marks.length === 0) return null;
  let sum = 0;
  let weights = 0;
  for (const m of marks) {
    sum += m.value * m.weight;
    weights += m.weight;
  }
  const [b3, b4, b5] = BOUNDS[profile];
  const reaches = (t: number): boolean => sum >= t * weights - 1e-9;
  if (reaches(b5)) return '5';
  if (reaches(b4)) return '4';
  if (reaches(b3)) return '3';
  return '2';
}

export function isNumericMark(value: string): boolean {
  return /^[1-5]$/.test(value);
}

/** `mark-accumulation` flat norms. */
export function accumulationNorm(periodKind: 'Quarter' | 'HalfYear'): number {
  return periodKind === 'HalfYear' ? 5 : 3;
}
