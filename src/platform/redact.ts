/**
 * Redaction of secrets and personal data from anything that may reach a log line.
 * pino's path-based `redact` only covers known paths; tokens and e-mail addresses also hide in
 * messages, URLs and error texts, so values are scrubbed by pattern as well as by key.
 */

const SECRET_KEY =
  /(token|password|passwd|secret|authorization|api[-_]?key|cookie|refresh|client[-_]?secret|access[-_]?token|pass)$/i;
const PERSONAL_KEY = /^(email|e-mail|phone|mobile|birthday|snils|address)$/i;

const EMAIL = /[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/g;
// Russian and international phone numbers: +7 (912) 345-67-89, 8 912 345 67 89, +79123456789.
const PHONE =
  /(?<![\w-])(?:\+7|8|\+\d{1,3})[\s(-]*\d{3}[\s)-]*\d{3}[\s-]*\d{2}[\s-]*\d{2}(?![\w-])/g;
const TOKEN_IN_URL = /([?&](?:access_token|token|refresh_token|code|client_secret)=)[^&\s"']+/gi;
const BEARER = /((?:Access-Token|Bearer|Basic)[:\s]+)[A-Za-z0-9._~+/=-]{8,}/gi;

export const REDACTED = '[redacted]';

/** Values registered at start-up (the configured token, SMTP password) are scrubbed verbatim. */
const knownSecrets = new Set<string>();

export function registerSecret(value: string | undefined | null): void {
  if (value && value.length >= 4) knownSecrets.add(value);
}

export function redactString(input: string): string {
  let out = input;
  for (const secret of knownSecrets) {
    if (out.includes(secret)) out = out.split(secret).join(REDACTED);
  }
  return out
    .replace(TOKEN_IN_URL, `$1${REDACTED}`)
    .replace(BEARER, `$1${REDACTED}`)
    .replace(EMAIL, REDACTED)
    .replace(PHONE, REDACTED);
}

/** Deep copy with secret/personal keys masked and strings scrubbed; cycles are cut. */
export function redactValue(value: unknown, seen = new WeakSet<object>()): unknown {
  if (typeof value === 'string') return redactString(value);
  if (value === null || typeof value !== 'object') return value;
  if (seen.has(value)) return '[circular]';
  seen.add(value);
  if (Array.isArray(value)) return value.map((v) => redactValue(v, seen));
  if (value instanceof Error) {
    const out: Record<string, unknown> = {
      type: value.name,
      message: redactString(value.message),
    };
    if (value.stack) out.stack = redactString(value.stack);
    for (const [k, v] of Object.entries(value)) out[k] = redactEntry(k, v, seen);
    return out;
  }
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = redactEntry(k, v, seen);
  return out;
}

function redactEntry(key: string, v: unknown, seen: WeakSet<object>): unknown {
  if (
    (SECRET_KEY.test(key) || PERSONAL_KEY.test(key)) &&
    v !== null &&
    v !== undefined &&
    v !== ''
  ) {
    return typeof v === 'object' ? REDACTED : REDACTED;
  }
  return redactValue(v, seen);
}
