import MailComposer from 'nodemailer/lib/mail-composer/index.js';
import type Mail from 'nodemailer/lib/mailer/index.js';
import type { OutgoingMessage } from './channel.js';
import { encodeHeaderWords } from './header-words.js';

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
    ...(message.date !== undefined ? { date: new Date(message.date) } : {}),
    attachments: message.attachments.map((a) => ({ filename: a.filename, path: a.path })),
    headers: { 'Auto-Submitted': 'auto-generated', 'X-Auto-Response-Suppress': 'All' },
    textEncoding: 'base64',
  };
}

/**
 * The message as the channels send it: composed by the mail library, then its To and Subject
 * headers replaced by the same text encoded word by word (header-words.ts), so that no encoded
 * word cuts a word of a recipient's name or of the subject. Sent as `raw` with its envelope.
 */
export async function toRawMail(message: OutgoingMessage, from: string): Promise<Mail.Options> {
  const mail = toMail(message, from);
  const built = await new MailComposer(mail).compile().build();
  const name = encodeHeaderWords(message.recipientName);
  const subject = encodeHeaderWords(message.subject);
  const raw = replaceHeaders(built.toString('utf8'), {
    ...(name ? { to: `${name} <${message.to}>` } : {}),
    ...(subject ? { subject } : {}),
  });
  return {
    envelope: { from: addressOf(from), to: [message.to as string] },
    raw,
    messageId: message.messageId,
  };
}

/** Replaces whole header fields (with their folded lines) of a CRLF message; names in lower case. */
function replaceHeaders(raw: string, values: Record<string, string>): string {
  const end = raw.indexOf('\r\n\r\n');
  const head = raw.slice(0, end);
  const fields = head.split(/\r\n(?![ \t])/);
  const out = fields.map((field) => {
    const key = field.slice(0, field.indexOf(':')).trim().toLowerCase();
    const value = values[key];
    return value === undefined ? field : `${field.slice(0, field.indexOf(':'))}: ${value}`;
  });
  return `${out.join('\r\n')}${raw.slice(end)}`;
}

/** The bare address of a sender such as `"ЭЖ школы № 5" <ezh@school5.ru>`. */
function addressOf(from: string): string {
  return /<([^<>]+)>\s*$/.exec(from)?.[1] ?? from.trim();
}

/** `<id@domain>` using the sender's domain, so relays that check Message-ID domains accept it. */
export function messageIdFor(contentHash: string, from: string | undefined): string {
  const domain = /@([A-Za-z0-9.-]+)>?\s*$/.exec(from ?? '')?.[1] ?? 'ezh.invalid';
  return `<${contentHash}@${domain}>`;
}
