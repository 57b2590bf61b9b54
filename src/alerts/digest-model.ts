import { addDays, dayStart, formatLocal } from '../platform/time.js';
import type { Directory } from './directory.js';
import { responsibleTeachers } from './open-findings.js';
import type { Recipient } from './recipients.js';
import { RULE_TITLES, ruleTitle } from './rules.js';
import { countFindings, formatDate } from './russian.js';
import type { DueItem } from './selection.js';

/** Everything a digest template shows, already in Russian and formatted: templates only lay it out. */
export interface DigestView {
  subject: string;
  greeting: string;
  intro: string;
  /** «Данные на …; письмо отправлено …»: the data time and the send time, told apart. */
  timing: string;
  sections: SectionView[];
  footer: string;
}

export interface SectionView {
  title: string;
  groups: GroupView[];
}

export interface GroupView {
  rule: string;
  title: string;
  critical: boolean;
  count: string;
  items: ItemView[];
}

export interface ItemView {
  key: string;
  message: string;
  facts: string[];
  /** «можно исправить до …», or that the editing period is over; null when it does not apply. */
  fixNote: string | null;
  fixExpired: boolean;
  reminderNote: string | null;
}

export interface DigestContext {
  dir: Directory;
  zone: string;
  asOf: number;
  /** What the findings' data is as of (the last current check run); default `asOf`. */
  dataAt?: number;
  /** When the letter goes out; default `asOf`. */
  sentAt?: number;
  editingPeriodDays: number;
  reminderDays: number;
}

const RULE_ORDER = Object.keys(RULE_TITLES);

export function buildDigestView(
  recipient: Recipient,
  items: readonly DueItem[],
  ctx: DigestContext,
): DigestView {
  const { dir, zone, asOf } = ctx;
  const asOfText = formatLocal(asOf, zone);
  const bySection = new Map<string, DueItem[]>();
  for (const item of items) {
    const k = item.section.kind === 'class' ? `class:${item.section.classId}` : 'own';
    bySection.set(k, [...(bySection.get(k) ?? []), item]);
  }
  const classTitle = (id: string) => dir.classes.get(id)?.name ?? id;
  const sectionKeys = [...bySection.keys()].sort((a, b) => {
    if (a === 'own' || b === 'own') return a === 'own' ? 1 : -1;
    return classTitle(a.slice(6)).localeCompare(classTitle(b.slice(6)), 'ru', { numeric: true });
  });
  const sections: SectionView[] = sectionKeys.map((k) => ({
    title: k === 'own' ? 'Ваши записи' : `Класс ${classTitle(k.slice(6))}`,
    groups: groupByRule(bySection.get(k) ?? [], ctx, k === 'own'),
  }));

  // The subject names the classes concerned: a section's class, or an own entry's class.
  const classNames = [
    ...new Set([
      ...sectionKeys.filter((k) => k !== 'own').map((k) => classTitle(k.slice(6))),
      ...(bySection.get('own') ?? []).flatMap((i) =>
        i.finding.classId ? [classTitle(i.finding.classId)] : [],
      ),
    ]),
  ].sort((a, b) => a.localeCompare(b, 'ru', { numeric: true }));
  const allReminders = items.every((i) => i.previousSends > 0);
  const scope = classNames.length > 0 ? `, ${classNames.join(', ')}` : '';
  const subject = `${allReminders ? 'Напоминание. ' : ''}Электронный журнал${scope}: ${countFindings(items.length)} на ${formatLocal(asOf, zone, false)}`;
  const fresh = items.filter((i) => i.previousSends === 0).length;
  const intro =
    `По данным электронного журнала на ${asOfText} требуют исправления ${countFindings(items.length)}` +
    (fresh < items.length ? ` (новых: ${fresh}, повторно: ${items.length - fresh}).` : '.');
  const timing = `Данные на ${formatLocal(ctx.dataAt ?? asOf, zone)}; письмо отправлено ${formatLocal(ctx.sentAt ?? asOf, zone)}.`;
  return {
    subject,
    greeting: recipient.addressAs ? `Здравствуйте, ${recipient.addressAs}!` : 'Здравствуйте!',
    intro,
    timing,
    sections,
    footer:
      'Письмо сформировано автоматически по данным электронного журнала. Каждое замечание присылается один раз; ' +
      `если оно не исправлено, через ${ctx.reminderDays} дн. придёт напоминание. Исправленные замечания больше не присылаются.`,
  };
}

function groupByRule(items: DueItem[], ctx: DigestContext, own: boolean): GroupView[] {
  const byRule = new Map<string, DueItem[]>();
  for (const i of items) byRule.set(i.finding.rule, [...(byRule.get(i.finding.rule) ?? []), i]);
  const order = (r: string) =>
    (RULE_ORDER.indexOf(r) + RULE_ORDER.length + 1) % (RULE_ORDER.length + 1);
  return [...byRule.entries()]
    .sort(([a], [b]) => order(a) - order(b) || a.localeCompare(b))
    .map(([rule, list]) => ({
      rule,
      title: ruleTitle(rule),
      critical: list.some((i) => i.finding.severity === 'critical'),
      count: countFindings(list.length),
      items: list
        .slice()
        .sort(
          (a, b) =>
            (a.finding.date ?? '').localeCompare(b.finding.date ?? '') ||
            a.finding.key.localeCompare(b.finding.key),
        )
        .map((i) => itemView(i, ctx, own)),
    }));
}

function itemView(item: DueItem, ctx: DigestContext, own: boolean): ItemView {
  const { finding: f } = item;
  const { dir, zone, asOf } = ctx;
  const facts: string[] = [];
  if (f.subjectId) facts.push(`Предмет: ${dir.subjects.get(f.subjectId) ?? f.subjectId}`);
  // In the teacher's own section the teacher is the reader; elsewhere: who has to act.
  const teachers = responsibleTeachers(f);
  if (teachers.length > 0 && !own) {
    const names = teachers.map((t) => dir.persons.get(t)?.fullName ?? t).join(', ');
    facts.push(`${teachers.length > 1 ? 'Учителя' : 'Учитель'}: ${names}`);
  }
  if (f.studentId) facts.push(`Ученик: ${dir.persons.get(f.studentId)?.fullName ?? f.studentId}`);
  if (f.date) facts.push(`${f.lessonId ? 'Урок' : 'Дата'}: ${formatDate(f.date)}`);
  if (f.deadline !== null) facts.push(`Срок: ${formatLocal(f.deadline, zone)}`);
  facts.push(`Выявлено: ${formatLocal(f.firstSeenAt, zone)}`);

  const { note: fixNote, expired: fixExpired } = fixWindow(f, ctx.editingPeriodDays, zone, asOf);
  const reminderNote =
    item.previousSends > 0 && item.firstSentAt !== null
      ? `Повторно: впервые сообщено ${formatLocal(item.firstSentAt, zone, false)}`
      : null;
  return { key: f.key, message: f.message, facts, fixNote, fixExpired, reminderNote };
}

/**
 * «Можно исправить до …»: a lesson's entry can be edited in the journal for `editingPeriodDays`
 * after the lesson (alerts.editingPeriodDays); after that only the administration can. Shared by
 * the digests and the subject teacher's web page, so both give the same day.
 */
export function fixWindow(
  f: { lessonId: string | null; date: string | null },
  editingPeriodDays: number,
  zone: string,
  asOf: number,
): { note: string | null; expired: boolean; lastDay: string | null } {
  if (!f.lessonId || !f.date || editingPeriodDays <= 0) {
    return { note: null, expired: false, lastDay: null };
  }
  const lastDay = addDays(f.date.slice(0, 10), editingPeriodDays);
  const expired = asOf >= dayStart(addDays(lastDay, 1), zone);
  const note = expired
    ? `Срок редактирования в журнале истёк ${formatDate(lastDay)}: исправление — через администратора`
    : `Можно исправить до ${formatDate(lastDay)} включительно`;
  return { note, expired, lastDay };
}
