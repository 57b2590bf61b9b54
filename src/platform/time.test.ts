import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { dayStart, formatLocal, localToInstant } from './time.js';

const viaLuxon = (local: string, zone: string) => DateTime.fromISO(local, { zone }).toMillis();

describe('localToInstant', () => {
  it('agrees with luxon for naive platform times in Russian zones, fractions included', () => {
    const cases = [
      '2026-10-05T09:00:00',
      '2026-10-05T23:59:59.123',
      '2026-01-01',
      '2026-03-01T00:00',
      '2024-02-29T12:30:00.5',
    ];
    for (const zone of [
      'Europe/Moscow',
      'Asia/Yekaterinburg',
      'Asia/Novosibirsk',
      'Europe/Kaliningrad',
      'UTC+3',
    ]) {
      for (const local of cases) {
        expect(localToInstant(local, zone), `${local} ${zone}`).toBe(viaLuxon(local, zone));
      }
    }
  });

  it('handles the days a DST zone switches (falls back to the full parser)', () => {
    for (const local of [
      '2026-03-29T01:30:00',
      '2026-03-29T03:30:00',
      '2026-10-25T02:30:00',
      '2026-10-25T12:00:00',
    ]) {
      expect(localToInstant(local, 'Europe/Berlin'), local).toBe(viaLuxon(local, 'Europe/Berlin'));
    }
  });

  it('rejects impossible dates and garbage', () => {
    expect(() => localToInstant('2026-02-30T10:00:00', 'Europe/Moscow')).toThrow(
      /invalid date-time/,
    );
    expect(() => localToInstant('yesterday', 'Europe/Moscow')).toThrow(/invalid date-time/);
  });

  it('gives local midnight for a lesson day', () => {
    expect(new Date(dayStart('2026-10-05', 'Europe/Moscow')).toISOString()).toBe(
      '2026-10-04T21:00:00.000Z',
    );
  });
});

describe('formatLocal', () => {
  it('writes the local date and time as luxon would, in zones with and without DST', () => {
    const zones = [
      'Europe/Moscow',
      'Asia/Yekaterinburg',
      'Europe/Kaliningrad',
      'Asia/Vladivostok',
      'Europe/Berlin',
    ];
    // Every 7 h 13 min over two years: all hours, both sides of DST switches, midnight.
    for (let t = Date.UTC(2025, 0, 1); t < Date.UTC(2027, 0, 1); t += 7 * 3_600_000 + 13 * 60_000) {
      for (const zone of zones) {
        const dt = DateTime.fromMillis(t, { zone });
        expect(formatLocal(t, zone)).toBe(dt.toFormat('dd.MM.yyyy HH:mm'));
        expect(formatLocal(t, zone, false)).toBe(dt.toFormat('dd.MM.yyyy'));
      }
    }
    expect(formatLocal(Date.UTC(2026, 9, 4, 21, 0), 'Europe/Moscow')).toBe('05.10.2026 00:00');
  });

  it("writes the platform's fixed-offset zones too (a school without a configured zone)", () => {
    // As `utcOffsetZone` (src/connectors/dnevnik/mappers/to-school.ts) writes the platform's hours.
    const zones = ['UTC+3', 'UTC+5:30', 'UTC-2', 'UTC', 'UTC+10'];
    for (let t = Date.UTC(2026, 0, 1); t < Date.UTC(2027, 0, 1); t += 7 * 3_600_000 + 13 * 60_000) {
      for (const zone of zones) {
        const dt = DateTime.fromMillis(t, { zone });
        expect(formatLocal(t, zone)).toBe(dt.toFormat('dd.MM.yyyy HH:mm'));
      }
    }
    expect(formatLocal(Date.UTC(2026, 9, 4, 21, 0), 'UTC+3')).toBe('05.10.2026 00:00');
    expect(() => formatLocal(0, 'Nowhere/Zone')).toThrow(/unknown time zone "Nowhere\/Zone"/);
  });
});
