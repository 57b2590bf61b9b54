import { sha1 } from '../mirror/hash.js';
import { instantToIso, instantToLocalDate } from '../platform/time.js';
import type { OutgoingMessage } from './channels/channel.js';
import { messageIdFor } from './channels/email-message.js';
import type { DigestView } from './digest-model.js';
import type { Directory } from './directory.js';
import type { Recipient } from './recipients.js';
import { renderDigest } from './render.js';
import { ruleTitle } from './rules.js';
import type { DueItem } from './selection.js';

export interface ComposeContext {
  schoolId: string;
  channel: string;
  asOf: number;
  /** The send time: the e-mail's Date header. */
  sentAt?: number;
  zone: string;
  from: string | undefined;
  dir: Directory;
}

/**
 * Turns a digest into the message every channel sends. The Message-ID depends only on who gets
 * which items in which state, so the one duplicate a crash can cause carries the same id.
 */
export function composeDigestMessage(
  recipient: Recipient,
  items: readonly DueItem[],
  view: DigestView,
  ctx: ComposeContext,
): OutgoingMessage {
  const rendered = renderDigest(view);
  const hash = sha1(
    [
      ctx.schoolId,
      recipient.key,
      ctx.channel,
      ...items.map((i) => `${i.finding.key}#${i.previousSends}`).sort(),
    ].join('|'),
  );
  const itemViews = new Map(
    view.sections.flatMap((s) => s.groups.flatMap((g) => g.items)).map((i) => [i.key, i]),
  );
  const name = (id: string | null, map: Map<string, string>) => (id ? (map.get(id) ?? null) : null);
  const subjects = ctx.dir.subjects;
  const personName = (id: string | null) =>
    id ? (ctx.dir.persons.get(id)?.fullName ?? null) : null;
  return {
    to: recipient.email,
    recipientName: recipient.name,
    subject: rendered.subject,
    text: rendered.text,
    html: rendered.html,
    messageId: messageIdFor(hash, ctx.from),
    ...(ctx.sentAt !== undefined ? { date: ctx.sentAt } : {}),
    fileStem: `${instantToLocalDate(ctx.asOf, ctx.zone)}_${ctx.schoolId}_${recipient.key.replace(/[^A-Za-z0-9]+/g, '-')}_${hash.slice(0, 8)}`,
    attachments: [],
    payload: {
      type: 'ezh.alerts.digest',
      schoolId: ctx.schoolId,
      asOf: instantToIso(ctx.asOf),
      recipient: { key: recipient.key, personId: recipient.personId, name: recipient.name },
      subject: rendered.subject,
      text: rendered.text,
      items: items.map((i) => {
        const f = i.finding;
        return {
          key: f.key,
          rule: f.rule,
          title: ruleTitle(f.rule),
          severity: f.severity,
          classId: f.classId,
          className: f.classId ? (ctx.dir.classes.get(f.classId)?.name ?? null) : null,
          subjectId: f.subjectId,
          subjectName: name(f.subjectId, subjects),
          teacherId: f.teacherId,
          teacherName: personName(f.teacherId),
          studentId: f.studentId,
          studentName: personName(f.studentId),
          lessonId: f.lessonId,
          date: f.date,
          deadline: instantToIso(f.deadline),
          firstSeenAt: instantToIso(f.firstSeenAt),
          message: f.message,
          fixNote: itemViews.get(f.key)?.fixNote ?? null,
          reminder: i.previousSends,
        };
      }),
    },
  };
}
