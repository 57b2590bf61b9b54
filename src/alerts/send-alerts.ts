import { waivedFindingKeys } from '../checks/finding-actions.js';
import { systemClock } from '../platform/clock.js';
import type { AlertChannel } from './channels/channel.js';
import { buildChannels } from './channels/build.js';
import { composeDigestMessage } from './compose.js';
import { loadDeliveries, recordDeliveries } from './deliveries.js';
import { buildDigestView } from './digest-model.js';
import { loadDirectory } from './directory.js';
import { schoolZone, type AlertDeps } from './deps.js';
import { dataTimeOf, loadOpenFindings, schoolsWithOpenFindings } from './open-findings.js';
import { AddressBook, type Recipient } from './recipients.js';
import { routeFindings } from './routing.js';
import { selectDue } from './selection.js';

export interface SendAlertsOptions {
  /** The instant evaluated and recorded as the send time; default the clock's now. */
  asOf?: number;
  /** Plan and render, print what would go to whom; send and record nothing. */
  dryRun?: boolean;
  /** One school; default every configured school (or, with none configured, every school with findings). */
  schoolId?: string;
  /**
   * Preview: select every open finding regardless of what was sent, and record nothing (the demo).
   * `addressFallback` gives recipients without an address a placeholder so the preview shows them.
   */
  preview?: { addressFallback?: (recipient: Recipient) => string };
}

export type DigestStatus = 'sent' | 'failed' | 'dry-run' | 'no-address';

export interface DigestOutcome {
  schoolId: string;
  channel: string;
  recipient: { key: string; name: string; email: string | null };
  status: DigestStatus;
  /** Findings per rule in this digest. */
  rules: Record<string, number>;
  newCount: number;
  reminderCount: number;
  subject: string | null;
  messageId?: string;
  /** File channel: the written .eml. */
  path?: string;
  error?: string;
}

export interface AlertRunResult {
  asOf: number;
  dryRun: boolean;
  digests: DigestOutcome[];
  sent: number;
  failed: number;
  noAddress: number;
  /** Open findings of rules no audience is configured for, per rule. */
  unrouted: Record<string, number>;
}

/**
 * The alerts job: for each school, the open findings are routed to class teachers (and subject
 * teachers when configured), filtered to what each recipient has not been sent yet (or is due
 * for a reminder), and sent as one digest per recipient per channel. Each accepted message is
 * recorded at once; a failed one is left unrecorded and tried again next run.
 */
export async function sendAlerts(
  deps: AlertDeps,
  options: SendAlertsOptions = {},
): Promise<AlertRunResult> {
  const { config, db, logger } = deps;
  const asOf = options.asOf ?? (deps.clock ?? systemClock).now();
  const dryRun = options.dryRun ?? false;
  const preview = options.preview;
  const result: AlertRunResult = {
    asOf,
    dryRun,
    digests: [],
    sent: 0,
    failed: 0,
    noAddress: 0,
    unrouted: {},
  };

  const schools = options.schoolId
    ? [options.schoolId]
    : config.schools.length > 0
      ? config.schools.map((s) => s.id)
      : await schoolsWithOpenFindings(db);
  // A dry run needs no working channel, only the names: nothing is built that could fail on config.
  const channels: {
    name: AlertChannel['name'];
    needsAddress: boolean;
    channel: AlertChannel | null;
  }[] =
    deps.channels?.map((c) => ({ name: c.name, needsAddress: c.needsAddress, channel: c })) ??
    (dryRun
      ? config.alerts.channels.map((name) => ({
          name,
          needsAddress: name !== 'webhook',
          channel: null,
        }))
      : buildChannels(config.alerts, config.alerts.channels, logger, deps.sleep).map((c) => ({
          name: c.name,
          needsAddress: c.needsAddress,
          channel: c,
        })));

  try {
    for (const schoolId of schools) {
      // A waived finding is not sent (it stays in the справка as «снято»); acknowledged ones are.
      const waived = await waivedFindingKeys(db, schoolId);
      const findings = (await loadOpenFindings(db, schoolId, asOf)).filter(
        (f) => !waived.has(f.key),
      );
      if (findings.length === 0) continue;
      const dir = await loadDirectory(db, schoolId);
      const zone = await schoolZone(deps, schoolId);
      const dataAt = await dataTimeOf(db, schoolId, asOf);
      const book = new AddressBook(config.alerts.recipients, dir);
      const routing = routeFindings(findings, dir, book, config.alerts);
      for (const [rule, n] of routing.unrouted) {
        result.unrouted[rule] = (result.unrouted[rule] ?? 0) + n;
      }

      for (const ch of channels) {
        const history = preview
          ? null
          : await loadDeliveries(
              db,
              ch.name,
              findings.map((f) => f.key),
            );
        const due = selectDue(
          routing.recipients,
          history,
          ch.name,
          asOf,
          config.alerts.reminderDays,
        );
        for (const { recipient: r, items } of due) {
          const recipient =
            !r.email && preview?.addressFallback ? { ...r, email: preview.addressFallback(r) } : r;
          const rules: Record<string, number> = {};
          for (const i of items) rules[i.finding.rule] = (rules[i.finding.rule] ?? 0) + 1;
          const outcome: DigestOutcome = {
            schoolId,
            channel: ch.name,
            recipient: { key: recipient.key, name: recipient.name, email: recipient.email },
            status: 'dry-run',
            rules,
            newCount: items.filter((i) => i.previousSends === 0).length,
            reminderCount: items.filter((i) => i.previousSends > 0).length,
            subject: null,
          };
          result.digests.push(outcome);
          if (ch.needsAddress && !recipient.email) {
            outcome.status = 'no-address';
            result.noAddress++;
            continue;
          }
          const sentAt = (deps.clock ?? systemClock).now();
          const view = buildDigestView(recipient, items, {
            dir,
            zone,
            asOf,
            dataAt,
            sentAt,
            editingPeriodDays: config.alerts.editingPeriodDays,
            reminderDays: config.alerts.reminderDays,
          });
          outcome.subject = view.subject;
          if (dryRun || !ch.channel) continue;
          const message = composeDigestMessage(recipient, items, view, {
            schoolId,
            channel: ch.name,
            asOf,
            sentAt,
            zone,
            from: config.alerts.smtp.from,
            dir,
          });
          try {
            const sent = await ch.channel.send(message);
            if (!preview) {
              await recordDeliveries(
                db,
                items.map((i) => ({
                  itemKey: i.finding.key,
                  itemKind: 'finding' as const,
                  recipient: recipient.key,
                  channel: ch.name,
                  schoolId,
                  sentAt: asOf,
                  messageId: sent.messageId,
                })),
              );
            }
            outcome.status = 'sent';
            outcome.messageId = sent.messageId;
            if (sent.path) outcome.path = sent.path;
            result.sent++;
            logger.info(
              { schoolId, channel: ch.name, recipient: recipient.key, items: items.length },
              'alert digest delivered',
            );
          } catch (err) {
            outcome.status = 'failed';
            outcome.error = (err as Error).message;
            result.failed++;
            logger.error(
              {
                schoolId,
                channel: ch.name,
                recipient: recipient.key,
                items: items.length,
                reason: outcome.error,
              },
              'alert digest not delivered; it will be tried again next run',
            );
          }
        }
      }
    }
  } finally {
    if (!deps.channels) await Promise.all(channels.map((c) => c.channel?.close()));
  }
  const noAddress = result.digests.filter((d) => d.status === 'no-address').length;
  if (noAddress > 0) {
    logger.warn(
      { recipients: noAddress },
      'some recipients have no e-mail address: add them to alerts.recipients',
    );
  }
  if (Object.keys(result.unrouted).length > 0) {
    logger.warn(
      { rules: Object.keys(result.unrouted) },
      'findings of rules with no alert audience were not sent',
    );
  }
  return result;
}
