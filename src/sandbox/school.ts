import { CALENDARS, periodsForGrade, type PeriodDef } from './calendar.js';
import { SUBJECTS, weeklyPlan } from './curriculum.js';
import { bigId, personId, userIdOf } from './ids.js';
import { dayNo, localInstant } from './local-time.js';
import type {
  ClassModel,
  ClassSubject,
  PeriodModel,
  PersonModel,
  SchoolModel,
  StudentModel,
  SubgroupModel,
  TeacherModel,
} from './model.js';
import { randomName } from './names.js';
import { hash32, rngFor, type Rng } from './random.js';

/**
 * The school skeleton: classes, students, teachers, subjects, timetables and periods. It is small
 * (a few thousand objects even for `large`) and built eagerly; the journal of each class is built
 * lazily from it (`journal.ts`).
 */

export type SandboxSize = 'small' | 'large';

export const ZONES: readonly {
  zone: string;
  offsetHours: number;
  city: string;
  municipality: string;
}[] = [
  { zone: 'Europe/Moscow', offsetHours: 3, city: 'Москва', municipality: 'Городской округ Москва' },
  {
    zone: 'Asia/Yekaterinburg',
    offsetHours: 5,
    city: 'Екатеринбург',
    municipality: 'Городской округ Екатеринбург',
  },
  {
    zone: 'Asia/Novosibirsk',
    offsetHours: 7,
    city: 'Новосибирск',
    municipality: 'Городской округ Новосибирск',
  },
  { zone: 'Europe/Samara', offsetHours: 4, city: 'Самара', municipality: 'Городской округ Самара' },
  { zone: 'Asia/Omsk', offsetHours: 6, city: 'Омск', municipality: 'Городской округ Омск' },
];

const LETTERS = ['А', 'Б', 'В', 'Г', 'Д'];

/** Classes per grade: `small` has a 1st grade, two quarter classes and a half-year class. */
function classPlan(size: SandboxSize): [number, string][] {
  if (size === 'small') {
    return [
      [1, 'А'],
      [2, 'А'],
      [5, 'А'],
      [10, 'А'],
    ];
  }
  const perGrade = [0, 5, 5, 5, 5, 4, 4, 4, 4, 4, 4, 4];
  const plan: [number, string][] = [];
  for (let grade = 1; grade <= 11; grade++) {
    for (let i = 0; i < (perGrade[grade] ?? 0); i++) plan.push([grade, LETTERS[i] as string]);
  }
  return plan;
}

/** Teacher specialities: one teacher teaches all subjects of a speciality in a class. */
const SPECIALITY: Record<string, string> = {
  rus: 'rus',
  lit: 'rus',
  proj: 'rus',
  read: 'primary',
  world: 'primary',
  math: 'math',
  alg: 'math',
  geom: 'math',
  prob: 'math',
  inf: 'phys',
  phys: 'phys',
  eng: 'eng',
  hist: 'hist',
  soc: 'hist',
  odnk: 'hist',
  orkse: 'primary',
  geo: 'geo',
  bio: 'bio',
  chem: 'bio',
  art: 'art',
  music: 'music',
  tech: 'tech',
  pe: 'pe',
  obzr: 'pe',
};
const PRIMARY_KEYS = new Set(['rus', 'read', 'math', 'world', 'art', 'tech', 'orkse']);
const MAX_LOAD = 26;

export function schoolSalt(school: { seed: string; index: number }): number {
  return hash32(`${school.seed}|salt|${school.index}`) % 1000;
}

export function buildSchool(opts: {
  size: SandboxSize;
  seed: string;
  index: number;
  /** The sandbox start, local date-time in the first school's zone; the calendar's by default. */
  startLocal?: string;
}): SchoolModel {
  const { size, seed, index } = opts;
  const rng = rngFor(seed, 'school', index);
  const cal = CALENDARS[size];
  const zone = ZONES[index % ZONES.length]!;
  const salt = hash32(`${seed}|salt|${index}`) % 1000;
  const number = 10 + (hash32(`${seed}|number|${index}`) % 190);
  const id = String(
    1_000_002_000_000 + index * 1_000_000 + (hash32(`${seed}|id|${index}`) % 900_000),
  );
  let personCounter = 0;
  const newPerson = (r: Rng, sex?: 'Male' | 'Female', birthYear = 1975): PersonModel => {
    const name = randomName(r, sex);
    const pid = personId(index, ++personCounter);
    const month = r.int(1, 12);
    const day = r.int(1, 28);
    return {
      id: pid,
      userId: userIdOf(pid),
      ...name,
      birthday: `${birthYear}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`,
    };
  };

  const teachers: TeacherModel[] = [];
  const newTeacher = (speciality: string): TeacherModel => {
    const p = newPerson(rng, rng.chance(0.8) ? 'Female' : 'Male', rng.int(1962, 1998));
    const t: TeacherModel = {
      ...p,
      subjectKeys: [],
      startDate: `${rng.int(1990, 2023)}-08-${String(rng.int(15, 31)).padStart(2, '0')}`,
      email: `teacher${p.id.slice(-5)}@school${number}.example`,
    };
    teachers.push(t);
    specialityOf.set(t.id, speciality);
    return t;
  };
  const specialityOf = new Map<string, string>();
  const load = new Map<string, number>();
  const pools = new Map<string, TeacherModel[]>();
  const teacherFor = (speciality: string, hours: number): TeacherModel => {
    const pool = pools.get(speciality) ?? [];
    pools.set(speciality, pool);
    let t = pool.find((c) => (load.get(c.id) ?? 0) + hours <= MAX_LOAD);
    if (!t) {
      t = newTeacher(speciality);
      pool.push(t);
    }
    load.set(t.id, (load.get(t.id) ?? 0) + hours);
    return t;
  };

  const admin = newPerson(rng, 'Female', 1970);
  const usedSubjects = new Set<string>();
  const periodIds = new Map<string, string>();
  const periodOf = (p: PeriodDef): PeriodModel => {
    const key = `${p.kind}:${p.number}`;
    let pid = periodIds.get(key);
    if (!pid) {
      pid = bigId('period', salt, 0, periodIds.size + 1);
      periodIds.set(key, pid);
    }
    return { id: pid, ...p, startDay: dayNo(p.start), finishDay: dayNo(p.finish) };
  };
  const classTeachers = new Set<string>();

  const classes: ClassModel[] = classPlan(size).map(([grade, letter], ci) => {
    const crng = rngFor(seed, 'school', index, 'class', ci);
    const plan = weeklyPlan(grade);
    let primaryTeacher: TeacherModel | null = null;
    if (grade <= 4) {
      primaryTeacher = newTeacher('primary');
      load.set(primaryTeacher.id, 0);
    }
    const bySpeciality = new Map<string, TeacherModel>();
    const subjects: ClassSubject[] = plan.map(([key, hours]) => {
      usedSubjects.add(key);
      let teacher: TeacherModel;
      if (primaryTeacher && PRIMARY_KEYS.has(key)) teacher = primaryTeacher;
      else {
        const spec = SPECIALITY[key] ?? key;
        const specHours = plan
          .filter(([k]) => (SPECIALITY[k] ?? k) === spec)
          .reduce((s, [, h]) => s + h, 0);
        teacher = bySpeciality.get(spec) ?? teacherFor(spec, specHours);
        bySpeciality.set(spec, teacher);
      }
      if (!teacher.subjectKeys.includes(key)) teacher.subjectKeys.push(key);
      return { subjectId: '', key, hours, teacherId: teacher.id };
    });
    // Secondary classes: a subject teacher of the class who leads no other class yet, if any.
    const own = [...new Set(subjects.map((s) => s.teacherId))];
    const free = own.filter((t) => !classTeachers.has(t));
    const classTeacherId = primaryTeacher?.id ?? crng.pick(free.length > 0 ? free : own);
    classTeachers.add(classTeacherId);

    const size_ = size === 'small' ? crng.int(24, 27) : crng.int(22, 28);
    const birthYear = cal.studyYear - grade - 6;
    const students: StudentModel[] = [];
    for (let i = 0; i < size_; i++) {
      students.push({ ...newPerson(crng, undefined, birthYear), leaveDay: null });
    }
    students.sort(
      (a, b) =>
        a.lastName.localeCompare(b.lastName, 'ru') || a.firstName.localeCompare(b.firstName, 'ru'),
    );
    const periods = periodsForGrade(cal, grade).map(periodOf);
    // A few students left the school mid-period: archived enrollments, never due a final mark there.
    const leaves = size === 'small' ? (grade === 1 ? 0 : 1) : crng.chance(0.35) ? 1 : 0;
    for (let i = 0; i < leaves; i++) {
      const p = size === 'small' ? periods[0]! : crng.pick(periods);
      const victim = students[crng.int(0, students.length - 1)]!;
      victim.leaveDay =
        p.startDay +
        Math.floor(
          (p.finishDay - p.startDay) * (size === 'small' ? 0.55 : crng.next() * 0.6 + 0.2),
        );
    }
    return {
      id: bigId('group', salt, ci + 1, 0),
      index: ci + 1,
      grade,
      letter,
      name: `${grade}${letter}`,
      classTeacherId,
      students,
      subjects,
      timetable: buildTimetable(crng, plan),
      periods,
      groups: [],
    };
  });

  const subjectIds = new Map<string, string>();
  const subjects = SUBJECTS.filter((s) => usedSubjects.has(s.key)).map((s, i) => {
    const sid = String(900_000 + index * 10_000 + i + 1);
    subjectIds.set(s.key, sid);
    return { id: sid, key: s.key, name: s.name, knowledgeArea: s.knowledgeArea };
  });
  for (const c of classes) for (const s of c.subjects) s.subjectId = subjectIds.get(s.key)!;
  // Split subjects, built last with their own random stream: the rest of the school is as it was.
  const grng = rngFor(seed, 'school', index, 'subgroups');
  const extraTeacher = new Map<string, TeacherModel>();
  for (const [ci, c] of classes.entries()) {
    c.groups = splitSubjects(c, ci, salt, (key) => {
      let t = extraTeacher.get(key);
      if (!t || (load.get(t.id) ?? 0) >= MAX_LOAD) {
        const p = newPerson(grng, grng.chance(0.8) ? 'Female' : 'Male', grng.int(1962, 1998));
        t = {
          ...p,
          subjectKeys: [key],
          startDate: `${grng.int(1990, 2023)}-08-${String(grng.int(15, 31)).padStart(2, '0')}`,
          email: `teacher${p.id.slice(-5)}@school${number}.example`,
        };
        teachers.push(t);
        extraTeacher.set(key, t);
      }
      load.set(t.id, (load.get(t.id) ?? 0) + (c.subjects.find((s) => s.key === key)?.hours ?? 0));
      return t.id;
    });
  }
  for (const t of teachers) t.subjectKeys.sort();

  const [y, mo, d, hh, mm] = (opts.startLocal ?? cal.t0Local).split(/[-T:]/).map(Number) as [
    number,
    number,
    number,
    number,
    number,
  ];
  const token = hash32(`${seed}|token|${index}`).toString(16).padStart(8, '0');
  return {
    index,
    id,
    name: `МБОУ СОШ № ${number}`,
    fullName: `Муниципальное бюджетное общеобразовательное учреждение «Средняя общеобразовательная школа № ${number}»`,
    city: zone.city,
    municipality: zone.municipality,
    zone: zone.zone,
    offsetHours: zone.offsetHours,
    token: `sandbox-${index + 1}-${token}${hash32(`${seed}|token2|${index}`).toString(16).padStart(8, '0')}`,
    authCode: `code-${token}`,
    refreshToken: `refresh-${token}`,
    seed,
    calendar: cal,
    // T0 is one instant for the whole installation: 07:00 in the first school's zone.
    t0: localInstant(
      Math.floor(Date.UTC(y, mo - 1, d) / 86_400_000),
      hh * 60 + mm,
      ZONES[0]!.offsetHours,
    ),
    subjects,
    teachers,
    admin,
    classes,
    periods: [...new Map(classes.flatMap((c) => c.periods).map((p) => [p.id, p])).values()],
  };
}

/** Subjects taught in two subgroups from grade 5 on (reference §7: English, informatics). */
export const SPLIT_SUBJECTS: readonly string[] = ['eng', 'inf'];
const SPLIT_FROM_GRADE = 5;

/**
 * The class's subgroups: each split subject in two groups, гр. 1 the first half of the class
 * list, гр. 2 the rest (a student who left stays in the group's list, archived). гр. 1 keeps
 * the class's subject teacher, гр. 2 has a teacher of its own.
 */
function splitSubjects(
  c: ClassModel,
  ci: number,
  salt: number,
  secondTeacher: (key: string) => string,
): SubgroupModel[] {
  if (c.grade < SPLIT_FROM_GRADE) return [];
  const out: SubgroupModel[] = [];
  const half = Math.ceil(c.students.length / 2);
  for (const subject of c.subjects) {
    if (!SPLIT_SUBJECTS.includes(subject.key)) continue;
    const name = SUBJECTS.find((s) => s.key === subject.key)!.name;
    for (const number of [1, 2]) {
      out.push({
        id: bigId('group', salt, ci + 1, out.length + 1),
        parentId: c.id,
        name: `${name}, гр. ${number}`,
        subjectKey: subject.key,
        subjectId: subject.subjectId,
        number,
        teacherId: number === 1 ? subject.teacherId : secondTeacher(subject.key),
        studentIds: (number === 1 ? c.students.slice(0, half) : c.students.slice(half)).map(
          (s) => s.id,
        ),
      });
    }
  }
  return out;
}

/**
 * Spreads the weekly hours over five days: subjects with more hours first, each placed on the
 * currently lightest day where it has fewer than two lessons, then each day shuffled.
 */
function buildTimetable(rng: Rng, plan: [string, number][]): string[][] {
  const days: string[][] = [[], [], [], [], []];
  const order = [...plan].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  for (const [key, hours] of order) {
    for (let i = 0; i < hours; i++) {
      const candidates = days
        .map((d, di) => ({ d, di }))
        .filter(
          ({ d }) =>
            d.filter((k) => k === key).length < (hours > 5 ? 2 : 1) ||
            days.every((x) => x.includes(key)),
        )
        .sort((a, b) => a.d.length - b.d.length || a.di - b.di);
      const target = candidates[0] ?? { d: days[0]!, di: 0 };
      target.d.push(key);
    }
  }
  for (const d of days) rng.shuffle(d);
  return days;
}
