import { sha1 } from '../mirror/hash.js';
import { instantToIso } from '../platform/time.js';
import type { FindingRow, KeyPartName, KeyParts, Rule, Severity } from './rule.js';
import { KEY_PART_NAMES } from './rule.js';

/** A finding as the engine keeps and prints it: the rule's row plus identity and message. */
export interface Finding extends FindingRow {
  /** `sha1(rule + '|' + key parts)`: the same violation seen by another run is the same finding. */
  key: string;
  rule: string;
  severity: Severity;
  schoolId: string;
  message: string;
  /** The ids that identify the violation (the answer key's shape); other parts null. */
  keyParts: KeyParts;
}

/** `ezh check --format json`, one finding (design.md): ids as strings, absent fields null. */
export interface FindingJson {
  /** The finding's stable id (its key): what `ezh findings ack|waive|reopen` take. */
  id: string;
  rule: string;
  severity: Severity;
  school: string;
  class: string | null;
  subject: string | null;
  teacher: string | null;
  student: string | null;
  lesson: string | null;
  date: string | null;
  deadline: string | null;
  message: string;
  /** Readable names of the ids above, for people and spreadsheets (absent: null). */
  names: {
    class: string | null;
    subject: string | null;
    teacher: string | null;
    student: string | null;
  };
}

const PART_OF: Record<KeyPartName, (r: FindingRow) => string | null> = {
  class: (r) => r.classId,
  subject: (r) => r.subjectId,
  student: (r) => r.studentId,
  lesson: (r) => r.lessonId,
  work: (r) => r.workId,
  mark: (r) => r.markId,
  period: (r) => r.periodId,
};

export function findingKey(rule: string, parts: readonly (string | null)[]): string {
  return sha1(`${rule}|${parts.map((p) => p ?? '').join('|')}`);
}

export function toFinding(
  rule: Rule,
  row: FindingRow,
  school: { id: string; zone: string },
  params: Record<string, unknown>,
): Finding {
  const keyParts = Object.fromEntries(KEY_PART_NAMES.map((n) => [n, null])) as KeyParts;
  for (const part of rule.keyParts) keyParts[part] = PART_OF[part](row);
  return {
    ...row,
    key: findingKey(
      rule.id,
      rule.keyParts.map((p) => keyParts[p]),
    ),
    rule: rule.id,
    severity: rule.severity,
    schoolId: school.id,
    message: rule.message(row, school.zone, params),
    keyParts,
  };
}

/**
 * The JSON shape. `school` and `lesson` are ids; `class`, `subject`, `teacher` and `student` are
 * the resolved names (class name, subject name, full names), falling back to the id when the
 * mirror has no name for it.
 */
export function toFindingJson(f: Finding): FindingJson {
  return {
    id: f.key,
    rule: f.rule,
    severity: f.severity,
    school: f.schoolId,
    class: f.classId,
    subject: f.subjectId,
    teacher: f.teacherId,
    student: f.studentId,
    lesson: f.lessonId,
    date: f.date,
    deadline: instantToIso(f.deadline),
    message: f.message,
    names: {
      class: f.className ?? null,
      subject: f.subjectName ?? null,
      teacher: f.teacherName ?? null,
      student: f.studentName ?? null,
    },
  };
}
