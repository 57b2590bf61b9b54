import { describe, expect, it } from 'vitest';
import {
  averageMark,
  countMark,
  denominator,
  emptyCounts,
  learningDegree,
  passRate,
  qualityRate,
  weightedAverage,
  type MarkCounts,
} from './metrics.js';

const counts = (c: Partial<MarkCounts>): MarkCounts => ({ ...emptyCounts(), ...c });

describe('period metrics (hand-computed)', () => {
  // 25 students: 5×«5», 8×«4», 7×«3», 2×«2», 1×«н/а», 2×«осв» → N = 23.
  const c = counts({ n5: 5, n4: 8, n3: 7, n2: 2, nNa: 1, nDismiss: 2 });

  it('counts н/а in N and leaves осв out', () => {
    expect(denominator(c)).toBe(23);
  });

  it('успеваемость = 20/23', () => {
    expect(passRate(c)).toBeCloseTo((20 / 23) * 100, 10); // 86.956…
    expect(passRate(c)!.toFixed(1)).toBe('87.0');
  });

  it('качество = 13/23', () => {
    expect(qualityRate(c)!.toFixed(1)).toBe('56.5');
  });

  it('СОУ uses 100/64/36/16 and 7 for н/а', () => {
    // 500 + 512 + 252 + 32 + 7 = 1303; 1303 / 23 = 56.652…
    expect(learningDegree(c)).toBeCloseTo(1303 / 23, 10);
    expect(learningDegree(c)!.toFixed(2)).toBe('56.65');
  });

  it('средний балл over numeric marks only', () => {
    // (25 + 32 + 21 + 4) / 22 = 82 / 22 = 3.727…
    expect(averageMark(c)!.toFixed(2)).toBe('3.73');
  });

  it('all exempt: no denominator, no percentages', () => {
    const e = counts({ nDismiss: 3 });
    expect(denominator(e)).toBe(0);
    expect(passRate(e)).toBeNull();
    expect(qualityRate(e)).toBeNull();
    expect(learningDegree(e)).toBeNull();
    expect(averageMark(e)).toBeNull();
  });

  it('only н/а: N = 1, СОУ = 7, успеваемость 0', () => {
    const na = counts({ nNa: 1 });
    expect(learningDegree(na)).toBe(7);
    expect(passRate(na)).toBe(0);
    expect(averageMark(na)).toBeNull();
  });

  it('maps platform values', () => {
    let k = emptyCounts();
    for (const v of ['5', '4', '4', 'н/а', 'осв', 'Осв.', 'зач']) k = countMark(k, v);
    expect(k).toEqual(counts({ n5: 1, n4: 2, nNa: 1, nDismiss: 2 }));
  });

  it('weighted average Σ(m·w)/Σw', () => {
    // 5·1.5 + 3·1 + 4·1.2 = 7.5 + 3 + 4.8 = 15.3; Σw = 3.7 → 4.135…
    expect(
      weightedAverage([
        { value: 5, weight: 1.5 },
        { value: 3, weight: null },
        { value: 4, weight: 1.2 },
      ]),
    ).toBeCloseTo(15.3 / 3.7, 10);
    expect(weightedAverage([])).toBeNull();
  });
});
