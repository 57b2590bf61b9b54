/**
 * What one Dnevnik connector remembers between the fetches of a window, so that a window's
 * attendance costs one call instead of one lessons call and one call per subject:
 * - the lessons (ids and subjects) the window's lessons fetch just read: the sync reads a window's
 *   lessons, then its marks, then its attendance (scope.ts), and attendance is asked for by the ids
 *   of those lessons; kept a short while and used once, so an attendance fetch never works from a
 *   lesson list older than that (a later or lone attendance fetch reads the lessons itself);
 * - the attendance entries of other classes that one call by lesson ids brought along: row 61
 *   takes any lessons, not one class's, so a call for one class's window is filled up with the
 *   lessons of other classes whose lessons of the same window were just read (`companions`), and
 *   their entries wait here for those classes' own attendance fetch (`takeStash`): a daytime run
 *   then asks attendance once per ~60 lessons of the school instead of once per class. A stash is
 *   used once, within `LESSON_MEMO_MS`, and only for exactly the lessons it was asked for;
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

/** Another class's window whose lessons were just read and whose attendance is not yet asked. */
export interface Companion {
  key: string;
  lessons: WindowLesson[];
}

interface Remembered {
  at: number;
  window: string;
  lessons: WindowLesson[];
}

interface Stashed {
  at: number;
  /** The lesson ids the entries were asked for (sorted, joined). */
  asked: string;
  /** The raw entries, once the call that carries them has answered; null if it failed. */
  entries: Promise<unknown[] | null>;
}

export class WindowState {
  /** False once the platform refused attendance by lesson ids. */
  attendanceByLessons: boolean;
  private readonly memo: boolean;
  private readonly lessons = new Map<string, Remembered>();
  private readonly stash = new Map<string, Stashed>();

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
    for (const [k, v] of this.stash) if (now - v.at > LESSON_MEMO_MS) this.stash.delete(k);
    this.lessons.set(key, { at: now, window: windowPart(key), lessons });
    // A window read again asks its attendance again: an older stash is not for these lessons.
    this.stash.delete(key);
  }

  /**
   * Other classes' windows with the same dates whose lessons are remembered and fresh (not
   * taken): their lessons may ride along in `key`'s attendance call. Oldest first.
   */
  companions(key: string): Companion[] {
    const now = this.now();
    const window = windowPart(key);
    const out: Companion[] = [];
    for (const [k, v] of this.lessons) {
      if (k === key || v.window !== window || now - v.at > LESSON_MEMO_MS) continue;
      if (v.lessons.length > 0 && !this.stash.has(k)) out.push({ key: k, lessons: v.lessons });
    }
    return out;
  }

  /**
   * Claims `key`'s `lessons` for a call being made for another class (so that no other call
   * takes them along too); the returned function hands over their raw entries, or null when the
   * call failed (the class then asks for itself).
   */
  claim(key: string, lessons: readonly WindowLesson[]): (entries: unknown[] | null) => void {
    let settle: (entries: unknown[] | null) => void = () => undefined;
    const entries = new Promise<unknown[] | null>((resolve) => (settle = resolve));
    this.stash.set(key, { at: this.now(), asked: askedOf(lessons), entries });
    return settle;
  }

  /**
   * The raw entries claimed for `key` (awaited: the call may still be on its way) if they were
   * asked for exactly these lessons within `LESSON_MEMO_MS`; forgotten once taken.
   */
  takeStash(key: string, lessons: readonly WindowLesson[]): Promise<unknown[] | null> | null {
    const entry = this.stash.get(key);
    this.stash.delete(key);
    if (!entry || this.now() - entry.at > LESSON_MEMO_MS) return null;
    return entry.asked === askedOf(lessons) ? entry.entries : null;
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

/** `from/to` of a window key (class ids hold no `/`). */
const windowPart = (key: string): string => key.slice(key.indexOf('/') + 1);

const askedOf = (lessons: readonly WindowLesson[]): string =>
  lessons
    .map((l) => l.id)
    .sort()
    .join(',');
