import { settleAll } from '../../_shared/settle-all.js';
import type { EnrollmentRecord, PeriodType, StreamName, StreamRecords } from '../../records.js';
import { PlatformError } from '../../_shared/http-error.js';
import type { DnevnikClient } from '../client.js';
import type { FetchSink } from '../fetch-sink.js';
import { toEnrollment } from '../mappers/to-enrollment.js';
import { studentToPerson } from '../mappers/to-person.js';
import { toReportingPeriod } from '../mappers/to-reporting-period.js';
import { toClassTeacherAssignment } from '../mappers/to-teacher-assignment.js';
import type { PeriodIndex } from '../mappers/to-final-mark.js';
import { twin } from '../schemas/common.js';
import { personSchema, type RawPerson } from '../schemas/person.js';
import { reportingPeriodSchema } from '../schemas/reporting-period.js';
import { mapFinalMarks } from './final-marks.js';
import { paths } from './paths.js';

type Out = Partial<{ [K in StreamName]: StreamRecords[K][] }>;

/**
 * Class-level streams. Students and enrollments come from one call; the reporting periods are
 * also read when final marks are asked for, to place each final mark in its period.
 */
export async function fetchClassScope(
  client: DnevnikClient,
  scope: { schoolId: string; classId: string },
  want: ReadonlySet<StreamName>,
  sink: FetchSink,
): Promise<Out> {
  const out: Out = {};
  const { schoolId, classId } = scope;
  const get = (path: string, query?: Record<string, string>) =>
    client.get(path, { stats: sink.stats, query });
  const jobs: Promise<void>[] = [];

  if (want.has('persons') || want.has('enrollments')) {
    jobs.push(
      fetchMembers(get, classId, sink).then((members) => {
        if (want.has('persons')) out.persons = members.map((m) => studentToPerson(m.raw, schoolId));
        if (want.has('enrollments')) {
          out.enrollments = members.map((m) => toEnrollment(classId, m.id, m.status));
        }
      }),
    );
  }

  if (want.has('teacherAssignments')) {
    jobs.push(
      getOptional(get(paths.classTeacher(classId))).then((reply) => {
        const list = reply === null ? [] : Array.isArray(reply) ? reply : [reply];
        out.teacherAssignments = list
          .map((raw) => sink.one('teacherAssignments', personSchema, raw))
          .filter((p): p is RawPerson => p !== null)
          .map((p) => toClassTeacherAssignment(classId, twin(p.id_str, p.id) as string));
      }),
    );
  }

  if (want.has('reportingPeriods') || want.has('finalMarks')) {
    const periodsJob = get(paths.reportingPeriods(classId)).then((reply) =>
      sink
        .list('reportingPeriods', reportingPeriodSchema, reply, 'reporting-periods')
        .map((p) => toReportingPeriod(p, classId)),
    );
    jobs.push(
      periodsJob.then((periods) => {
        if (want.has('reportingPeriods')) out.reportingPeriods = periods;
      }),
    );
    if (want.has('finalMarks')) {
      jobs.push(
        Promise.all([get(paths.finalMarks(classId)), periodsJob]).then(([reply, periods]) => {
          out.finalMarks = mapFinalMarks(reply, classId, periodIndex(periods), sink);
        }),
      );
    }
  }

  await settleAll(jobs);
  return out;
}

interface Member {
  id: string;
  raw: RawPerson;
  status: EnrollmentRecord['status'];
}

/**
 * Members with their enrollment status. `includeArchive=true` lists current and former members.
 * When the platform marks each member (`membershipstatus: Active | Archive`), that is used;
 * otherwise the current members are listed again without `includeArchive`, and whoever appears
 * only in the first list is archived (one more call per class, not per student).
 */
async function fetchMembers(
  get: (path: string, query?: Record<string, string>) => Promise<unknown>,
  classId: string,
  sink: FetchSink,
): Promise<Member[]> {
  const all = sink.list(
    'persons',
    personSchema,
    await get(paths.groupPersons(classId), { includeArchive: 'true' }),
    'persons',
  );
  const statusOf = (p: RawPerson) => p.membershipstatus ?? p.membershipStatus ?? null;
  const toMember = (p: RawPerson, archived: boolean): Member => ({
    id: twin(p.id_str, p.id) as string,
    raw: p,
    status: archived ? 'archived' : 'active',
  });
  if (all.length === 0) return [];
  if (all.every((p) => statusOf(p) !== null)) {
    return all.map((p) => toMember(p, /^archiv/i.test(statusOf(p) ?? '')));
  }
  const current = await get(paths.groupPersons(classId));
  if (!Array.isArray(current)) {
    sink.quarantine('enrollments', 'persons without includeArchive: expected a list', current);
    sink.complete = false;
    return all.map((p) => toMember(p, false));
  }
  const active = new Set<string>();
  for (const raw of current) {
    if (raw && typeof raw === 'object') {
      const o = raw as Record<string, unknown>;
      const id = o.id_str ?? o.id;
      if (typeof id === 'string' || typeof id === 'number') active.add(String(id));
    }
  }
  return all.map((p) => toMember(p, !active.has(twin(p.id_str, p.id) as string)));
}

/** A class without a class teacher may be answered with "no such resource": that is an empty list. */
async function getOptional(call: Promise<unknown>): Promise<unknown> {
  try {
    return await call;
  } catch (err) {
    if (
      err instanceof PlatformError &&
      err.kind === 'permanent' &&
      (err.status === 404 ||
        err.type === 'apiResourceUnavailable' ||
        err.type === 'resourceUnavailable')
    ) {
      return null;
    }
    throw err;
  }
}

function periodIndex(periods: readonly StreamRecords['reportingPeriods'][]): PeriodIndex {
  const byId = new Map(periods.map((p) => [p.periodId, { type: p.type, number: p.number }]));
  const byKey = new Map(periods.map((p) => [`${p.type}:${p.number}`, p.periodId]));
  return {
    byId: (id) => byId.get(id) ?? null,
    idOf: (type: PeriodType, number: number) => byKey.get(`${type}:${number}`) ?? null,
  };
}
