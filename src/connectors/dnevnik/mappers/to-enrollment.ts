import type { EnrollmentRecord } from '../../records.js';

export function toEnrollment(
  classId: string,
  personId: string,
  status: EnrollmentRecord['status'],
): EnrollmentRecord {
  return { id: `${classId}:${personId}`, classId, personId, status };
}
