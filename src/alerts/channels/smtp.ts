import nodemailer from 'nodemailer';
import type { AlertsConfig } from '../../config/sections/alerts.js';
import type { Logger } from '../../platform/logger.js';
import { withRetry, type Sleep } from '../retry.js';
import {
  PermanentDeliveryError,
  type AlertChannel,
  type OutgoingMessage,
  type SendResult,
} from './channel.js';
import { toRawMail } from './email-message.js';

/** Network-level failures a new connection may not meet again. */
const TRANSIENT_CODES = new Set([
  'ECONNECTION',
  'ETIMEDOUT',
  'ESOCKET',
  'EDNS',
  'ECONNRESET',
  'EPIPE',
  'ECONNREFUSED',
]);

/** 4xx replies (451 local error, 421 service closing, 452 storage) and dropped connections are worth retrying; 5xx are not. */
export function isTransientSmtpError(err: unknown): boolean {
  const e = err as { responseCode?: number; code?: string } | null;
  if (e?.responseCode !== undefined) return e.responseCode >= 400 && e.responseCode < 500;
  return e?.code !== undefined && TRANSIENT_CODES.has(e.code);
}

/**
 * SMTP through nodemailer. No connection pool: each message opens its own connection, so a relay
 * that drops one connection costs one retry of one message and nothing else.
 */
export function createSmtpChannel(
  alerts: Pick<AlertsConfig, 'smtp' | 'retry'>,
  logger: Logger,
  sleep?: Sleep,
): AlertChannel {
  const { smtp } = alerts;
  const transport = nodemailer.createTransport({
    host: smtp.host,
    port: smtp.port,
    secure: smtp.secure,
    requireTLS: !smtp.secure && smtp.starttls === 'required',
    ignoreTLS: !smtp.secure && smtp.starttls === 'off',
    ...(smtp.user ? { auth: { user: smtp.user, pass: smtp.password ?? '' } } : {}),
    connectionTimeout: smtp.connectionTimeoutMs,
    greetingTimeout: smtp.connectionTimeoutMs,
    socketTimeout: smtp.connectionTimeoutMs,
    tls: { rejectUnauthorized: smtp.rejectUnauthorized },
    // nodemailer's own logger would print addresses: ezh logs what it needs itself.
    logger: false,
    debug: false,
  });
  const from = smtp.from ?? '';

  return {
    name: 'smtp',
    needsAddress: true,
    async send(message: OutgoingMessage): Promise<SendResult> {
      const mail = await toRawMail(message, from);
      try {
        const info = await withRetry(
          () => transport.sendMail(mail),
          alerts.retry,
          isTransientSmtpError,
          {
            sleep,
            onRetry: (err, attempt, delayMs) =>
              logger.warn(
                { channel: 'smtp', attempt, delayMs, code: smtpCode(err) },
                'SMTP delivery failed transiently, retrying',
              ),
          },
        );
        return { messageId: (info.messageId as string | undefined) ?? message.messageId };
      } catch (err) {
        if (!isTransientSmtpError(err)) {
          throw new PermanentDeliveryError(`SMTP relay refused the message (${smtpCode(err)})`, {
            cause: err,
          });
        }
        throw new Error(
          `SMTP delivery failed after ${alerts.retry.attempts} attempts (${smtpCode(err)})`,
          {
            cause: err,
          },
        );
      }
    },
    async close() {
      transport.close();
    },
  };
}

/** The reply code or error code only: SMTP replies may quote the recipient's address. */
function smtpCode(err: unknown): string {
  const e = err as { responseCode?: number; code?: string } | null;
  return String(e?.responseCode ?? e?.code ?? 'unknown');
}
