import { DateTime } from 'luxon';
import { attendanceStorageOf, type AttendanceStorage } from '../../attendance-storage.js';

/**
 * What a sample of a school's journal says about how the platform behaves: pure functions over
 * what `ezh probe` read, each returning its verdict with the evidence behind it. "unknown" is an
 * answer: a sample too small or contradictory recommends nothing.
 */

/** One sampled mark with its lesson's start, both as the platform's naive text. */
export interface MarkSample {
  markDate: string;
  lessonStart: string;
}

export interface EntryZoneVerdict {
  verdict: string | 'unknown';
  sampled: number;
  /** Marks whose `date` equals their lesson's start (the platform would then tell no entry time). */
  sameAsLesson: number;
  /** Per reading: marks that would have been set more than 10 minutes before their lesson began. */
  beforeLesson: Record<string, number>;
  /** Median hours from the lesson's start to the mark, in the verdict's reading. */
  medianHoursAfterLesson: number | null;
}

const EARLY_MS = 10 * 60_000;

const at = (naive: string, zone: string): number =>
  DateTime.fromISO(naive.slice(0, 23), { zone }).toMillis();

/**
 * In which zone the platform stamps `Mark.date`. A mark is set after its lesson begins (rare
 * exceptions aside), so the right reading puts (nearly) no mark before its lesson: the reading
 * with clearly the fewest such marks wins (UTC first when the two zones agree).
 */
export function entryZoneVerdict(
  samples: readonly MarkSample[],
  schoolZone: string,
): EntryZoneVerdict {
  const zones = ['UTC', schoolZone];
  const beforeLesson: Record<string, number> = {};
  const usable = samples.filter((s) => s.markDate && s.lessonStart);
  const sameAsLesson = usable.filter(
    (s) => s.markDate.slice(0, 19) === s.lessonStart.slice(0, 19),
  ).length;
  for (const zone of zones) {
    beforeLesson[zone] = usable.filter(
      (s) => at(s.markDate, zone) < at(s.lessonStart, schoolZone) - EARLY_MS,
    ).length;
  }
  // A reading is ruled out when it puts a clear share of marks before their lesson began; the
  // other one is then the platform's. When neither misfires (a school ahead of UTC whose marks
  // are all entered hours after the lesson, or a school on UTC), the sample cannot tell.
  let verdict: string = 'unknown';
  const n = usable.length;
  const clear = Math.max(3, n * 0.05);
  const none = n * 0.01;
  if (n >= 10 && sameAsLesson < n / 2) {
    const [utc, local] = [beforeLesson.UTC!, beforeLesson[schoolZone]!];
    if (local >= clear && utc <= none) verdict = 'UTC';
    else if (utc >= clear && local <= none) verdict = schoolZone;
  }
  const zone = verdict === 'unknown' ? 'UTC' : verdict;
  const hours = usable
    .map((s) => (at(s.markDate, zone) - at(s.lessonStart, schoolZone)) / 3_600_000)
    .sort((a, b) => a - b);
  return {
    verdict,
    sampled: n,
    sameAsLesson,
    beforeLesson,
    medianHoursAfterLesson: hours.length > 0 ? round1(hours[Math.floor(hours.length / 2)]!) : null,
  };
}

export interface WindowVerdict {
  verdict: 'lesson-date' | 'mark-date' | 'unknown';
  /** Marks a one-day window returned. */
  returned: number;
  /** Of them, marks whose lesson is dated in the window. */
  lessonInWindow: number;
  /** Of them, marks whose own `date` falls in the window. */
  markDateInWindow: number;
}

/**
 * Whether the marks endpoint selects by the lesson's date or by the mark's own: a one-day window
 * is asked for, and each returned mark's lesson date and own date are compared with that day.
 */
export function windowVerdict(
  day: string,
  returned: readonly { markDate: string | null; lessonDate: string | null }[],
): WindowVerdict {
  const lessonInWindow = returned.filter((m) => m.lessonDate === day).length;
  const markDateInWindow = returned.filter((m) => m.markDate?.slice(0, 10) === day).length;
  const n = returned.length;
  let verdict: WindowVerdict['verdict'] = 'unknown';
  if (n > 0 && lessonInWindow === n && markDateInWindow < n) verdict = 'lesson-date';
  else if (n > 0 && markDateInWindow === n && lessonInWindow < n) verdict = 'mark-date';
  return { verdict, returned: n, lessonInWindow, markDateInWindow };
}

export interface AttendanceVerdict {
  verdict: AttendanceStorage | 'unknown';
  lessons: number;
  entries: number;
  /** Entries with status `Attend` (a student who was there). */
  present: number;
  statuses: Record<string, number>;
}

/**
 * Whether the platform keeps an entry for every student, or only for the exceptions, decided by
 * shares and never by one row: an absence undone may leave a lone `Attend` on a platform that
 * keeps exceptions, and a handful of absences say nothing. `entries` are the sampled entries'
 * statuses, `lessons` the number of distinct lessons they belong to.
 */
export function attendanceVerdict(lessons: number, statuses: readonly string[]): AttendanceVerdict {
  const counts: Record<string, number> = {};
  for (const s of statuses) counts[s] = (counts[s] ?? 0) + 1;
  const present = counts.Attend ?? 0;
  return {
    verdict: attendanceStorageOf(lessons, statuses.length, present),
    lessons,
    entries: statuses.length,
    present,
    statuses: counts,
  };
}

const round1 = (x: number): number => Math.round(x * 10) / 10;
