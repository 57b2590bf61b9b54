import { afterAll, describe, expect, it } from 'vitest';
import { RateLimiterRegistry } from '../../_shared/rate-limiter.js';
import { startSandbox, type SandboxServer } from '../../../sandbox/index.js';
import { instantToLocalDate } from '../../../platform/time.js';
import { createDnevnikClient } from '../dnevnik.connector.js';
import { probeDnevnik } from './probe.js';
import { attendanceVerdict, entryZoneVerdict, windowVerdict } from './verdicts.js';

/** `ezh probe` against the sandbox, which models the platform as reference §7 describes it. */
describe('probe of a Dnevnik school', () => {
  const sandboxes: SandboxServer[] = [];
  afterAll(async () => {
    for (const sb of sandboxes) await sb.close();
  });

  async function probe(attendance: 'every-student' | 'exceptions-only') {
    const sb = await startSandbox({ size: 'small', seed: 3, attendance });
    sandboxes.push(sb);
    const school = sb.schools[0]!;
    const client = createDnevnikClient(
      {
        baseUrl: sb.url,
        token: school.token,
        requestsPerSecond: 100,
        concurrency: 4,
        timeoutMs: 10_000,
        maxRetries: 2,
      },
      { limiters: new RateLimiterRegistry() },
    );
    return probeDnevnik(client, {
      schoolId: school.id,
      zone: school.timeZone,
      today: instantToLocalDate(sb.now(), school.timeZone),
      classes: 3,
      weeks: 3,
    });
  }

  it('names the modelled behaviour: UTC entry moments, windows by lesson date, every student', async () => {
    const r = await probe('every-student');
    expect(r.marks.entryZone.verdict).toBe('UTC');
    expect(r.marks.entryZone.sampled).toBeGreaterThan(100);
    expect(r.marks.window.verdict).toBe('lesson-date');
    expect(r.attendance.verdict).toBe('every-student');
    expect(r.endpoints.every((e) => e.outcome === 'ok')).toBe(true);
    expect(r.recommended).toEqual({
      platform: { entryTimeZone: 'UTC' },
      checks: { rules: { 'attendance-not-kept': { storage: 'everyStudent' } } },
    });
  });

  it('against a sandbox that keeps only exceptions, says so', async () => {
    const r = await probe('exceptions-only');
    expect(r.attendance.verdict).toBe('exceptions-only');
    expect(r.attendance.present).toBe(0);
    expect(r.recommended.checks?.rules['attendance-not-kept'].storage).toBe('exceptionsOnly');
  });
});

describe('probe verdicts', () => {
  const lessonStart = '2026-10-12T09:00:00';
  it('reads entry moments in the school zone when that puts no mark before its lesson', () => {
    // Stamped in Moscow time, 10:30 local: read as UTC they would be 13:30 local, still after
    // the lesson; stamped 09:20 local, read as UTC they are 12:20: after. Both fit: UTC wins
    // unless the school reading alone fits.
    const local = Array.from({ length: 20 }, () => ({
      markDate: '2026-10-12T06:30:00',
      lessonStart,
    }));
    // 06:30 read in Moscow is before a 09:00 lesson; read as UTC it is 09:30 local.
    expect(entryZoneVerdict(local, 'Europe/Moscow').verdict).toBe('UTC');
    const moscow = Array.from({ length: 20 }, () => ({
      markDate: '2026-10-12T23:30:00',
      lessonStart: '2026-10-13T00:10:00',
    }));
    // 23:30 read as UTC is 02:30 on the 13th local (after); in Moscow it is before the lesson.
    expect(entryZoneVerdict(moscow, 'Europe/Moscow').verdict).toBe('UTC');
    const stampedLocal = Array.from({ length: 20 }, () => ({
      markDate: '2026-10-12T10:30:00',
      lessonStart: '2026-10-12T12:00:00',
    }));
    // 10:30 UTC is 13:30 local, after a 12:00 lesson; as local it is before: UTC again. A
    // sample where only the school reading fits:
    expect(entryZoneVerdict(stampedLocal, 'Europe/Moscow').verdict).toBe('UTC');
    const onlyLocal = Array.from({ length: 20 }, () => ({
      markDate: '2026-10-12T08:00:00',
      lessonStart: '2026-10-12T08:00:00',
    }));
    expect(entryZoneVerdict(onlyLocal, 'Europe/Moscow')).toMatchObject({
      verdict: 'unknown',
      sameAsLesson: 20,
    });
    const earlyAsUtc = Array.from({ length: 20 }, () => ({
      markDate: '2026-10-12T14:00:00',
      lessonStart: '2026-10-12T13:00:00',
    }));
    // 14:00 read as UTC of a school at UTC−5 is 09:00 local, before a 13:00 lesson.
    expect(entryZoneVerdict(earlyAsUtc, 'America/New_York').verdict).toBe('America/New_York');
  });

  it('tells windows by the mark date and unknown attendance apart', () => {
    expect(
      windowVerdict('2026-10-12', [
        { markDate: '2026-10-12T10:00:00', lessonDate: '2026-10-09' },
        { markDate: '2026-10-12T11:00:00', lessonDate: '2026-10-12' },
      ]).verdict,
    ).toBe('mark-date');
    expect(windowVerdict('2026-10-12', []).verdict).toBe('unknown');
    expect(attendanceVerdict(2, ['Absent']).verdict).toBe('unknown');
    expect(attendanceVerdict(10, ['Absent', 'Ill']).verdict).toBe('exceptions-only');
  });
});
