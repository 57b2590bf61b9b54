import { DAY, HOUR, MINUTE, localDayOf, naiveLocal } from './local-time.js';
import { pairKey, presentAt, type Draft } from './draft.js';
import type { FinalMarkRow, MarkRow, WorkRow } from './model.js';
import { unitFor } from './random.js';
import { isControlKind, workTypeByKind } from './work-types.js';

/**
 * Mark variety as the platform has it (reference §2.1, §7; issue 17 item 5), added to the clean
 * journal so that nothing here is a violation of docs/rules.md and the answer key stays exact:
 * - a «5/4» double mark: several marks on one control work (`number`), entered together;
 * - «осв» (`markdismiss`) for a student dismissed from PE for two weeks, «н/а» (`markna`) on an
 *   absence and as one period mark;
 * - one class on the 10-point system (`mark10`) and one pass/fail subject (`test`: зач/незач);
 * - year marks (`PeriodFinalMark`) and an exam mark (`Exam`) outside any reporting period;
 * - lessons with two teachers.
 * Decisions come from `unitFor` labels, never from the class's random stream, so the rest of the
 * generated school does not move.
 */

/** Before period marks are computed: they average the double marks too. */
export function addCurrentVariety(d: Draft): void {
  if (d.cls.grade === 1) return;
  addDoubleMarks(d);
  addDismissals(d);
}

/** After the period marks (and their planted violations): outside the periods, other scales. */
export function addFinalVariety(d: Draft): void {
  if (d.cls.grade === 1) return;
  addYearMarks(d);
  addNotAttested(d);
  applyMarkSystems(d);
  addCoTeachers(d);
}

/**
 * One first-quarter period mark of each quarter class is «н/а» (не аттестован: few marks, many
 * absences): counted in N of the performance report, never compared with an average.
 */
function addNotAttested(d: Draft): void {
  const first = d.cls.periods[0];
  if (!first || first.kind !== 'Quarter') return;
  const planted = new Set(d.planted.flatMap((p) => (p.mark ? [p.mark] : [])));
  const candidates = d.finalMarks.filter(
    (f) => f.periodId === first.id && !planted.has(f.id) && !f.edits?.length,
  );
  const f = candidates[Math.floor(label(d, 'not-attested') * candidates.length)];
  if (!f) return;
  f.value = 'н/а';
  f.markSystem = 'markna';
}

/** The class on the 10-point system: the first grade-10 class («10А» in the small sandbox). */
export function onTenPoints(d: Pick<Draft, 'cls'>): boolean {
  return d.cls.grade === 10 && d.cls.letter === 'А';
}

/** The pass/fail subject: ОДНКНР (grade 5–6), graded «зач»/«незач» at many schools. */
export const PASS_FAIL_SUBJECT = 'odnk';

/** The id of the class's pass/fail subject, if it has one. */
export function passFailSubjectId(d: Pick<Draft, 'cls'>): string | null {
  return d.cls.subjects.find((s) => s.key === PASS_FAIL_SUBJECT)?.subjectId ?? null;
}

const label = (d: Draft, ...parts: (string | number)[]) =>
  unitFor(d.school.seed, 'variety', d.school.index, d.cls.index, ...parts);

/** A mark's lesson deadline for ordinary marks (`D(l; 1, 12:00)`): doubles never come later. */
function onTime(d: Draft, m: MarkRow): boolean {
  const lesson = d.lessonById.get(m.lessonId);
  return lesson !== undefined && m.appearAt <= lesson.dayStart + DAY + 12 * HOUR;
}

/**
 * About one control-work mark in eight gets a second mark on the same work (a dictation and its
 * grammar task): never below «3», never on a planted or edited mark, never for a student kept
 * under the accumulation norm on purpose.
 */
function addDoubleMarks(d: Draft): void {
  const planted = new Set(d.planted.flatMap((p) => (p.mark ? [p.mark] : [])));
  const periodOf = (day: number) =>
    d.cls.periods.find((p) => day >= p.startDay && day <= p.finishDay);
  const seconds: MarkRow[] = [];
  for (const m of d.marks) {
    if (!isControlKind(m.kind) || m.deletedAt !== null || m.edits?.length) continue;
    if (planted.has(m.id) || !onTime(d, m) || Number(m.value) < 3) continue;
    const p = periodOf(m.day);
    if (!p || d.underNorm.has(`${m.studentId}|${m.subjectId}|${p.id}`)) continue;
    if (label(d, 'double', m.id) >= 0.125) continue;
    const second =
      label(d, 'second', m.id) < 0.5 ? m.value : String(Math.max(3, Number(m.value) - 1));
    m.number = 0;
    seconds.push({ ...m, id: d.nextMarkId(), value: second, number: 1, locked: true });
  }
  d.marks.push(...seconds);
}

/**
 * A student dismissed from PE for two weeks in the first quarter: «осв» on each PE lesson they
 * attend without a mark, set during the lesson. And one «н/а» on an absence without a mark.
 */
function addDismissals(d: Draft): void {
  const { cls } = d;
  const pe = cls.subjects.find((s) => s.key === 'pe');
  const staying = cls.students.filter((s) => s.leaveDay === null);
  const student = staying[Math.floor(label(d, 'dismissed') * staying.length)];
  if (!pe || !student) return;
  const marked = new Set(d.marks.map((m) => pairKey(m.studentId, m.lessonId)));
  const first = cls.periods[0]!;
  const from = first.startDay + 14;
  for (const lesson of d.bySubject.get(pe.subjectId) ?? []) {
    if (lesson.day < from || lesson.day >= from + 14 || d.reserved.has(lesson.id)) continue;
    const key = pairKey(student.id, lesson.id);
    if (marked.has(key) || d.noMark.has(key) || !presentAt(d, student, lesson)) continue;
    const work = d.classWork.get(lesson.id)!;
    if (isControlKind(work.kind)) continue;
    d.marks.push(textMark(d, work, student.id, lesson.id, 'осв', 'markdismiss'));
    marked.add(key);
  }
  for (const a of d.attendance) {
    if (a.status !== 'Absent' || d.reserved.has(a.lessonId)) continue;
    const key = pairKey(a.studentId, a.lessonId);
    if (marked.has(key) || d.noMark.has(key)) continue;
    const work = d.classWork.get(a.lessonId)!;
    if (isControlKind(work.kind)) continue;
    d.marks.push(textMark(d, work, a.studentId, a.lessonId, 'н/а', 'markna'));
    break;
  }
}

function textMark(
  d: Draft,
  work: WorkRow,
  studentId: string,
  lessonId: string,
  value: string,
  markSystem: string,
): MarkRow {
  const lesson = d.lessonById.get(lessonId)!;
  const start =
    lesson.dayStart +
    (Number(lesson.startsAt.slice(11, 13)) * 60 + Number(lesson.startsAt.slice(14, 16))) * MINUTE;
  return {
    id: d.nextMarkId(),
    classId: d.cls.id,
    lessonId,
    workId: work.id,
    studentId,
    subjectId: lesson.subjectId,
    value,
    markSystem,
    day: lesson.day,
    workTypeId: work.workTypeId,
    kind: work.kind,
    countsInAverage: false,
    appearAt: start + 10 * MINUTE + Math.floor(label(d, 'text-mark', lessonId, studentId) * 59_999),
    deletedAt: null,
    locked: true,
  };
}

/**
 * Year marks («годовые», work type `PeriodFinalMark`) for every student and subject of the
 * half-year classes, outside any reporting period, after the last period's marks; and an exam
 * mark (`Exam`, a transfer exam in Russian) for each of them. The per-student reply has no place
 * for an exam (it is per reporting period), so only the bundled reply serves those (routes.ts).
 */
function addYearMarks(d: Draft): void {
  const { cls } = d;
  if (!cls.periods.every((p) => p.kind === 'HalfYear')) return;
  const last = cls.periods[cls.periods.length - 1]!;
  const lastMarks = d.finalMarks.filter((f) => f.periodId === last.id);
  if (lastMarks.length === 0) return;
  const after = Math.max(...lastMarks.map((f) => f.appearAt));
  const kind = workTypeByKind('PeriodMark');
  const made = (type: 'PeriodFinalMark' | 'Exam', subjectId: string, teacherId: string) => {
    const work: WorkRow = {
      id: d.nextFinalWorkId(),
      lessonId: null,
      classId: cls.id,
      subjectId,
      type,
      workTypeId: kind.id,
      kind: 'PeriodMark',
      text: null,
      targetDate: null,
      sentDate: null,
      createdBy: teacherId,
      periodNumber: null,
      periodType: null,
      appearAt: Infinity,
      deletedAt: null,
    };
    d.finalWorks.push(work);
    return work;
  };
  for (const subject of cls.subjects) {
    const year = made('PeriodFinalMark', subject.subjectId, subject.teacherId);
    const exam = subject.key === 'rus' ? made('Exam', subject.subjectId, subject.teacherId) : null;
    for (const f of lastMarks.filter((x) => x.subjectId === subject.subjectId)) {
      const yearAt = after + DAY + Math.floor(label(d, 'year', f.id) * 4 * HOUR);
      d.finalMarks.push(placeless(d, f, year, yearAt, f.value));
      year.appearAt = Math.min(year.appearAt, yearAt);
      if (exam) {
        const examAt = after + 3 * DAY + Math.floor(label(d, 'exam', f.id) * 4 * HOUR);
        d.finalMarks.push(placeless(d, f, exam, examAt, f.value));
        exam.appearAt = Math.min(exam.appearAt, examAt);
      }
    }
  }
}

function placeless(
  d: Draft,
  from: FinalMarkRow,
  work: WorkRow,
  appearAt: number,
  value: string,
): FinalMarkRow {
  const { edits: _edits, ...rest } = from;
  return {
    ...rest,
    id: d.nextFinalMarkId(),
    workId: work.id,
    periodId: null,
    periodNumber: null,
    periodKind: null,
    value,
    date: naiveLocal(appearAt, d.offset),
    day: localDayOf(appearAt, d.offset),
    appearAt,
    deletedAt: null,
  };
}

const TEN_POINT: Record<string, [string, string]> = {
  '5': ['9', '10'],
  '4': ['7', '8'],
  '3': ['5', '6'],
  '2': ['3', '4'],
  '1': ['1', '2'],
};

/**
 * The 10-point class has every mark and period mark on that scale (each five-point value becomes
 * one of the two it stands for, compliance-rules §2.1); the pass/fail subject has «зач» for 3–5
 * and «незач» below. Rules that judge five-point values (`two-not-corrected`,
 * `final-mark-objectivity`) do not apply to them: what they planted there is no violation.
 */
function applyMarkSystems(d: Draft): void {
  const tenPoints = onTenPoints(d);
  const passFail = passFailSubjectId(d);
  if (!tenPoints && passFail === null) return;
  const converted = new Set<string>();
  const convert = (row: MarkRow | FinalMarkRow) => {
    if ((row.markSystem ?? 'mark5') !== 'mark5') return;
    if (tenPoints) {
      row.markSystem = 'mark10';
      const pick = (v: string) => TEN_POINT[v]?.[label(d, 'ten', row.id) < 0.5 ? 0 : 1] ?? v;
      row.value = pick(row.value);
      for (const e of row.edits ?? []) if (e.patch.value) e.patch.value = pick(e.patch.value);
    } else if (row.subjectId === passFail) {
      row.markSystem = 'test';
      const pf = (v: string) => (Number(v) >= 3 ? 'зач' : 'незач');
      row.value = pf(row.value);
      for (const e of row.edits ?? []) if (e.patch.value) e.patch.value = pf(e.patch.value);
    } else return;
    converted.add(row.id);
  };
  for (const m of d.marks) convert(m);
  for (const f of d.finalMarks) convert(f);
  d.planted = d.planted.filter(
    (p) =>
      !(
        (p.rule === 'two-not-corrected' || p.rule === 'final-mark-objectivity') &&
        p.mark !== null &&
        converted.has(p.mark)
      ),
  );
}

/**
 * The individual project of the half-year classes is taught by two: its teacher and the class
 * teacher (or another teacher when they are the same person).
 */
function addCoTeachers(d: Draft): void {
  const proj = d.cls.subjects.find((s) => s.key === 'proj');
  if (!proj) return;
  const other =
    d.cls.classTeacherId !== proj.teacherId
      ? d.cls.classTeacherId
      : d.school.teachers.find((t) => t.id !== proj.teacherId)?.id;
  if (!other) return;
  for (const l of d.bySubject.get(proj.subjectId) ?? []) l.coTeacherIds = [other];
}
