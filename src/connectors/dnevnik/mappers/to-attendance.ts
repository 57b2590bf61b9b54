import type { AttendanceRecord } from '../../records.js';
import { toLocalDateTime } from '../dates.js';
import type { RawLogEntry } from '../schemas/log-entry.js';
import { twin } from '../schemas/common.js';

/** One student's entry for one lesson; the subject is the one the call asked for. */
export function toAttendance(
  raw: RawLogEntry,
  classId: string,
  subjectId: string | null,
): AttendanceRecord {
  const lessonId = twin(raw.lesson_str, raw.lesson) as string;
  const studentId = twin(raw.person_str, raw.person) as string;
  return {
    id: `${lessonId}:${studentId}`,
    lessonId,
    studentId,
    classId,
    subjectId,
    status: raw.status,
    createdAt: toLocalDateTime(raw.createdDate),
    comment: raw.comment || null,
  };
}
