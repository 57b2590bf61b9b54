import { big, type BigId } from './json.js';
import type {
  AttendanceRow,
  ClassModel,
  FinalMarkRow,
  LessonRow,
  MarkRow,
  PeriodModel,
  PersonModel,
  SchoolModel,
  StudentModel,
  SubjectModel,
  SubgroupModel,
  TeacherModel,
  WorkRow,
} from './model.js';
import { naiveLocal } from './local-time.js';
import { hash32 } from './random.js';
import { shortName } from './names.js';
import { WORK_TYPES, workTypeById, type WorkTypeDef } from './work-types.js';

/**
 * Platform JSON shapes (docs: `shared/reference/dnevnik-api.md` §2.1). Int64 ids above 2^53 are
 * `BigId` (raw digits on the wire) with `*_str` twins; school, person, subject and work type ids
 * are plain numbers (they fit). Date-times are naive local `YYYY-MM-DDTHH:mm:ss`.
 */

type Json = Record<string, unknown>;

const num = (id: string): number => Number(id);

export function schoolShape(s: SchoolModel): Json {
  return {
    id: num(s.id),
    id_str: s.id,
    name: s.name,
    fullName: s.fullName,
    avatarSmall: null,
    city: s.city,
    municipality: s.municipality,
    regionId: 77 + s.index,
    markType: 'Mark5',
    timeZone: s.offsetHours,
    uses_avg: true,
    uses_weighted_avg: true,
    educationType: 'Regular',
    tsoRegionTreePath: null,
  };
}

export function subjectShape(s: SubjectModel): Json {
  return {
    id: num(s.id),
    id_str: s.id,
    name: s.name,
    knowledgeArea: s.knowledgeArea,
    fgosSubjectId: null,
  };
}

export function eduGroupShape(school: SchoolModel, c: ClassModel): Json {
  return {
    id: big(c.id),
    id_str: c.id,
    parentIds: [],
    parentIds_str: [],
    type: 'Group',
    name: c.name,
    fullName: `${c.name} класс`,
    parallel: c.grade,
    timetable: null,
    timetable_str: null,
    status: 'Active',
    studyyear: school.calendar.studyYear,
    educationType: 'Regular',
    subjects: c.subjects.map((cs) =>
      subjectShape(school.subjects.find((s) => s.id === cs.subjectId)!),
    ),
    journalType: 'Regular',
  };
}

/** A subgroup as `schools/{id}/edu-groups` lists it: type `Subgroup`, its class in `parentIds`. */
export function subgroupShape(school: SchoolModel, c: ClassModel, g: SubgroupModel): Json {
  return {
    id: big(g.id),
    id_str: g.id,
    parentIds: [big(c.id)],
    parentIds_str: [c.id],
    type: 'Subgroup',
    name: g.name,
    fullName: null,
    parallel: c.grade,
    timetable: null,
    timetable_str: null,
    status: 'Active',
    studyyear: school.calendar.studyYear,
    educationType: 'Regular',
    subjects: [subjectShape(school.subjects.find((s) => s.id === g.subjectId)!)],
    journalType: 'Regular',
  };
}

export function personShape(p: PersonModel): Json {
  return {
    id: num(p.id),
    id_str: p.id,
    userId: num(p.userId),
    userId_str: p.userId,
    firstName: p.firstName,
    lastName: p.lastName,
    middleName: p.middleName,
    shortName: shortName(p),
    sex: p.sex,
  };
}

/**
 * A student as `edu-groups/{g}/persons` lists them: like the real reply (J's `Person`, reference
 * §7), without `membershipstatus`; who has left is told by `includeArchive` alone.
 */
export function studentShape(s: StudentModel): Json {
  return personShape(s);
}

export function teacherShape(t: TeacherModel, school: SchoolModel): Json {
  return {
    Id: num(t.id),
    IdStr: t.id,
    UserId: num(t.userId),
    UserIdStr: t.userId,
    FirstName: t.firstName,
    LastName: t.lastName,
    MiddleName: t.middleName,
    ShortName: shortName(t),
    Sex: t.sex,
    DateBirth: `${t.birthday}T00:00:00`,
    Email: t.email,
    Subjects: t.subjectKeys.map((k) => school.subjects.find((s) => s.key === k)?.name).join(', '),
    HouseMaster: school.classes.some((c) => c.classTeacherId === t.id),
    Education: 'Высшее',
    ScientificDegree: null,
    StartDate: `${t.startDate}T00:00:00`,
    PedagogicalActivityDate: `${t.startDate}T00:00:00`,
    ManagingEmployee: false,
    NameManagingPosition: null,
    TeachingStaff: true,
    NameTeacherPosition: 'Учитель',
    TrainingAndSupportStaff: false,
    ServicePersonnel: false,
    MedicalWorker: false,
    NameMedicalPosition: null,
    ExternalPartTime: false,
  };
}

/**
 * `users/me`: the school's administrator (the token ezh syncs with), or a teacher who logged in
 * through the sandbox's OAuth page (`EduStaff` only, their own login and e-mail).
 */
export function userShape(p: PersonModel, school: SchoolModel, teacher = false): Json {
  return {
    id: num(p.userId),
    id_str: p.userId,
    personId: num(p.id),
    personId_str: p.id,
    name: `${p.firstName} ${p.lastName}`,
    email: teacher
      ? `teacher${p.id}@school${school.index + 1}.example`
      : `admin@school${school.index + 1}.example`,
    login: teacher ? `teacher.${p.id}` : `admin.${school.id}`,
    fullName: `${p.lastName} ${p.firstName} ${p.middleName}`,
    firstName: p.firstName,
    middleName: p.middleName,
    lastName: p.lastName,
    shortName: shortName(p),
    locale: 'ru-RU',
    timezone: `+${String(school.offsetHours).padStart(2, '0')}:00`,
    sex: p.sex,
    photoSmall: null,
    photoMedium: null,
    photoLarge: null,
    birthday: `${p.birthday}T00:00:00`,
    roles: teacher ? ['EduStaff'] : ['EduStaff', 'EduSchoolAdministrator'],
    phone: null,
  };
}

/** `number` is 0-based as on the platform; `name` carries the human number. */
export function periodShape(p: PeriodModel, studyYear: number): Json {
  return {
    id: big(p.id),
    id_str: p.id,
    start: `${p.start}T00:00:00`,
    finish: `${p.finish}T00:00:00`,
    number: p.number - 1,
    type: p.kind,
    name: p.name,
    year: studyYear,
  };
}

/**
 * Work types are defined once for the generator, but on the platform each school has its own:
 * the served id is offset per school (school 0 keeps the defined ids), as two schools of a
 * municipal installation must never share a work type.
 */
export function servedWorkTypeId(id: number, schoolIndex: number): number {
  return id + schoolIndex * 1000;
}

export function workTypeShape(w: WorkTypeDef, schoolId: string, schoolIndex: number): Json {
  const id = servedWorkTypeId(w.id, schoolIndex);
  return {
    id,
    id_str: String(id),
    schoolId: num(schoolId),
    kindId: w.kindId,
    kind: w.kind,
    title: w.title,
    abbr: w.abbr,
    weight: w.weight,
  };
}

/** The shape embedded in schedules and final marks (`abbreviation`, `name`, `isFinal`). */
export function workTypeShape2(w: WorkTypeDef, schoolId: string, schoolIndex: number): Json {
  return {
    id: servedWorkTypeId(w.id, schoolIndex),
    schoolId: num(schoolId),
    abbreviation: w.abbr,
    name: w.title,
    isFinal: w.isFinal,
    isImportant: w.isImportant,
    kindId: w.kindId,
    kind: w.kind,
  };
}

export function workShape(w: WorkRow, schoolIndex: number): Json {
  const lesson: BigId | null = w.lessonId ? big(w.lessonId) : null;
  return {
    id: big(w.id),
    id_str: w.id,
    type: w.type,
    workType: servedWorkTypeId(w.workTypeId, schoolIndex),
    markType: 'Mark5',
    markCount: 1,
    lesson,
    lesson_str: w.lessonId,
    displayInJournal: true,
    status: 'Sent',
    eduGroup: big(w.classId),
    eduGroup_str: w.classId,
    tasks: [],
    text: w.text,
    periodNumber: w.periodNumber === null ? null : w.periodNumber - 1,
    periodType: w.periodType,
    subjectId: num(w.subjectId),
    isImportant: workTypeById(w.workTypeId)?.isImportant ?? false,
    targetDate: w.targetDate,
    sentDate: w.sentDate,
    createdBy: num(w.createdBy),
    files: [],
    oneDriveLinks: [],
  };
}

export function lessonShape(
  l: LessonRow,
  subject: SubjectModel,
  works: WorkRow[],
  schoolIndex: number,
): Json {
  return {
    id: big(l.id),
    id_str: l.id,
    title: l.topic,
    date: l.startsAt,
    number: l.number,
    subject: subjectShape(subject),
    // A subgroup's lesson names the subgroup, also in its class's list (reference §7).
    group: big(l.groupId ?? l.classId),
    group_str: l.groupId ?? l.classId,
    status: 'Conducted',
    resultPlaceId: null,
    works: works.map((w) => workShape(w, schoolIndex)),
    teachers: [l.teacherId, ...(l.coTeacherIds ?? [])].map(num),
    teachers_str: [l.teacherId, ...(l.coTeacherIds ?? [])],
  };
}

const MOOD: Record<string, string> = {
  '5': 'Good',
  '4': 'Good',
  '3': 'Average',
  '2': 'Bad',
  '1': 'Bad',
};

export function markShape(
  m: MarkRow | FinalMarkRow,
  workTypeId: number,
  lessonId: string | null,
): Json {
  return {
    id: big(m.id),
    id_str: m.id,
    type: m.markSystem ?? 'mark5',
    value: m.value,
    textValue: textValueOf(m),
    person: num(m.studentId),
    person_str: m.studentId,
    work: big(m.workId),
    work_str: m.workId,
    lesson: lessonId ? big(lessonId) : null,
    lesson_str: lessonId,
    number: 'number' in m ? (m.number ?? 0) : 0,
    // A mark's `date` is when it was set, naive UTC with milliseconds (reference §7); a final
    // mark's is its own date as the platform shows it.
    date: 'countsInAverage' in m ? naiveLocal(m.appearAt, 0, true) : m.date,
    workType: workTypeId,
    mood: MOOD[m.value] ?? 'NotSet',
    use_avg_calc: 'countsInAverage' in m ? m.countsInAverage : false,
  };
}

/**
 * `textValue`: the mark as the journal shows it. Public clients parse «+»/«-» off it (reference
 * §7, A), so on a point scale it may differ from `value`: about one mark in twenty-five shows a
 * «-» (a «4-» is a 4). Other systems show their text («н/а», «осв», «зач»).
 */
function textValueOf(m: MarkRow | FinalMarkRow): string {
  const system = m.markSystem ?? 'mark5';
  if (system !== 'mark5' || !('countsInAverage' in m) || !/^[345]$/.test(m.value)) return m.value;
  return hash32(`text|${m.id}`) % 25 === 0 ? `${m.value}-` : m.value;
}

export function logEntryShape(a: AttendanceRow): Json {
  return {
    person: num(a.studentId),
    person_str: a.studentId,
    lesson: big(a.lessonId),
    lesson_str: a.lessonId,
    comment: a.comment,
    status: a.status,
    createdDate: a.createdDate,
  };
}

export const PERIOD_MARK_TYPE = WORK_TYPES.find((w) => w.kind === 'PeriodMark')!;
