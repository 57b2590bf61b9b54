import { deliveryKey, type DeliveryState } from './deliveries.js';
import type { RoutedItem, RoutedRecipient } from './routing.js';

const DAY_MS = 24 * 60 * 60 * 1000;
/**
 * A scheduled run may start a little earlier than the one it is compared with (13:00:01 after
 * 13:00:04): a reminder due "in three days" must not slip to the fourth because of seconds.
 */
const REMINDER_SLACK_MS = 60 * 60 * 1000;

export interface DueItem extends RoutedItem {
  /** How many times this item already went to this recipient through this channel (0: new). */
  previousSends: number;
  firstSentAt: number | null;
}

export interface DueDigest {
  recipient: RoutedRecipient['recipient'];
  items: DueItem[];
}

/**
 * Once, then reminders: an item never sent goes out; an item sent before goes out again only when
 * `reminderDays` have passed since its last send (times are run as-of instants). `history` null
 * selects everything (a preview that neither reads nor writes the bookkeeping).
 */
export function selectDue(
  routed: readonly RoutedRecipient[],
  history: Map<string, DeliveryState> | null,
  channel: string,
  asOf: number,
  reminderDays: number,
): DueDigest[] {
  const period = reminderDays * DAY_MS;
  const reminderMs = period - Math.min(REMINDER_SLACK_MS, period / 24);
  const out: DueDigest[] = [];
  for (const { recipient, items } of routed) {
    const due: DueItem[] = [];
    for (const item of items) {
      const prev = history?.get(deliveryKey(item.finding.key, recipient.key, channel));
      if (!prev) due.push({ ...item, previousSends: 0, firstSentAt: null });
      else if (asOf - prev.lastSentAt >= reminderMs) {
        due.push({ ...item, previousSends: prev.count, firstSentAt: prev.firstSentAt });
      }
    }
    if (due.length > 0) out.push({ recipient, items: due });
  }
  return out;
}
