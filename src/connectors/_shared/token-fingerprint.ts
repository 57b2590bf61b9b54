import { createHash } from 'node:crypto';

/**
 * A name for a token that messages may show: the first hex digits of its SHA-256. It tells the
 * operator which configured token failed without revealing anything usable.
 */
export function tokenFingerprint(token: string): string {
  return `sha256:${createHash('sha256').update(token).digest('hex').slice(0, 8)}`;
}
