import type { AttendanceRecord } from '../../records.js';
import { toEntryMoment } from '../dates.js';
import type { RawLogEntry } from '../schemas/log-entry.js';
import { twin } from '../schemas/common.js';

/** One student's entry for one lesson; the subject is the one the call asked for. */
export function toAttendance(
  raw: RawLogEntry,
  classId: string,
  subjectId: string | null,
  entryZone: string,
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
    createdAt: toEntryMoment(raw.createdDate, entryZone),
    comment: raw.comment || null,
  };
}
