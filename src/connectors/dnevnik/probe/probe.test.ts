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

  async function probe(attendance: 'every-student' | 'exceptions-only', seed = 3, until?: string) {
    const sb = await startSandbox({ size: 'small', seed, attendance });
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
      today: until ?? instantToLocalDate(sb.now(), school.timeZone),
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
    // One call by lesson ids returns what the calls per subject return for those lessons.
    expect(r.attendanceByLessons.verdict).toBe('same');
    expect(r.attendanceByLessons.byLessons).toBeGreaterThan(0);
    expect(r.endpoints.every((e) => e.outcome === 'ok')).toBe(true);
    // Subgroups: listed with their class, and named from the lessons the classes returned.
    expect(r.groups).toEqual({ Group: 4, Subgroup: 6 });
    expect(r.subgroupLessons).toBeGreaterThan(0);
    expect(r.subgroups.every((g) => g.listed && g.lessons > 0)).toBe(true);
    expect(r.subgroups.map((g) => g.label)).toEqual(
      expect.arrayContaining(['5А / Английский язык, гр. 1', '5А / Английский язык, гр. 2']),
    );
    expect(r.recommended).toEqual({
      platform: { entryTimeZone: 'UTC' },
      checks: { rules: { 'attendance-not-kept': { storage: 'everyStudent' } } },
    });
  });

  it('tells the windows apart even when the first day asked has every mark set on its lesson day', async () => {
    // Seed 1 up to 06.11: the day asked first in 5А has only marks set that day (found by hand:
    // the probe said "unknown" when it asked one day only).
    const r = await probe('every-student', 1, '2026-11-06');
    expect(r.marks.window.verdict).toBe('lesson-date');
    expect(r.marks.window.lessonInWindow).toBe(r.marks.window.returned);
  });

  it('against a sandbox that keeps only exceptions, says so', async () => {
    const r = await probe('exceptions-only');
    expect(r.attendance.verdict).toBe('exceptions-only');
    expect(r.attendance.present).toBe(0);
    expect(r.recommended.checks?.rules['attendance-not-kept'].storage).toBe('exceptionsOnly');
  });
});

describe('probe verdicts', () => {
  const marks = (markDate: string, lessonStart: string) =>
    Array.from({ length: 20 }, () => ({ markDate, lessonStart }));

  it('takes the zone that puts no mark before its lesson, and no zone when Mark.date is the lesson', () => {
    // 06:30 read in Moscow is before a 09:00 lesson; read as UTC it is 09:30 there.
    expect(
      entryZoneVerdict(marks('2026-10-12T06:30:00', '2026-10-12T09:00:00'), 'Europe/Moscow')
        .verdict,
    ).toBe('UTC');
    // 14:00 read as UTC is 09:00 in New York, before a 13:00 lesson; read there it is after.
    expect(
      entryZoneVerdict(marks('2026-10-12T14:00:00', '2026-10-12T13:00:00'), 'America/New_York')
        .verdict,
    ).toBe('America/New_York');
    // Stamped in Moscow time, all after the lesson: read as UTC they are later still, so neither
    // reading misfires and the sample cannot tell.
    expect(
      entryZoneVerdict(marks('2026-10-12T10:30:00', '2026-10-12T09:00:00'), 'Europe/Moscow')
        .verdict,
    ).toBe('unknown');
    // A platform that sends the lesson's start as the mark's date tells no entry moment.
    expect(
      entryZoneVerdict(marks('2026-10-12T08:00:00', '2026-10-12T08:00:00'), 'Europe/Moscow'),
    ).toMatchObject({ verdict: 'unknown', sameAsLesson: 20 });
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
    expect(attendanceVerdict(5, Array<string>(20).fill('Absent')).verdict).toBe('exceptions-only');
    // An absence undone may leave a lone `Attend` on a platform that keeps only exceptions.
    const lone = [...Array<string>(30).fill('Absent'), 'Attend'];
    expect(attendanceVerdict(6, lone).verdict).toBe('unknown');
    const every = [...Array<string>(25).fill('Attend'), 'Ill', 'Absent'];
    expect(attendanceVerdict(5, every).verdict).toBe('every-student');
  });
});
