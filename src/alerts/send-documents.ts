import { basename } from 'node:path';
import type { SubscriptionDocument } from '../config/sections/alerts.js';
import { sha1 } from '../mirror/hash.js';
import { systemClock } from '../platform/clock.js';
import { UsageError } from '../platform/errors.js';
import { formatLocal, instantToLocalDate } from '../platform/time.js';
import type { AlertChannel } from './channels/channel.js';
import { buildChannels } from './channels/build.js';
import { messageIdFor } from './channels/email-message.js';
import { loadDeliveries, recordDeliveries, deliveryKey } from './deliveries.js';
import { schoolZone, type AlertDeps } from './deps.js';
import { loadDirectory } from './directory.js';
import { AddressBook, type Recipient } from './recipients.js';
import { renderDocumentLetter } from './render.js';

/** Documents `ezh alerts reports` renders itself, through the injected renderer. */
export type ReportKind = 'audit' | 'performance';

/** Renders a document and returns the PDF's path (the reports module's job; injected). */
export type DocumentRenderer = (
  kind: ReportKind,
  opts: { schoolId: string; asOf: number; period?: string; from?: number },
) => Promise<string>;

/** «Справка … за период с 01.12.2026 по 11.12.2026»: the 10-day note (004 §5.2). */
export function auditRangeTitle(from: number, to: number, zone: string): string {
  return `Справка по итогам проверки электронного журнала за период с ${formatLocal(from, zone, false)} по ${formatLocal(to, zone, false)}`;
}

export interface DeliverDocumentOptions {
  schoolId: string;
  document: SubscriptionDocument;
  /** What makes this edition distinct: the as-of date of an audit note, a period name, a month. */
  edition: string;
  /** Russian title: the subject line and the letter's text. */
  title: string;
  /** Produces the attachments; called only when some subscriber is still to receive this edition. */
  files: () => Promise<string[]>;
  /**
   * The letter's own content (a summary that is no PDF: sync health, the archive's state), line by
   * line; called like `files`. Absent: the letter only announces its attachments.
   */
  lines?: () => Promise<string[]>;
  asOf: number;
  dryRun?: boolean;
  /**
   * A class id: the edition is that class's document (the weekly sheet), mailed to its class
   * teachers as well as to the subscribers; no other class's teacher is added.
   */
  classTeachersOf?: string;
}

export interface DocumentDelivery {
  channel: string;
  recipient: { key: string; name: string; email: string | null };
  status: 'sent' | 'failed' | 'dry-run' | 'no-address';
  messageId?: string;
  path?: string;
  error?: string;
}

export interface DocumentRunResult {
  schoolId: string;
  document: SubscriptionDocument;
  edition: string;
  /** Attachments, when they had to be produced. */
  files: string[];
  deliveries: DocumentDelivery[];
  /** Subscribers who already had this edition. */
  alreadySent: number;
}

/**
 * Mails one edition of a document to its subscribers (`alerts.subscriptions`), once per
 * subscriber and channel: the same bookkeeping as findings, keyed by
 * `doc:<school>:<document>:<edition>`. The archive and sync-health summaries come through here
 * too. Only e-mail channels carry documents (a webhook gets no PDFs).
 */
export async function deliverDocument(
  deps: AlertDeps,
  opts: DeliverDocumentOptions,
): Promise<DocumentRunResult> {
  const { config, db, logger } = deps;
  const itemKey = `doc:${opts.schoolId}:${opts.document}:${opts.edition}`;
  const result: DocumentRunResult = {
    schoolId: opts.schoolId,
    document: opts.document,
    edition: opts.edition,
    files: [],
    deliveries: [],
    alreadySent: 0,
  };
  const entries = config.alerts.subscriptions
    .filter((s) => s.document === opts.document && (!s.schoolId || s.schoolId === opts.schoolId))
    .flatMap((s) => s.to);
  // The monthly activity report is the deputy director's (001 §3.2.1): the configured name is a
  // subscriber (its address from `alerts.recipients` or the mirror), once even when also listed.
  const deputy =
    opts.document === 'activity'
      ? config.schools.find((s) => s.id === opts.schoolId)?.deputyDirector
      : undefined;
  if (entries.length === 0 && !deputy) return result;

  const dir = await loadDirectory(db, opts.schoolId);
  const book = new AddressBook(config.alerts.recipients, dir);
  const subscribers = new Map<string, Recipient>();
  for (const entry of entries) {
    const r = book.forSubscriber(entry);
    subscribers.set(r.key, r);
  }
  // A class's document (personal data of its students) also goes to that class's own teachers.
  for (const teacherId of opts.classTeachersOf !== undefined
    ? (dir.classTeachers.get(opts.classTeachersOf) ?? [])
    : []) {
    const r = book.forPerson(teacherId);
    subscribers.set(r.key, r);
  }
  if (deputy) {
    const r = book.forSubscriber(deputy);
    const same = (x: Recipient) =>
      x.key === r.key || (r.email !== null && x.email?.toLowerCase() === r.email.toLowerCase());
    if (![...subscribers.values()].some(same)) subscribers.set(r.key, r);
  }

  const channels: { name: AlertChannel['name']; channel: AlertChannel | null }[] = deps.channels
    ? deps.channels.filter((c) => c.needsAddress).map((c) => ({ name: c.name, channel: c }))
    : (() => {
        const names = config.alerts.channels.filter((n) => n !== 'webhook');
        if (opts.dryRun) return names.map((name) => ({ name, channel: null }));
        return buildChannels(config.alerts, names, logger, deps.sleep).map((c) => ({
          name: c.name,
          channel: c,
        }));
      })();

  try {
    const pending: { channel: (typeof channels)[number]; recipient: Recipient }[] = [];
    for (const ch of channels) {
      const history = await loadDeliveries(db, ch.name, [itemKey]);
      for (const recipient of subscribers.values()) {
        if (history.has(deliveryKey(itemKey, recipient.key, ch.name))) result.alreadySent++;
        else pending.push({ channel: ch, recipient });
      }
    }
    if (pending.length === 0) return result;
    const ready = pending.filter((p) => p.recipient.email);
    for (const p of pending) {
      if (!p.recipient.email) {
        result.deliveries.push({
          channel: p.channel.name,
          recipient: summary(p.recipient),
          status: 'no-address',
        });
      }
    }
    if (opts.dryRun) {
      for (const p of ready) {
        result.deliveries.push({
          channel: p.channel.name,
          recipient: summary(p.recipient),
          status: 'dry-run',
        });
      }
      return result;
    }
    if (ready.length === 0) return result;

    result.files = await opts.files();
    const content = (await opts.lines?.()) ?? [];
    const zone = await schoolZone(deps, opts.schoolId);
    for (const { channel: ch, recipient } of ready) {
      const hash = sha1([itemKey, recipient.key, ch.name].join('|'));
      const made = `сформировано ${formatLocal(opts.asOf, zone)}`;
      const text = renderDocumentLetter({
        greeting: recipient.addressAs ? `Здравствуйте, ${recipient.addressAs}!` : 'Здравствуйте!',
        intro:
          result.files.length > 0
            ? `Во вложении: ${opts.title} (${made}).`
            : `${opts.title} (${made}).\n\n${content.join('\n')}`,
        files: result.files.map((f) => basename(f)),
        footer:
          'Письмо сформировано автоматически по данным электронного журнала; этот документ присылается один раз.',
      });
      const delivery: DocumentDelivery = {
        channel: ch.name,
        recipient: summary(recipient),
        status: 'failed',
      };
      result.deliveries.push(delivery);
      try {
        const sent = await ch.channel!.send({
          to: recipient.email,
          recipientName: recipient.name,
          subject: opts.title,
          text,
          html: null,
          messageId: messageIdFor(hash, config.alerts.smtp.from),
          fileStem: `${instantToLocalDate(opts.asOf, zone)}_${opts.schoolId}_${opts.document}_${hash.slice(0, 8)}`,
          attachments: result.files.map((path) => ({ filename: basename(path), path })),
          payload: {},
        });
        await recordDeliveries(db, [
          {
            itemKey,
            itemKind: 'document',
            recipient: recipient.key,
            channel: ch.name,
            schoolId: opts.schoolId,
            sentAt: opts.asOf,
            messageId: sent.messageId,
          },
        ]);
        delivery.status = 'sent';
        delivery.messageId = sent.messageId;
        if (sent.path) delivery.path = sent.path;
        logger.info(
          {
            schoolId: opts.schoolId,
            document: opts.document,
            channel: ch.name,
            recipient: recipient.key,
          },
          'document delivered',
        );
      } catch (err) {
        delivery.error = (err as Error).message;
        logger.error(
          {
            schoolId: opts.schoolId,
            document: opts.document,
            channel: ch.name,
            recipient: recipient.key,
            reason: delivery.error,
          },
          'document not delivered; it will be tried again next run',
        );
      }
    }
    return result;
  } finally {
    if (!deps.channels) await Promise.all(channels.map((c) => c.channel?.close()));
  }
}

export interface SendReportsOptions {
  kind: ReportKind;
  /** Start of the range an audit note covers (the previous 10-day occurrence); absent: as of only. */
  from?: number;
  /** Required for `performance`: the reporting period's name (e.g. «1 четверть»). */
  period?: string;
  asOf?: number;
  dryRun?: boolean;
  schoolId?: string;
}

/** `ezh alerts reports`: renders the audit note or the period results once per school and mails them to subscribers. */
export async function sendReports(
  deps: AlertDeps & { render: DocumentRenderer },
  opts: SendReportsOptions,
): Promise<DocumentRunResult[]> {
  if (opts.kind === 'performance' && !opts.period) {
    throw new UsageError('--period is required for the performance report', [
      '--period: e.g. "1 четверть"',
    ]);
  }
  const asOf = opts.asOf ?? (deps.clock ?? systemClock).now();
  const schools = opts.schoolId
    ? [opts.schoolId]
    : deps.config.schools.length > 0
      ? deps.config.schools.map((s) => s.id)
      : (
          await deps.db.query<{ id: string }>(
            `SELECT DISTINCT id FROM schools WHERE deleted_at IS NULL ORDER BY id`,
          )
        ).map((r) => r.id);
  const out: DocumentRunResult[] = [];
  for (const schoolId of schools) {
    const zone = await schoolZone(deps, schoolId);
    const date = instantToLocalDate(asOf, zone);
    const audit = opts.kind === 'audit';
    const from = audit ? opts.from : undefined;
    const edition = audit
      ? from !== undefined
        ? `${instantToLocalDate(from, zone)}..${date}`
        : date
      : (opts.period as string);
    const title = !audit
      ? `Итоги успеваемости за период «${opts.period}»`
      : from !== undefined
        ? auditRangeTitle(from, asOf, zone)
        : `Справка по итогам проверки электронного журнала на ${formatLocal(asOf, zone, false)}`;
    out.push(
      await deliverDocument(deps, {
        schoolId,
        document: opts.kind,
        edition,
        title,
        asOf,
        dryRun: opts.dryRun,
        files: async () => [
          await deps.render(opts.kind, {
            schoolId,
            asOf,
            ...(opts.period ? { period: opts.period } : {}),
            ...(from !== undefined ? { from } : {}),
          }),
        ],
      }),
    );
  }
  return out;
}

function summary(r: Recipient): DocumentDelivery['recipient'] {
  return { key: r.key, name: r.name, email: r.email };
}
