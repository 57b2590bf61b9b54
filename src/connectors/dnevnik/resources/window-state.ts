/**
 * What one Dnevnik connector remembers between the fetches of a window, so that a window's
 * attendance costs one call instead of one lessons call and one call per subject:
 * - the lessons (ids and subjects) the window's lessons fetch just read: the sync reads a window's
 *   lessons, then its marks, then its attendance (scope.ts), and attendance is asked for by the ids
 *   of those lessons; kept a short while and used once, so an attendance fetch never works from a
 *   lesson list older than that (a later or lone attendance fetch reads the lessons itself);
 * - whether the platform serves `lesson-log-entries?lessons=…` (reference §2.2 row 61, listed by
 *   one client only): the first refusal switches this connector to one call per subject (row 62).
 */

export interface WindowLesson {
  id: string;
  subjectId: string;
}

/** How long a window's lessons are trusted for its attendance fetch. */
export const LESSON_MEMO_MS = 120_000;

/**
 * `per-subject`: the connector as it was before (one call per subject, the lessons read again
 * for the attendance fetch), kept for benches that measure what the change saved.
 */
export type AttendanceCalls = 'by-lessons' | 'per-subject';

export class WindowState {
  /** False once the platform refused attendance by lesson ids. */
  attendanceByLessons: boolean;
  private readonly memo: boolean;
  private readonly lessons = new Map<string, { at: number; lessons: WindowLesson[] }>();

  constructor(
    calls: AttendanceCalls = 'by-lessons',
    private readonly now: () => number = Date.now,
  ) {
    this.attendanceByLessons = calls === 'by-lessons';
    this.memo = calls === 'by-lessons';
  }

  remember(key: string, lessons: WindowLesson[]): void {
    if (!this.memo) return;
    // One entry per window; stale entries of windows never asked for again are dropped here.
    const now = this.now();
    for (const [k, v] of this.lessons) if (now - v.at > LESSON_MEMO_MS) this.lessons.delete(k);
    this.lessons.set(key, { at: now, lessons });
  }

  /** The window's lessons if read within `LESSON_MEMO_MS`; forgotten once taken. */
  take(key: string): WindowLesson[] | null {
    const entry = this.lessons.get(key);
    this.lessons.delete(key);
    if (!entry || this.now() - entry.at > LESSON_MEMO_MS) return null;
    return entry.lessons;
  }
}

export const windowKey = (classId: string, from: string, to: string): string =>
  `${classId}/${from}/${to}`;
