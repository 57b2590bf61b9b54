import { SMTPServer, type SMTPServerDataStream, type SMTPServerSession } from 'smtp-server';

/**
 * A real SMTP server in-process on 127.0.0.1 (random port), recording what it accepted, with a
 * hook to refuse or drop individual DATA transactions. Plus a small MIME reader written
 * independently of nodemailer, so that tests check what a mail client would decode.
 */

export interface ReceivedMail {
  from: string;
  to: string[];
  raw: string;
  mail: ParsedMail;
}

/** What the server does with the n-th DATA transaction (0-based, counting refused ones). */
export type DataVerdict = 'accept' | 'drop' | { code: number; message: string };

export interface TestSmtpServer {
  port: number;
  /** Accepted messages, in order. */
  received: ReceivedMail[];
  /** Every DATA transaction the server saw, accepted or not. */
  attempts: number;
  /** Credentials clients authenticated with. */
  logins: { user: string; pass: string }[];
  close(): Promise<void>;
}

export async function startSmtpServer(
  options: {
    verdict?: (attempt: number) => DataVerdict;
    credentials?: { user: string; pass: string };
  } = {},
): Promise<TestSmtpServer> {
  const received: ReceivedMail[] = [];
  const logins: { user: string; pass: string }[] = [];
  const state = { attempts: 0 };
  const server: SMTPServer = new SMTPServer({
    authOptional: !options.credentials,
    allowInsecureAuth: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onAuth(auth, _session, callback) {
      const ok =
        options.credentials &&
        auth.username === options.credentials.user &&
        auth.password === options.credentials.pass;
      if (!ok) return callback(new Error('Invalid username or password'));
      logins.push({ user: auth.username ?? '', pass: auth.password ?? '' });
      callback(null, { user: auth.username });
    },
    onData(stream: SMTPServerDataStream, session: SMTPServerSession, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        const attempt = state.attempts++;
        const verdict = options.verdict?.(attempt) ?? 'accept';
        if (verdict === 'drop') {
          // Hang up without answering the end of DATA: the client cannot know whether it was taken.
          for (const conn of (
            server as unknown as { connections: Set<{ id: string; _socket: { destroy(): void } }> }
          ).connections) {
            if (conn.id === session.id) conn._socket.destroy();
          }
          return;
        }
        if (verdict !== 'accept') {
          const err = new Error(verdict.message) as Error & { responseCode: number };
          err.responseCode = verdict.code;
          return callback(err);
        }
        const raw = Buffer.concat(chunks).toString('utf8');
        received.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((r) => r.address),
          raw,
          mail: parseMail(raw),
        });
        callback();
      });
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const address = (
    server as unknown as { server: { address(): { port: number } } }
  ).server.address();
  return {
    port: address.port,
    received,
    get attempts() {
      return state.attempts;
    },
    logins,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export interface ParsedMail {
  headers: Map<string, string>;
  subject: string;
  messageId: string;
  text: string;
  html: string;
  attachments: { filename: string; content: Buffer; contentType: string }[];
}

/** Parses an RFC 5322 message with MIME parts (what nodemailer produces: base64 / quoted-printable / 7bit). */
export function parseMail(raw: string): ParsedMail {
  const out: ParsedMail = {
    headers: new Map(),
    subject: '',
    messageId: '',
    text: '',
    html: '',
    attachments: [],
  };
  const top = parsePart(raw);
  out.headers = top.headers;
  out.subject = decodeWords(top.headers.get('subject') ?? '');
  out.messageId = top.headers.get('message-id') ?? '';
  const visit = (part: Part) => {
    const type = (part.headers.get('content-type') ?? 'text/plain').toLowerCase();
    if (type.startsWith('multipart/')) {
      for (const child of splitMultipart(part)) visit(child);
      return;
    }
    const content = decodeBody(part);
    const disposition = part.headers.get('content-disposition') ?? '';
    if (/^attachment/i.test(disposition)) {
      const name = /filename="?([^";]+)"?/i.exec(disposition)?.[1] ?? '';
      out.attachments.push({
        filename: extendedFilename(disposition) ?? decodeWords(name),
        content,
        contentType: type.split(';')[0] ?? '',
      });
    } else if (type.startsWith('text/html')) out.html += content.toString('utf8');
    else if (type.startsWith('text/plain')) out.text += content.toString('utf8');
  };
  visit(top);
  return out;
}

interface Part {
  headers: Map<string, string>;
  body: string;
}

/**
 * RFC 2231's `filename*=` / `filename*0*=utf-8''…` (continuations joined), as nodemailer writes a
 * non-ASCII name («weekly-…-5А-….pdf»); null when the header has none.
 */
function extendedFilename(disposition: string): string | null {
  const parts = [...disposition.matchAll(/filename\*(\d+)?\*?=([^;\s]+)/gi)]
    .sort((a, b) => Number(a[1] ?? 0) - Number(b[1] ?? 0))
    .map((m) => m[2]!.replace(/^"|"$/g, ''));
  if (parts.length === 0) return null;
  const joined = parts.join('').replace(/^[a-z0-9-]*'[a-z-]*'/i, '');
  return decodeURIComponent(joined);
}

function parsePart(raw: string): Part {
  const normalized = raw.replace(/\r\n/g, '\n');
  const split = normalized.indexOf('\n\n');
  const head = split === -1 ? normalized : normalized.slice(0, split);
  const body = split === -1 ? '' : normalized.slice(split + 2);
  const headers = new Map<string, string>();
  for (const line of head.replace(/\n[ \t]+/g, ' ').split('\n')) {
    const colon = line.indexOf(':');
    if (colon > 0) {
      headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
    }
  }
  return { headers, body };
}

function splitMultipart(part: Part): Part[] {
  const boundary = /boundary="?([^";]+)"?/i.exec(part.headers.get('content-type') ?? '')?.[1];
  if (!boundary) return [];
  const pieces = part.body.split(`--${boundary}`);
  return pieces
    .slice(1)
    .filter((p) => !p.startsWith('--'))
    .map((p) => parsePart(p.replace(/^\n/, '')));
}

function decodeBody(part: Part): Buffer {
  const encoding = (part.headers.get('content-transfer-encoding') ?? '7bit').toLowerCase();
  if (encoding === 'base64') return Buffer.from(part.body.replace(/\s+/g, ''), 'base64');
  if (encoding === 'quoted-printable') return decodeQuotedPrintable(part.body.replace(/=\n/g, ''));
  return Buffer.from(part.body.replace(/\n$/, ''), 'utf8');
}

function decodeQuotedPrintable(s: string): Buffer {
  const bytes: number[] = [];
  for (let i = 0; i < s.length; i++) {
    if (s[i] === '=' && /^[0-9A-F]{2}$/i.test(s.slice(i + 1, i + 3))) {
      bytes.push(parseInt(s.slice(i + 1, i + 3), 16));
      i += 2;
    } else {
      bytes.push(...Buffer.from(s[i] as string, 'utf8'));
    }
  }
  return Buffer.from(bytes);
}

/** RFC 2047 encoded words (`=?UTF-8?B?...?=`, `=?UTF-8?Q?...?=`); whitespace between two of them is dropped. */
export function decodeWords(value: string): string {
  const joined = value.replace(/(\?=)\s+(=\?)/g, '$1$2');
  // Adjacent words may split one multi-byte character: decode the bytes of a run together.
  return joined.replace(/(=\?[^?]+\?[BbQq]\?[^?]*\?=)+/g, (run) => {
    const bytes: Buffer[] = [];
    let charset = 'utf-8';
    for (const m of run.matchAll(/=\?([^?]+)\?([BbQq])\?([^?]*)\?=/g)) {
      charset = (m[1] ?? 'utf-8').toLowerCase();
      const text = m[3] ?? '';
      bytes.push(
        (m[2] ?? 'B').toUpperCase() === 'B'
          ? Buffer.from(text, 'base64')
          : decodeQuotedPrintable(text.replace(/_/g, ' ')),
      );
    }
    return new TextDecoder(charset).decode(Buffer.concat(bytes));
  });
}
