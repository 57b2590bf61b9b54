import { describe, expect, it } from 'vitest';
import { progressInstant } from './progress-instant.js';

const zone = 'Europe/Moscow';
const now = () => Date.parse('2026-11-10T04:00:00Z');
const iso = (ms: number) => new Date(ms).toISOString();

describe('progressInstant: the instant a weekly sheet or an extract is computed at', () => {
  it('a past week: as the journal stood at its end, Sunday 23:59:59.999 school time', () => {
    expect(iso(progressInstant(undefined, '2026-10-21', zone, now))).toBe(
      '2026-10-25T20:59:59.999Z',
    );
  });

  it('the current week: now (or --as-of), not its Sunday ahead', () => {
    expect(progressInstant(undefined, '2026-11-10', zone, now)).toBe(now());
    expect(iso(progressInstant('2026-11-09T12:00:00', '2026-11-12', zone, now))).toBe(
      '2026-11-09T09:00:00.000Z',
    );
  });

  it('refuses a malformed week and an --as-of before the week', () => {
    expect(() => progressInstant(undefined, '21.10.2026', zone, now)).toThrow(/invalid --week/);
    expect(() => progressInstant('2026-10-01T12:00:00', '2026-10-21', zone, now)).toThrow(
      /before the week/,
    );
    expect(() => progressInstant('вчера', undefined, zone, now)).toThrow(/invalid --as-of/);
  });
});
