import type Mail from 'nodemailer/lib/mailer/index.js';
import type { OutgoingMessage } from './channel.js';

/** Fallback sender of channels that do not need a relay (the file channel in the demo). */
export const DEFAULT_FROM = '"ezh" <ezh@localhost.invalid>';

/** The nodemailer form of a message, shared by the SMTP and file channels so both produce the same e-mail. */
export function toMail(message: OutgoingMessage, from: string): Mail.Options {
  if (!message.to) throw new Error('an e-mail channel was given a recipient without an address');
  return {
    from,
    to: { name: message.recipientName, address: message.to },
    subject: message.subject,
    text: message.text,
    ...(message.html ? { html: message.html } : {}),
    messageId: message.messageId,
    attachments: message.attachments.map((a) => ({ filename: a.filename, path: a.path })),
    headers: { 'Auto-Submitted': 'auto-generated', 'X-Auto-Response-Suppress': 'All' },
    textEncoding: 'base64',
  };
}

/** `<id@domain>` using the sender's domain, so relays that check Message-ID domains accept it. */
export function messageIdFor(contentHash: string, from: string | undefined): string {
  const domain = /@([A-Za-z0-9.-]+)>?\s*$/.exec(from ?? '')?.[1] ?? 'ezh.invalid';
  return `<${contentHash}@${domain}>`;
}
