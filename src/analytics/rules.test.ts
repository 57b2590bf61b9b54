import { describe, expect, it } from 'vitest';
import { roundedMark } from './averages.js';
import { forecastMark, lessonsLeft, normOf } from './forecast.js';
import { placeChange, placeText, rankByAverage } from './rating.js';
import { DEFAULT_POLICY } from './scope.js';
import { weeksOf } from './weeks.js';

describe('rounding profiles (as final-mark-objectivity)', () => {
  it.each([
    [4.5, 'math', 5],
    [4.5, 'lyceum', 4],
    [4.65, 'lyceum', 5],
    [3.6, 'lyceum', 4],
    [3.6, 'strict', 3],
    [2.65, 'strict', 3],
    [2.49, 'math', 2],
  ] as const)('%s by %s → %s', (avg, profile, mark) => {
    expect(roundedMark(avg * 20, 20, profile)).toBe(mark);
  });
});

describe('competition ranking', () => {
  it('1, 2, 2, 4 on averages as shown; a shared place prints as a range', () => {
    const places = rankByAverage(
      new Map([
        ['a', 4.8],
        ['b', 4.504],
        ['c', 4.499],
        ['d', 4.1],
        ['e', null],
      ]),
    );
    expect([...places].map(([k, p]) => [k, p.place, placeText(p)])).toEqual([
      ['a', 1, '1'],
      ['b', 2, '2–3'],
      ['c', 2, '2–3'],
      ['d', 4, '4'],
    ]);
    expect(places.get('e')).toBeUndefined();
  });

  it('the change: places moved up; none without a place last week', () => {
    const p = (place: number) => ({ place, tied: 1, of: 5 });
    expect(placeChange(p(2), p(5))).toBe(3);
    expect(placeChange(p(4), p(1))).toBe(-3);
    expect(placeChange(p(1), undefined)).toBeNull();
  });
});

describe('weeks', () => {
  it('Monday to Sunday, clipped to the period', () => {
    expect(weeksOf('2026-09-01', '2026-09-16')).toEqual([
      { n: 1, start: '2026-09-01', end: '2026-09-06' },
      { n: 2, start: '2026-09-07', end: '2026-09-13' },
      { n: 3, start: '2026-09-14', end: '2026-09-16' },
    ]);
  });
});

describe('forecast', () => {
  const sums = (marks: number[]) => ({
    marks: marks.length,
    averaged: marks.length,
    plainSum: marks.reduce((a, b) => a + b, 0),
    weightedSum: marks.reduce((a, b) => a + b, 0),
    weightSum: marks.length,
  });

  it('lessons left: the schedule when there is one, else the pace so far', () => {
    expect(lessonsLeft({ held: 6, ahead: 4, daysElapsed: 20, days: 40 })).toEqual({
      left: 4,
      estimated: false,
    });
    expect(lessonsLeft({ held: 6, ahead: 0, daysElapsed: 20, days: 40 })).toEqual({
      left: 6,
      estimated: true,
    });
    expect(lessonsLeft({ held: 6, ahead: 0, daysElapsed: 40, days: 40 })).toEqual({
      left: 0,
      estimated: false,
    });
  });

  it('the norm by weekly hours, as mark-accumulation (byHours)', () => {
    const policy = { ...DEFAULT_POLICY.norm, mode: 'byHours' as const };
    expect(normOf(policy, 'quarter', 8, 56)).toBe(3); // 1 a week
    expect(normOf(policy, 'quarter', 16, 56)).toBe(5); // 2 a week
    expect(normOf(policy, 'quarter', 24, 56)).toBe(7); // 3 a week
    expect(normOf(DEFAULT_POLICY.norm, 'half_year', 0, 100)).toBe(5);
  });

  it('no marks and no lessons yet: nothing to say, no flag', () => {
    const f = forecastMark(
      sums([]),
      { held: 0, ahead: 0, daysElapsed: 1, days: 56 },
      'quarter',
      DEFAULT_POLICY,
    );
    expect([f.mark, f.risk]).toEqual([null, false]);
  });

  it('a good average but no marks lately at the end: «н/а» wins over the average', () => {
    const f = forecastMark(
      sums([5, 5]),
      { held: 8, ahead: 0, daysElapsed: 56, days: 56 },
      'quarter',
      DEFAULT_POLICY,
    );
    expect([f.mark, f.reason, f.average]).toEqual(['н/а', 'na', 5]);
  });

  it('slow marks early in the period are not judged yet', () => {
    const f = forecastMark(
      sums([4]),
      { held: 4, ahead: 0, daysElapsed: 10, days: 56 },
      'quarter',
      DEFAULT_POLICY,
    );
    expect([f.mark, f.risk]).toEqual([4, false]);
  });
});
