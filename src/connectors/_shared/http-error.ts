import { EzhError } from '../../platform/errors.js';

/**
 * How a failed platform call should be handled:
 * - `retryable`: a transient fault (rate limit, server error, timeout, HTML page); try again later;
 * - `permanent`: the request itself is wrong; retrying cannot help;
 * - `auth`: the token is missing, invalid or lacks rights; the operator must act.
 */
export type PlatformErrorKind = 'retryable' | 'permanent' | 'auth';

export interface PlatformErrorDetails {
  kind: PlatformErrorKind;
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
  cause?: unknown;
}

/** The one error type of every connector call that failed (after retries, for retryable faults). */
export class PlatformError extends EzhError {
  readonly kind: PlatformErrorKind;
  readonly type: string;
  readonly status: number | null;
  readonly endpoint: string;
  readonly description: string | null;
  readonly retryAfterMs: number | null;

  constructor(message: string, details: PlatformErrorDetails) {
    super(message, 1, details.cause === undefined ? undefined : { cause: details.cause });
    this.kind = details.kind;
    this.type = details.type;
    this.status = details.status;
    this.endpoint = details.endpoint;
    this.description = details.description ?? null;
    this.retryAfterMs = details.retryAfterMs ?? null;
  }

  get retryable(): boolean {
    return this.kind === 'retryable';
  }
}
