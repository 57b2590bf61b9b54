import type { Audience } from '../config/sections/alerts.js';

/**
 * Who is told about which rule (docs/rules.md, "Audience"), and how a rule is named in a letter.
 * The entry rules (marks, topics, homework, control works) reach both the subject teacher, who has
 * to fix the entry, and the class teacher, who answers for the class's journal (001 §3.2.2,
 * 004 §1.3, §3.8).
 * The deputy director is in every rule's audience but is told through the audit note, not
 * through digests, so only the two teacher audiences are listed here. Config `alerts.audiences`
 * overrides a rule's entry; a rule listed nowhere is not sent (and reported as unrouted).
 */
export const RULE_AUDIENCES: Readonly<Record<string, readonly Audience[]>> = Object.freeze({
  'mark-late': ['class_teacher', 'subject_teacher'],
  'topic-missing': ['class_teacher', 'subject_teacher'],
  'homework-missing': ['class_teacher', 'subject_teacher'],
  'control-work-unmarked': ['class_teacher', 'subject_teacher'],
  'grade1-mark': ['class_teacher'],
  'grade1-homework': ['class_teacher'],
  'final-mark-early': [],
  'final-mark-objectivity': [],
  'final-mark-missing': ['class_teacher', 'subject_teacher'],
  'mark-accumulation': ['class_teacher', 'subject_teacher'],
  'absent-with-mark': ['class_teacher', 'subject_teacher'],
  'attendance-not-kept': ['class_teacher', 'subject_teacher'],
  'two-not-corrected': ['class_teacher', 'subject_teacher'],
});

/** Short Russian headings of the digest's groups. */
export const RULE_TITLES: Readonly<Record<string, string>> = Object.freeze({
  'mark-late': 'Отметки выставлены с опозданием',
  'topic-missing': 'Не заполнена тема урока',
  'homework-missing': 'Не записано домашнее задание',
  'grade1-mark': 'Отметки в 1 классе (безотметочное обучение)',
  'grade1-homework': 'Домашние задания в 1 классе',
  'final-mark-missing': 'Не выставлены итоговые отметки',
  'final-mark-early': 'Итоговая отметка выставлена раньше последнего урока',
  'mark-accumulation': 'Недостаточно текущих отметок',
  'final-mark-objectivity': 'Итоговая отметка не соответствует среднему баллу',
  'control-work-unmarked': 'Нет отметки за контрольную работу',
  'absent-with-mark': 'Отметка у отсутствовавшего ученика',
  'attendance-not-kept': 'Не отмечена посещаемость',
  'two-not-corrected': 'Неисправленная «2»',
});

export function audiencesOf(
  rule: string,
  overrides: Record<string, Audience[]>,
): readonly Audience[] | null {
  return overrides[rule] ?? RULE_AUDIENCES[rule] ?? null;
}

export function ruleTitle(rule: string): string {
  return RULE_TITLES[rule] ?? rule;
}
