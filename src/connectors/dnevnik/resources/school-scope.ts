import { settleAll } from '../../_shared/settle-all.js';
import type { StreamName, StreamRecords } from '../../records.js';
import type { DnevnikClient } from '../client.js';
import type { FetchSink } from '../fetch-sink.js';
import { toClass } from '../mappers/to-class.js';
import { teacherToPerson } from '../mappers/to-person.js';
import { toSchool } from '../mappers/to-school.js';
import { toSubject } from '../mappers/to-subject.js';
import { toWorkType } from '../mappers/to-work-type.js';
import { eduGroupSchema } from '../schemas/edu-group.js';
import { schoolTeacherSchema } from '../schemas/school-teacher.js';
import { schoolSchema } from '../schemas/school.js';
import { subjectSchema } from '../schemas/subject.js';
import { workTypeSchema } from '../schemas/work-type.js';
import { paths } from './paths.js';

type Out = Partial<{ [K in StreamName]: StreamRecords[K][] }>;

/** School-level streams: one call each (`persons` here are the school's teachers). */
export async function fetchSchoolScope(
  client: DnevnikClient,
  schoolId: string,
  want: ReadonlySet<StreamName>,
  sink: FetchSink,
): Promise<Out> {
  const out: Out = {};
  const get = (path: string) => client.get(path, { stats: sink.stats });
  const jobs: Promise<void>[] = [];

  if (want.has('schools')) {
    jobs.push(
      get(paths.school(schoolId)).then((reply) => {
        const raw = sink.one('schools', schoolSchema, reply);
        out.schools = raw ? [toSchool(raw)] : [];
      }),
    );
  }
  if (want.has('classes')) {
    jobs.push(
      get(paths.schoolEduGroups(schoolId)).then((reply) => {
        out.classes = sink
          .list('classes', eduGroupSchema, reply, 'edu-groups')
          .map((g) => toClass(g, schoolId));
      }),
    );
  }
  if (want.has('subjects')) {
    jobs.push(
      get(paths.schoolSubjects(schoolId)).then((reply) => {
        out.subjects = sink
          .list('subjects', subjectSchema, reply, 'subjects')
          .map((s) => toSubject(s, schoolId));
      }),
    );
  }
  if (want.has('workTypes')) {
    jobs.push(
      get(paths.workTypes(schoolId)).then((reply) => {
        out.workTypes = sink
          .list('workTypes', workTypeSchema, reply, 'work-types')
          .map((w) => toWorkType(w, schoolId));
      }),
    );
  }
  if (want.has('persons')) {
    jobs.push(
      get(paths.schoolTeachers(schoolId)).then((reply) => {
        out.persons = sink
          .list('persons', schoolTeacherSchema, reply, 'teachers')
          .map((t) => teacherToPerson(t, schoolId));
      }),
    );
  }
  await settleAll(jobs);
  return out;
}
