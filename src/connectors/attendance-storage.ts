/**
 * How a platform stores attendance: an entry for every student of a lesson, or only for the
 * exceptions (н, б, п, оп, late). Nobody has shown which Dnevnik does (reference §7); `ezh probe`
 * and `attendance-not-kept`'s `auto` both tell it from a sample of entries, by this one rule.
 */
export type AttendanceStorage = 'every-student' | 'exceptions-only';

/**
 * The storage a sample shows: every student where at least half the entries of at least 5
 * lessons say present; exceptions only where none of at least 20 entries over 5 lessons does;
 * else unknown. Shared by `ezh probe` and `attendance-not-kept`'s `auto`.
 */
export function attendanceStorageOf(
  lessons: number,
  entries: number,
  present: number,
): AttendanceStorage | 'unknown' {
  if (lessons < 5) return 'unknown';
  if (present * 2 >= entries && entries > 0) return 'every-student';
  if (present === 0 && entries >= 20) return 'exceptions-only';
  return 'unknown';
}
