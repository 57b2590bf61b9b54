import { addDays, instantToLocalDate } from '../../platform/time.js';
import {
  ALL_RULES,
  CLASS_TEACHER_RULES,
  checkedCount,
  ruleUnit,
  type TeacherScope,
} from '../data/audit-scope.js';
import { ruleTitle, type AuditData, type AuditFinding } from '../data/audit.js';
import { ruDate, ruNumber, shortName } from '../format.js';

/**
 * The справка's results as a deputy director writes them: per criterion and per teacher, what was
 * checked and the share on time; a class teacher's own duties apart; recommendations with dated
 * deadlines and a re-check date. Pure.
 */

/** Working days to fix, from the note's date; the re-check is the next working day after. */
export const FIX_WORKING_DAYS = 3;

export interface CriterionRow {
  title: string;
  checked: string;
  violations: number;
  fixed: number;
  share: string;
}

export interface TeacherRow {
  name: string;
  lessons: number;
  marks: number;
  cells: string[];
  violations: number;
}

/** «до 30.10.2026 включительно»: the last day to fix, never an exclusive midnight. */
export function addWorkingDays(date: string, days: number): string {
  let d = date;
  let left = days;
  while (left > 0) {
    d = addDays(d, 1);
    const wd = new Date(`${d}T12:00:00Z`).getUTCDay();
    if (wd !== 0 && wd !== 6) left--;
  }
  return d;
}

const share = (checked: number | null, violations: number): string =>
  checked === null || checked === 0
    ? '—'
    : ruNumber((100 * Math.max(0, checked - violations)) / checked, 1);

const UNIT_RU = { lessons: 'уроков', grade1Lessons: 'уроков в 1 кл.', marks: 'отметок' } as const;

/** Criteria a teacher's table shows as columns: those checked per lesson or mark, not the class teacher's. */
export const TEACHER_CRITERIA = ALL_RULES.filter(
  (r) => ruleUnit(r) !== null && !CLASS_TEACHER_RULES.has(r),
);

const SHORT: Record<string, string> = {
  'topic-missing': 'Тема урока',
  'homework-missing': 'Домашнее задание',
  'control-work-unmarked': 'Отметки за к/р',
  'grade1-mark': '1 кл.: без отметок',
  'grade1-homework': '1 кл.: без д/з',
  'mark-late': 'Отметки в срок',
  'absent-with-mark': '«н» без отметки',
  'two-not-corrected': '«2» исправлены',
};
export const criterionShort = (rule: string): string => SHORT[rule] ?? ruleTitle(rule);

export function criteriaRows(data: AuditData): CriterionRow[] {
  return ALL_RULES.map((rule) => {
    const unit = ruleUnit(rule);
    const found = data.findings.filter((f) => f.rule === rule);
    const checked = unit ? data.scopes.reduce((n, s) => n + s[unit], 0) : null;
    return {
      title: ruleTitle(rule),
      checked: unit && checked !== null ? `${UNIT_RU[unit]}: ${checked}` : 'все записи',
      violations: found.length,
      fixed: found.filter((f) => f.fixedAt !== null).length,
      share: unit ? share(checked, found.length) : found.length === 0 ? '100,0' : '—',
    };
  });
}

/** Every teacher who taught in the window, and any other named in a finding. */
export function teacherRows(data: AuditData): TeacherRow[] {
  const scopes = new Map<string, TeacherScope>(data.scopes.map((s) => [s.id, s]));
  const ids = [...scopes.keys()];
  for (const f of data.findings) {
    if (f.teacherId && !scopes.has(f.teacherId) && !ids.includes(f.teacherId)) {
      ids.push(f.teacherId);
    }
  }
  const nameOf = (id: string): string =>
    scopes.get(id)?.name ??
    data.findings.find((f) => f.teacherId === id)?.teacher ??
    'Учитель не указан';
  return ids
    .map((id) => {
      const mine = data.findings.filter(
        (f) => f.teacherId === id && !CLASS_TEACHER_RULES.has(f.rule),
      );
      const scope = scopes.get(id);
      return {
        name: shortName(nameOf(id)) || nameOf(id),
        lessons: scope?.lessons ?? 0,
        marks: scope?.marks ?? 0,
        cells: TEACHER_CRITERIA.map((rule) => {
          const unit = ruleUnit(rule);
          const checked = checkedCount(scope, unit);
          const n = mine.filter((f) => f.rule === rule).length;
          return checked === 0 && n === 0 ? '—' : share(checked, n);
        }),
        violations: mine.length,
      };
    })
    .sort((a, b) => a.name.localeCompare(b.name, 'ru'));
}

/** «устранено 20.10 (с опозданием 3 дн.)» / «не устранено, просрочено на 5 дн.» */
export function findingStatus(f: AuditFinding, zone: string): string {
  const late = f.lateDays ? `${f.lateDays} дн.` : null;
  if (f.fixedAt !== null) {
    const on = ruDate(instantToLocalDate(f.fixedAt, zone));
    return late ? `устранено к ${on} (с опозданием ${late})` : `устранено к ${on}`;
  }
  return late ? `не устранено, просрочено на ${late}` : 'не устранено';
}

export interface Recommendation {
  teacher: string;
  items: string[];
  deadline: string;
  recheck: string;
}

/** Per teacher with something still open: what to fix, by when (inclusive), when re-checked. */
export function recommendations(data: AuditData, noteDate: string): Recommendation[] {
  const deadline = addWorkingDays(noteDate, FIX_WORKING_DAYS);
  const recheck = addWorkingDays(deadline, 1);
  const byTeacher = new Map<string, Map<string, number>>();
  for (const f of data.findings) {
    if (f.fixedAt !== null) continue;
    const name = f.teacher ?? 'Учитель не указан';
    const rules = byTeacher.get(name) ?? new Map<string, number>();
    rules.set(f.ruleTitle, (rules.get(f.ruleTitle) ?? 0) + 1);
    byTeacher.set(name, rules);
  }
  return [...byTeacher.entries()]
    .sort(([a], [b]) => a.localeCompare(b, 'ru'))
    .map(([teacher, rules]) => ({
      teacher: shortName(teacher) || teacher,
      items: [...rules.entries()].map(([title, n]) => `${title.toLowerCase()} (${n})`),
      deadline: `до ${ruDate(deadline)} включительно`,
      recheck: ruDate(recheck),
    }));
}
