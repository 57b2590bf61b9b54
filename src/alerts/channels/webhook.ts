import { createHmac } from 'node:crypto';
import axios, { type AxiosInstance } from 'axios';
import type { AlertsConfig } from '../../config/sections/alerts.js';
import type { Logger } from '../../platform/logger.js';
import { withRetry, type Sleep } from '../retry.js';
import {
  PermanentDeliveryError,
  type AlertChannel,
  type OutgoingMessage,
  type SendResult,
} from './channel.js';

export const SIGNATURE_HEADER = 'X-Ezh-Signature';
export const TIMESTAMP_HEADER = 'X-Ezh-Timestamp';
export const DELIVERY_HEADER = 'X-Ezh-Delivery';

/** `sha256=<hex>` of HMAC-SHA256 over the exact body bytes; receivers recompute and compare in constant time. */
export function signBody(body: string, secret: string): string {
  return `sha256=${createHmac('sha256', secret).update(body, 'utf8').digest('hex')}`;
}

class WebhookHttpError extends Error {
  constructor(readonly status: number) {
    super(`webhook endpoint answered HTTP ${status}`);
  }
}

/** No answer at all, 408, 425, 429 and 5xx are retried; other statuses mean the request itself is wrong. */
function isTransientWebhookError(err: unknown): boolean {
  if (err instanceof WebhookHttpError) {
    return err.status >= 500 || err.status === 408 || err.status === 425 || err.status === 429;
  }
  return true;
}

/**
 * One JSON POST per digest, for schools that route alerts to a messenger bot. The body carries
 * `sentAt`, equal to the timestamp header, so the signature covers the time too and a receiver can
 * refuse replays; `X-Ezh-Delivery` stays the same across retries, so it can drop repeats.
 */
export function createWebhookChannel(
  alerts: Pick<AlertsConfig, 'webhook' | 'retry'>,
  logger: Logger,
  options: { sleep?: Sleep; now?: () => number; http?: AxiosInstance } = {},
): AlertChannel {
  const { url, secret, timeoutMs } = alerts.webhook;
  if (!url || !secret) throw new Error('the webhook channel needs alerts.webhook.url and a secret');
  const http = options.http ?? axios.create();
  const now = options.now ?? Date.now;

  return {
    name: 'webhook',
    needsAddress: false,
    async send(message: OutgoingMessage): Promise<SendResult> {
      const post = async () => {
        const sentAt = now();
        const body = JSON.stringify({
          ...message.payload,
          deliveryId: message.messageId,
          sentAt: new Date(sentAt).toISOString(),
        });
        const res = await http.post(url, body, {
          headers: {
            'Content-Type': 'application/json; charset=utf-8',
            [SIGNATURE_HEADER]: signBody(body, secret),
            [TIMESTAMP_HEADER]: String(Math.floor(sentAt / 1000)),
            [DELIVERY_HEADER]: message.messageId,
          },
          timeout: timeoutMs,
          // The body is sent as signed, byte for byte.
          transformRequest: [(data: unknown) => data],
          validateStatus: () => true,
          maxRedirects: 0,
        });
        if (res.status < 200 || res.status >= 300) throw new WebhookHttpError(res.status);
      };
      try {
        await withRetry(post, alerts.retry, isTransientWebhookError, {
          sleep: options.sleep,
          onRetry: (err, attempt, delayMs) =>
            logger.warn(
              { channel: 'webhook', attempt, delayMs, reason: describe(err) },
              'webhook delivery failed, retrying',
            ),
        });
        return { messageId: message.messageId };
      } catch (err) {
        if (!isTransientWebhookError(err)) {
          throw new PermanentDeliveryError(
            `webhook endpoint refused the message (${describe(err)})`,
            { cause: err },
          );
        }
        throw new Error(
          `webhook delivery failed after ${alerts.retry.attempts} attempts (${describe(err)})`,
          { cause: err },
        );
      }
    },
    async close() {},
  };
}

function describe(err: unknown): string {
  if (err instanceof WebhookHttpError) return `HTTP ${err.status}`;
  return (err as { code?: string } | null)?.code ?? 'network error';
}
