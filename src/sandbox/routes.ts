import { big as bigOf } from './json.js';
import { pushTo } from './rows.js';
import { localInstant, parseDateParam } from './local-time.js';
import type { ClassModel, LessonRow, SchoolModel, SubgroupModel, WorkRow } from './model.js';
import { viewAt } from './rows.js';
import type { Sandbox } from './sandbox.js';
import {
  eduGroupShape,
  subgroupShape,
  lessonShape,
  logEntryShape,
  markShape,
  periodShape,
  PERIOD_MARK_TYPE,
  schoolShape,
  studentShape,
  subjectShape,
  teacherShape,
  personShape,
  userShape,
  servedWorkTypeId,
  workShape,
  workTypeShape,
  workTypeShape2,
} from './shapes.js';
import { WORK_TYPES } from './work-types.js';
import { schoolSalt } from './school.js';

/**
 * The API surface: path patterns → queries of the sandbox at its current time. Thin on purpose;
 * all the knowledge is in the generator and the shapes.
 */

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly type: string,
    readonly description: string,
  ) {
    super(`${type}: ${description}`);
  }
}

export interface RouteContext {
  sandbox: Sandbox;
  /** The school the request's token belongs to. */
  school: SchoolModel;
  query: URLSearchParams;
  finalMarksShape: 'jt' | 'm';
}

type Handler = (ctx: RouteContext, params: string[]) => unknown;

const routes: [RegExp, Handler][] = [
  [/^users\/me$/, ({ school }) => userShape(school.admin, school)],
  [/^schools\/(\d+)$/, (ctx, [id]) => schoolShape(ownSchool(ctx, id!))],
  [
    /^schools\/(\d+)\/edu-groups$/,
    (ctx, [id]) =>
      ownSchool(ctx, id!).classes.flatMap((c) => [
        eduGroupShape(ctx.school, c),
        ...c.groups.map((g) => subgroupShape(ctx.school, c, g)),
      ]),
  ],
  [/^schools\/(\d+)\/subjects$/, (ctx, [id]) => ownSchool(ctx, id!).subjects.map(subjectShape)],
  [
    /^schools\/(\d+)\/teachers$/,
    (ctx, [id]) => ownSchool(ctx, id!).teachers.map((t) => teacherShape(t, ctx.school)),
  ],
  [
    /^work-types\/(\d+)$/,
    (ctx, [id]) => {
      const school = ownSchool(ctx, id!);
      return WORK_TYPES.map((w) => workTypeShape(w, school.id, school.index));
    },
  ],
  [
    /^edu-groups\/(\d+)$/,
    (ctx, [g]) => {
      const { cls, group } = ownGroup(ctx, g!);
      return group ? subgroupShape(ctx.school, cls, group) : eduGroupShape(ctx.school, cls);
    },
  ],
  [
    /^edu-groups\/(\d+)\/persons$/,
    (ctx, [g]) => {
      // A subgroup's persons are its members (reference §7).
      const { cls: c, group } = ownGroup(ctx, g!);
      const withArchive = ctx.query.get('includeArchive') === 'true';
      const now = ctx.sandbox.now();
      return c.students
        .filter((s) => !group || group.studentIds.includes(s.id))
        .filter(
          (s) =>
            withArchive ||
            s.leaveDay === null ||
            now < localInstant(s.leaveDay, 0, ctx.school.offsetHours),
        )
        .map((s) => studentShape(s));
    },
  ],
  [
    /^edu-groups\/(\d+)\/classteacher$/,
    (ctx, [g]) => {
      const c = ownClass(ctx, g!);
      return personShape(ctx.school.teachers.find((t) => t.id === c.classTeacherId)!);
    },
  ],
  [
    /^edu-groups\/(\d+)\/subjects$/,
    (ctx, [g]) => {
      const { cls, group } = ownGroup(ctx, g!);
      return cls.subjects
        .filter((cs) => !group || cs.subjectId === group.subjectId)
        .map((cs) => subjectShape(ctx.school.subjects.find((s) => s.id === cs.subjectId)!));
    },
  ],
  [
    // A subgroup studies in its class's periods.
    /^edu-groups\/(\d+)\/reporting-periods$/,
    (ctx, [g]) =>
      ownGroup(ctx, g!).cls.periods.map((p) => periodShape(p, ctx.school.calendar.studyYear)),
  ],
  [
    /^edu-groups\/(\d+)\/lessons\/([^/]+)\/([^/]+)$/,
    (ctx, [g, from, to]) => lessons(ctx, ownGroup(ctx, g!), from!, to!),
  ],
  [
    /^edu-groups\/(\d+)\/marks\/([^/]+)\/([^/]+)$/,
    (ctx, [g, from, to]) => marks(ctx, ownGroup(ctx, g!), from!, to!),
  ],
  [/^lesson-log-entries\/group\/(\d+)$/, (ctx, [g]) => logEntries(ctx, ownGroup(ctx, g!))],
  [/^lesson-log-entries$/, (ctx) => lessonsLogEntries(ctx)],
  [/^edu-groups\/(\d+)\/final-marks$/, (ctx, [g]) => finalMarks(ctx, ownGroup(ctx, g!))],
];

export function handleGet(ctx: RouteContext, path: string): unknown {
  for (const [pattern, handler] of routes) {
    const m = pattern.exec(path);
    if (m) return handler(ctx, m.slice(1));
  }
  throw new ApiError(404, 'apiResourceUnavailable', `Resource ${path} is not available`);
}

function ownSchool(ctx: RouteContext, id: string): SchoolModel {
  if (id === ctx.school.id) return ctx.school;
  if (ctx.sandbox.school(id)) {
    throw new ApiError(403, 'authorizationNotOwner', 'The token has no rights on this school');
  }
  throw new ApiError(404, 'apiResourceUnavailable', `School ${id} not found`);
}

/** A class or a subgroup of the token's school (a subgroup with its class). */
interface GroupRef {
  cls: ClassModel;
  group: SubgroupModel | null;
}

function ownGroup(ctx: RouteContext, id: string): GroupRef {
  const sub = ctx.sandbox.groupOf(id);
  if (!sub) return { cls: ownClass(ctx, id), group: null };
  if (sub.school.id !== ctx.school.id) {
    throw new ApiError(403, 'authorizationNotOwner', 'The token has no rights on this edu group');
  }
  return { cls: sub.cls, group: sub.group };
}

/** A class's lists hold its subgroups' lessons too; a subgroup's, its own only. */
function inGroup(ref: GroupRef, lesson: Pick<LessonRow, 'groupId'> | undefined): boolean {
  return ref.group === null || lesson?.groupId === ref.group.id;
}

function ownClass(ctx: RouteContext, id: string): ClassModel {
  const entry = ctx.sandbox.classOf(id);
  if (!entry) throw new ApiError(404, 'apiResourceUnavailable', `Edu group ${id} not found`);
  if (entry.school.id !== ctx.school.id) {
    throw new ApiError(403, 'authorizationNotOwner', 'The token has no rights on this edu group');
  }
  return entry.cls;
}

function window(from: string | null, to: string | null): [number, number] {
  const a = parseDateParam(from);
  const b = parseDateParam(to);
  if (a === null || b === null) {
    throw new ApiError(400, 'parameterInvalid', 'from/to must be dates (YYYY-MM-DD)');
  }
  if (b < a) throw new ApiError(400, 'parameterInvalid', 'to is before from');
  return [a, b];
}

function lessons(ctx: RouteContext, ref: GroupRef, from: string, to: string): unknown {
  const [a, b] = window(from, to);
  const now = ctx.sandbox.now();
  const j = ctx.sandbox.journal(ref.cls.id);
  const worksByLesson = new Map<string, WorkRow[]>();
  for (const w of j.works) {
    if (!w.lessonId) continue;
    const v = viewAt(w, now);
    if (v) pushTo(worksByLesson, w.lessonId, v);
  }
  return j.lessons
    .filter((l) => l.day >= a && l.day <= b && inGroup(ref, l))
    .map((l) => viewAt(l, now))
    .filter((l) => l !== null)
    .map((l) =>
      lessonShape(
        l,
        ctx.school.subjects.find((s) => s.id === l.subjectId)!,
        worksByLesson.get(l.id) ?? [],
        ctx.school.index,
      ),
    );
}

function marks(ctx: RouteContext, ref: GroupRef, from: string, to: string): unknown {
  const [a, b] = window(from, to);
  const now = ctx.sandbox.now();
  const j = ctx.sandbox.journal(ref.cls.id);
  const lessonOf = ref.group ? new Map(j.lessons.map((l) => [l.id, l])) : null;
  return j.marks
    .filter((m) => m.day >= a && m.day <= b && inGroup(ref, lessonOf?.get(m.lessonId)))
    .map((m) => viewAt(m, now))
    .filter((m) => m !== null)
    .map((m) => markShape(m, servedWorkTypeId(m.workTypeId, ctx.school.index), m.lessonId));
}

/** `subject` narrows to one subject; without it the whole class is returned (a sandbox leniency). */
function logEntries(ctx: RouteContext, ref: GroupRef): unknown {
  const [a, b] = window(ctx.query.get('from'), ctx.query.get('to'));
  const subject = ctx.query.get('subject');
  const now = ctx.sandbox.now();
  const j = ctx.sandbox.journal(ref.cls.id);
  const lessonOf = ref.group ? new Map(j.lessons.map((l) => [l.id, l])) : null;
  return (
    j.attendance
      .filter(
        (e) =>
          e.day >= a &&
          e.day <= b &&
          (!subject || e.subjectId === subject) &&
          inGroup(ref, lessonOf?.get(e.lessonId)),
      )
      .map((e) => viewAt(e, now))
      .filter((e) => e !== null)
      // A platform that stores only exceptions has no entry for a student who was there.
      .filter((e) => ctx.sandbox.attendance === 'every-student' || e.status !== 'Attend')
      .map(logEntryShape)
  );
}

/**
 * `lesson-log-entries?lessons=…&lessons=…` (reference §2.2 row 61): the entries of the named
 * lessons of the token's school; a lesson of another school or none at all adds nothing. A lesson
 * id names its class (`ids.ts`), so only those classes' journals are read.
 */
function lessonsLogEntries(ctx: RouteContext): unknown {
  const ids = ctx.query.getAll('lessons');
  if (ids.length === 0) throw new ApiError(400, 'parameterInvalid', 'lessons is required');
  const salt = String(schoolSalt(ctx.school) % 1000).padStart(3, '0');
  const byClass = new Map<string, Set<string>>();
  for (const id of ids) {
    if (!/^\d{19}$/.test(id) || id.slice(3, 6) !== salt) continue;
    const cls = ctx.school.classes.find((c) => c.index === Number(id.slice(6, 9)));
    if (cls) byClass.set(cls.id, (byClass.get(cls.id) ?? new Set()).add(id));
  }
  const now = ctx.sandbox.now();
  const out: unknown[] = [];
  for (const [classId, wanted] of byClass) {
    for (const e of ctx.sandbox.journal(classId).attendance) {
      if (!wanted.has(e.lessonId)) continue;
      const v = viewAt(e, now);
      if (v && (ctx.sandbox.attendance === 'every-student' || v.status !== 'Attend')) {
        out.push(logEntryShape(v));
      }
    }
  }
  return out;
}

/** A subgroup's: its members' final marks in its subject, the group named as the subgroup. */
function finalMarks(ctx: RouteContext, ref: GroupRef): unknown {
  const now = ctx.sandbox.now();
  const { cls: c, group } = ref;
  const j = ctx.sandbox.journal(c.id);
  const live = j.finalMarks
    .map((f) => viewAt(f, now))
    .filter((f) => f !== null)
    .filter(
      (f) => !group || (f.subjectId === group.subjectId && group.studentIds.includes(f.studentId)),
    );
  const groupId = group?.id ?? c.id;
  const periodMarkType = servedWorkTypeId(PERIOD_MARK_TYPE.id, ctx.school.index);
  if (ctx.finalMarksShape === 'm') {
    const works = j.finalWorks.filter(
      (w) => viewAt(w, now) && (!group || w.subjectId === group.subjectId),
    );
    return {
      marks: live.map((f) => markShape(f, periodMarkType, null)),
      works: works.map((w) => workShape(w, ctx.school.index)),
      subjects: c.subjects
        .filter((cs) => !group || cs.subjectId === group.subjectId)
        .map((cs) => subjectShape(ctx.school.subjects.find((s) => s.id === cs.subjectId)!)),
      workTypes: [workTypeShape2(PERIOD_MARK_TYPE, ctx.school.id, ctx.school.index)],
    };
  }
  // A reply per student and reporting period: a year mark comes with `reportingPeriod: null`;
  // an exam mark has no place in this shape (see variety.ts).
  const examWorks = new Set(j.finalWorks.filter((w) => w.type === 'Exam').map((w) => w.id));
  const groups = new Map<string, typeof live>();
  for (const f of live) {
    if (examWorks.has(f.workId)) continue;
    const k = `${f.studentId}|${f.periodId ?? 'none'}`;
    pushTo(groups, k, f);
  }
  return [...groups.values()].map((fs) => {
    const first = fs[0]!;
    return {
      person: Number(first.studentId),
      person_str: first.studentId,
      group: bigOf(groupId),
      group_str: groupId,
      reportingPeriod: first.periodId === null ? null : bigOf(first.periodId),
      reportingPeriod_str: first.periodId,
      'per-subject-final-marks': fs.map((f) => ({
        subject: Number(f.subjectId),
        subject_str: f.subjectId,
        'final-mark': markShape(f, periodMarkType, null),
      })),
    };
  });
}
