/**
 * The API paths a sync uses (reference §2.2), relative to the API root. Dates are `YYYY-MM-DD`,
 * which every source agrees is accepted; windows are inclusive local dates.
 */
const seg = (id: string): string => encodeURIComponent(id);

export const paths = {
  me: () => 'users/me',
  school: (school: string) => `schools/${seg(school)}`,
  schoolEduGroups: (school: string) => `schools/${seg(school)}/edu-groups`,
  schoolTeachers: (school: string) => `schools/${seg(school)}/teachers`,
  schoolSubjects: (school: string) => `schools/${seg(school)}/subjects`,
  workTypes: (school: string) => `work-types/${seg(school)}`,
  groupPersons: (group: string) => `edu-groups/${seg(group)}/persons`,
  classTeacher: (group: string) => `edu-groups/${seg(group)}/classteacher`,
  reportingPeriods: (group: string) => `edu-groups/${seg(group)}/reporting-periods`,
  finalMarks: (group: string) => `edu-groups/${seg(group)}/final-marks`,
  lessons: (group: string, from: string, to: string) =>
    `edu-groups/${seg(group)}/lessons/${seg(from)}/${seg(to)}`,
  marks: (group: string, from: string, to: string) =>
    `edu-groups/${seg(group)}/marks/${seg(from)}/${seg(to)}`,
  groupLogEntries: (group: string) => `lesson-log-entries/group/${seg(group)}`,
  /** Attendance of several lessons (row 61): the query's `lessons` repeated, one per lesson id. */
  lessonsLogEntries: () => 'lesson-log-entries',
  authorizations: () => 'authorizations',
};
