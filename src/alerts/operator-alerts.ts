import { sha1 } from '../mirror/hash.js';
import { systemClock } from '../platform/clock.js';
import { UsageError } from '../platform/errors.js';
import { formatLocal, instantToIso, instantToLocalDate } from '../platform/time.js';
import type { AlertChannel } from './channels/channel.js';
import { buildChannels } from './channels/build.js';
import { messageIdFor } from './channels/email-message.js';
import { deliveryKey, loadDeliveries, recordDeliveries } from './deliveries.js';
import { schoolZone, type AlertDeps } from './deps.js';
import { loadDirectory } from './directory.js';
import { AddressBook, type Recipient } from './recipients.js';
import { currentProblems, type Problem } from './sync-health.js';

export interface OperatorAlertResult {
  schoolId: string;
  problems: string[];
  /** Letters accepted by a channel: `<problem key>` or `<problem key>:recovered`, per recipient. */
  sent: { item: string; recipient: string; channel: string }[];
  failed: number;
}

/**
 * The ICT engineer's alerts: every sync or archive problem (sync-health.ts) once to the
 * `sync-health` subscribers through the configured channels, with what to do; and, for a failing
 * sync, one letter when it succeeds again. Once-only through the same bookkeeping as digests
 * (`alert_deliveries`, item `op:<school>:<problem key>`), so repeated checks send nothing twice.
 */
export async function sendOperatorAlerts(
  deps: AlertDeps,
  options: { schoolId?: string; asOf?: number } = {},
): Promise<OperatorAlertResult[]> {
  const { config, db, logger } = deps;
  const asOf = options.asOf ?? (deps.clock ?? systemClock).now();
  const schools = options.schoolId ? [options.schoolId] : config.schools.map((s) => s.id);
  const out: OperatorAlertResult[] = [];
  let channels: AlertChannel[] | null = null;
  try {
    for (const schoolId of schools) {
      const entries = config.alerts.subscriptions
        .filter((s) => s.document === 'sync-health' && (!s.schoolId || s.schoolId === schoolId))
        .flatMap((s) => s.to);
      const result: OperatorAlertResult = { schoolId, problems: [], sent: [], failed: 0 };
      out.push(result);
      if (entries.length === 0) continue;
      const { problems, lastRun } = await currentProblems(db, schoolId, {
        failedRuns: config.alerts.failedSyncRuns,
      });
      result.problems = problems.map((p) => p.key);
      const prefix = `op:${schoolId}:`;
      const letters: { item: string; problem: Problem; recovered: boolean }[] = problems.map(
        (p) => ({ item: `${prefix}${p.key}`, problem: p, recovered: false }),
      );
      // Recovery: a sync problem already told, gone now that the last run read the platform.
      const recovered = lastRun && (lastRun.status === 'succeeded' || lastRun.status === 'held');
      if (recovered) {
        const told = await db.query<{ item_key: string; first_sent_at: number | string }>(
          `SELECT item_key, min(first_sent_at) AS first_sent_at FROM alert_deliveries
            WHERE item_kind = 'operator' AND school_id = ? GROUP BY item_key`,
          [schoolId],
        );
        const toldKeys = new Set(told.map((t) => t.item_key));
        for (const t of told) {
          const key = t.item_key.slice(prefix.length);
          if (!/^(token|failed-runs):/.test(key) || key.endsWith(':recovered')) continue;
          if (problems.some((p) => p.key === key)) continue;
          const item = `${t.item_key}:recovered`;
          if (toldKeys.has(item)) continue;
          letters.push({
            item,
            recovered: true,
            problem: {
              kind: key.startsWith('token') ? 'token' : 'failed-runs',
              key,
              what: 'Синхронизация снова проходит успешно.',
              todo: 'Ничего делать не нужно.',
              since: Number(t.first_sent_at),
              recoverable: false,
            },
          });
        }
      }
      if (letters.length === 0) continue;

      const dir = await loadDirectory(db, schoolId);
      const { zone, label } = await letterZone(deps, schoolId);
      const book = new AddressBook(config.alerts.recipients, dir);
      const recipients = new Map<string, Recipient>();
      for (const e of entries) {
        const r = book.forSubscriber(e);
        recipients.set(r.key, r);
      }
      channels ??=
        deps.channels ?? buildChannels(config.alerts, config.alerts.channels, logger, deps.sleep);
      for (const ch of channels) {
        const history = await loadDeliveries(
          db,
          ch.name,
          letters.map((l) => l.item),
        );
        for (const letter of letters) {
          for (const recipient of recipients.values()) {
            if (history.has(deliveryKey(letter.item, recipient.key, ch.name))) continue;
            if (ch.needsAddress && !recipient.email) continue;
            const subject = letter.recovered
              ? `ezh: синхронизация восстановлена (школа ${schoolId})`
              : `ezh: требуется вмешательство — ${TITLES[letter.problem.kind]} (школа ${schoolId})`;
            const text = [
              recipient.addressAs ? `Здравствуйте, ${recipient.addressAs}!` : 'Здравствуйте!',
              '',
              letter.problem.what,
              letter.recovered
                ? `Проблема, о которой сообщалось ${formatLocal(letter.problem.since, zone)}${label}, устранена.`
                : `С ${formatLocal(letter.problem.since, zone)}${label}.`,
              '',
              `Что сделать: ${letter.problem.todo}`,
              '',
              '--',
              'Письмо сформировано ezh автоматически; о каждой проблеме оно приходит один раз.',
              '',
            ].join('\n');
            const hash = sha1([letter.item, recipient.key, ch.name].join('|'));
            try {
              const sent = await ch.send({
                to: recipient.email,
                recipientName: recipient.name,
                subject,
                text,
                html: null,
                messageId: messageIdFor(hash, config.alerts.smtp.from),
                date: (deps.clock ?? systemClock).now(),
                fileStem: `${instantToLocalDate(asOf, zone)}_${schoolId}_operator_${hash.slice(0, 8)}`,
                attachments: [],
                payload: {
                  type: letter.recovered ? 'ezh.operator.recovered' : 'ezh.operator.problem',
                  schoolId,
                  problem: letter.problem.kind,
                  key: letter.problem.key,
                  since: instantToIso(letter.problem.since),
                  subject,
                  text,
                },
              });
              await recordDeliveries(db, [
                {
                  itemKey: letter.item,
                  itemKind: 'operator',
                  recipient: recipient.key,
                  channel: ch.name,
                  schoolId,
                  sentAt: asOf,
                  messageId: sent.messageId,
                },
              ]);
              result.sent.push({ item: letter.item, recipient: recipient.key, channel: ch.name });
              logger.info(
                { schoolId, channel: ch.name, recipient: recipient.key, problem: letter.item },
                'operator alert delivered',
              );
            } catch (err) {
              result.failed++;
              logger.error(
                {
                  schoolId,
                  channel: ch.name,
                  recipient: recipient.key,
                  problem: letter.item,
                  reason: (err as Error).message,
                },
                'operator alert not delivered; it will be tried again',
              );
            }
          }
        }
      }
    }
  } finally {
    if (!deps.channels && channels) await Promise.all(channels.map((c) => c.close()));
  }
  return out;
}

const TITLES: Record<Problem['kind'], string> = {
  token: 'платформа не принимает токен',
  'failed-runs': 'синхронизация не удаётся',
  'mass-deletion': 'удержано массовое удаление',
  quarantine: 'записи в карантине',
  archive: 'архив не прошёл проверку',
};

/**
 * The zone an operator letter states its times in: the school's. A school whose very first sync
 * failed (a refused token, say) has no zone yet, and that is just when the ICT engineer must hear
 * of it: its letter goes out with UTC times, said so.
 */
async function letterZone(
  deps: Pick<AlertDeps, 'db' | 'config'>,
  schoolId: string,
): Promise<{ zone: string; label: string }> {
  try {
    return { zone: await schoolZone(deps, schoolId), label: '' };
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    return { zone: 'UTC', label: ' (UTC)' };
  }
}
