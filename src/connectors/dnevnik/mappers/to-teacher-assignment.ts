import type { TeacherAssignmentRecord } from '../../records.js';

/** The class teacher (классный руководитель): a class-wide role, so no subject. */
export function toClassTeacherAssignment(
  classId: string,
  teacherId: string,
): TeacherAssignmentRecord {
  return {
    id: `${classId}:class:${teacherId}:class_teacher`,
    classId,
    subjectId: null,
    teacherId,
    role: 'class_teacher',
  };
}
