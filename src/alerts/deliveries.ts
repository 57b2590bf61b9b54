import { chunk, placeholders, type SqlDb, type SqlExecutor } from '../mirror/sql.js';

/**
 * The `alert_deliveries` bookkeeping: one row per (item, recipient, channel), where an item is a
 * finding (its key) or a document edition (`doc:...`). A row is written only after the channel
 * accepted the message, in one transaction per message, so a restart or a repeated job never
 * sends an item twice. The only window is a crash between the channel's acceptance and this
 * write: the next run sends that one message again (at most one duplicate; e-mails keep the same
 * Message-ID, so most clients collapse it).
 */

export type ItemKind = 'finding' | 'document' | 'operator';

export interface DeliveryState {
  firstSentAt: number;
  lastSentAt: number;
  count: number;
}

export interface DeliveryWrite {
  itemKey: string;
  itemKind: ItemKind;
  recipient: string;
  channel: string;
  schoolId: string;
  sentAt: number;
  messageId: string | null;
}

const LOOKUP_CHUNK = 400;

export function deliveryKey(itemKey: string, recipient: string, channel: string): string {
  return `${itemKey}\u0000${recipient}\u0000${channel}`;
}

/** What was already sent through `channel` for these items, keyed by `deliveryKey`. */
export async function loadDeliveries(
  db: SqlExecutor,
  channel: string,
  itemKeys: readonly string[],
): Promise<Map<string, DeliveryState>> {
  const out = new Map<string, DeliveryState>();
  for (const part of chunk([...new Set(itemKeys)], LOOKUP_CHUNK)) {
    const rows = await db.query<{
      item_key: string;
      recipient: string;
      first_sent_at: number | string;
      last_sent_at: number | string;
      count: number | string;
    }>(
      `SELECT item_key, recipient, first_sent_at, last_sent_at, count FROM alert_deliveries
        WHERE channel = ? AND item_key IN (${placeholders(part.length)})`,
      [channel, ...part],
    );
    for (const r of rows) {
      out.set(deliveryKey(r.item_key, r.recipient, channel), {
        firstSentAt: Number(r.first_sent_at),
        lastSentAt: Number(r.last_sent_at),
        count: Number(r.count),
      });
    }
  }
  return out;
}

/** Records one accepted message's items; `count` grows with every reminder. */
export async function recordDeliveries(db: SqlDb, writes: readonly DeliveryWrite[]): Promise<void> {
  if (writes.length === 0) return;
  await db.transaction(async (tx) => {
    for (const w of writes) {
      await tx.run(
        `INSERT INTO alert_deliveries
           (item_key, item_kind, recipient, channel, school_id, first_sent_at, last_sent_at, count, message_id)
         VALUES (?, ?, ?, ?, ?, ?, ?, 1, ?)
         ON CONFLICT (item_key, recipient, channel) DO UPDATE SET
           last_sent_at = excluded.last_sent_at,
           count = alert_deliveries.count + 1,
           message_id = excluded.message_id`,
        [
          w.itemKey,
          w.itemKind,
          w.recipient,
          w.channel,
          w.schoolId,
          w.sentAt,
          w.sentAt,
          w.messageId,
        ],
      );
    }
  });
}
