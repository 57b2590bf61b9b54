import type { AlertsConfig } from '../config/sections/alerts.js';
import type { Directory } from './directory.js';
import { responsibleTeachers, type OpenFinding } from './open-findings.js';
import type { AddressBook, Recipient } from './recipients.js';
import { audiencesOf } from './rules.js';

/** Where an item shows in a digest: under one of the recipient's classes, or under their own entries. */
export type Section = { kind: 'class'; classId: string } | { kind: 'own' };

export interface RoutedItem {
  finding: OpenFinding;
  section: Section;
}

export interface RoutedRecipient {
  recipient: Recipient;
  items: RoutedItem[];
}

export interface Routing {
  recipients: RoutedRecipient[];
  /** Rules no audience is configured for, with their open findings' counts. */
  unrouted: Map<string, number>;
}

/**
 * Decides who is told about which finding. A class teacher gets the class-teacher rules of their
 * own class (and of its groups, whose `parent_ids` name the class) and nothing else; a subject
 * teacher (when `alerts.subjectTeachers` is on) gets the subject-teacher rules of findings
 * addressed to them (`teacher_id`, and every other teacher of the finding's lesson). A finding reaching one person both ways shows once, under
 * the class.
 */
export function routeFindings(
  findings: readonly OpenFinding[],
  dir: Directory,
  book: AddressBook,
  alerts: Pick<AlertsConfig, 'audiences' | 'subjectTeachers'>,
): Routing {
  const byPerson = new Map<string, Map<string, RoutedItem>>();
  const unrouted = new Map<string, number>();
  const add = (personId: string, finding: OpenFinding, section: Section) => {
    const items = byPerson.get(personId) ?? new Map<string, RoutedItem>();
    byPerson.set(personId, items);
    const existing = items.get(finding.key);
    if (!existing || (existing.section.kind === 'own' && section.kind === 'class')) {
      items.set(finding.key, { finding, section });
    }
  };

  for (const f of findings) {
    const audiences = audiencesOf(f.rule, alerts.audiences);
    if (audiences === null) {
      unrouted.set(f.rule, (unrouted.get(f.rule) ?? 0) + 1);
      continue;
    }
    if (audiences.includes('class_teacher') && f.classId) {
      for (const classId of classAndParents(f.classId, dir)) {
        for (const teacherId of dir.classTeachers.get(classId) ?? []) {
          add(teacherId, f, { kind: 'class', classId });
        }
      }
    }
    if (audiences.includes('subject_teacher') && alerts.subjectTeachers) {
      for (const teacherId of responsibleTeachers(f)) add(teacherId, f, { kind: 'own' });
    }
  }

  const recipients = [...byPerson.entries()]
    .map(([personId, items]) => ({
      recipient: book.forPerson(personId),
      items: [...items.values()],
    }))
    .sort(
      (a, b) =>
        a.recipient.name.localeCompare(b.recipient.name, 'ru') ||
        a.recipient.key.localeCompare(b.recipient.key),
    );
  return { recipients, unrouted };
}

/** A group's findings belong to its parent class too (a subgroup «5А/1» is part of 5А). */
function classAndParents(classId: string, dir: Directory): string[] {
  const parents = dir.classes.get(classId)?.parentIds ?? [];
  return [classId, ...parents.filter((p) => p !== classId)];
}
