import { EzhError } from '../../platform/errors.js';

/**
 * How a failed platform call should be handled:
 * - `retryable`: a transient fault (rate limit, server error, timeout, HTML page); try again later;
 * - `permanent`: the request itself is wrong; retrying cannot help;
 * - `auth`: the token is missing, invalid or lacks rights; the operator must act.
 */
export type PlatformErrorKind = 'retryable' | 'permanent' | 'auth';

/**
 * What went wrong, in words every platform shares; the jobs decide retries from this alone, so a
 * connector maps its own error names (Dnevnik's `apiRequestLimit`, HTTP 433, ...) here and nowhere
 * else:
 * - `rateLimited`: the platform said "too many requests": wait (`retryAfterMs`) and try again;
 * - `unavailable`: a transient fault (server error, timeout, broken reply): try again later;
 * - `unauthorized`: the token is missing, invalid or lacks rights: the operator must act;
 * - `invalidRequest`: the request itself is wrong (or the scope is gone): no retry can help.
 */
export type PlatformErrorReason = 'rateLimited' | 'unavailable' | 'unauthorized' | 'invalidRequest';

/** The reason a connector states when it gives only the handling `kind`. */
export function reasonOfKind(kind: PlatformErrorKind): PlatformErrorReason {
  if (kind === 'auth') return 'unauthorized';
  if (kind === 'permanent') return 'invalidRequest';
  return 'unavailable';
}

export interface PlatformErrorDetails {
  kind: PlatformErrorKind;
  /** Platform-neutral reason; from `kind` when omitted (a retryable fault is then `unavailable`). */
  reason?: PlatformErrorReason;
  /** The platform's error `type` (`apiRequestLimit`, `outOfScope`, ...) or a transport kind (`http502`, `timeout`, `html`). */
  type: string;
  /** HTTP status, null when no reply arrived (timeout, reset connection). */
  status: number | null;
  /** `GET edu-groups/123/marks/2026-09-01/2026-09-07`: method and path, never the token. */
  endpoint: string;
  /** The platform's own description, if it gave one. */
  description?: string | null;
  /** A wait the platform asked for (`Retry-After`), in milliseconds. */
  retryAfterMs?: number | null;
  /**
   * The refused token's limiter (`limiterKey`: host and a hash, never the token), so that whoever
   * handles a rate limit can pause that token only.
   */
  limiterKey?: string | null;
  cause?: unknown;
}

/** The one error type of every connector call that failed (after retries, for retryable faults). */
export class PlatformError extends EzhError {
  readonly kind: PlatformErrorKind;
  readonly reason: PlatformErrorReason;
  readonly type: string;
  readonly status: number | null;
  readonly endpoint: string;
  readonly description: string | null;
  readonly retryAfterMs: number | null;
  readonly limiterKey: string | null;

  constructor(message: string, details: PlatformErrorDetails) {
    super(message, 1, details.cause === undefined ? undefined : { cause: details.cause });
    this.kind = details.kind;
    this.reason = details.reason ?? reasonOfKind(details.kind);
    this.type = details.type;
    this.status = details.status;
    this.endpoint = details.endpoint;
    this.description = details.description ?? null;
    this.retryAfterMs = details.retryAfterMs ?? null;
    this.limiterKey = details.limiterKey ?? null;
  }

  get retryable(): boolean {
    return this.kind === 'retryable';
  }
}

/**
 * A request not even sent: its token is paused (the platform refused it "too many requests" and
 * asked for a long wait), so the caller gives its place to other work instead of holding it idle.
 * `retryAfterMs` is what remains of the pause.
 */
export class TokenPaused extends PlatformError {
  constructor(remainingMs: number, limiterKey: string) {
    super(
      `the token is paused for ${Math.ceil(remainingMs / 1000)} s after a platform rate limit`,
      {
        kind: 'retryable',
        reason: 'rateLimited',
        type: 'tokenPaused',
        status: null,
        endpoint: '(not sent)',
        retryAfterMs: remainingMs,
        limiterKey,
      },
    );
  }
}
