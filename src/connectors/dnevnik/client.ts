import axios, { type AxiosInstance, type Method } from 'axios';
import type { FetchStats } from '../connector.js';
import { PlatformError, TokenPaused } from '../_shared/http-error.js';
import type { TokenLimiter } from '../_shared/rate-limiter.js';
import { retryDelayMs, type RetryPolicy } from '../_shared/retry-policy.js';
import { systemTiming, type Timing } from '../_shared/timing.js';
import { getLogger } from '../../platform/logger.js';
import { readReply } from './reply.js';
import type { TokenProvider } from '../_shared/token-provider.js';

/**
 * The HTTP client of the Dnevnik.ru API: one axios instance, the `Access-Token` header, lossless
 * JSON, error bodies recognised whatever the status, retries with backoff for transient faults,
 * and the per-token rate limiter around every attempt.
 */
export interface DnevnikClientOptions {
  /** API root, e.g. `https://api.dnevnik.ru/v2/`. */
  baseUrl: string;
  /** Null: only unauthenticated calls (OAuth code exchange) are possible. */
  tokens: TokenProvider | null;
  timeoutMs: number;
  retry: RetryPolicy;
  /** The token's shared limiter; null: unlimited (OAuth calls before any token exists). */
  limiter: TokenLimiter | null;
  timing?: Timing;
  /** [0, 1) source for backoff jitter. */
  random?: () => number;
}

export type QueryValue = string | number | boolean;

export interface CallOptions {
  /** A list value is sent as the key repeated. */
  query?: Record<string, QueryValue | readonly QueryValue[]>;
  /** Counters of the fetch this call belongs to. */
  stats?: FetchStats;
  /** `none`: no `Access-Token` (OAuth endpoints). */
  auth?: 'token' | 'none';
  headers?: Record<string, string>;
  body?: unknown;
}

const RETRYABLE_NETWORK_CODES = new Set([
  'ECONNABORTED',
  'ETIMEDOUT',
  'ECONNRESET',
  'ECONNREFUSED',
  'EPIPE',
  'EAI_AGAIN',
  'ENETUNREACH',
  'EHOSTUNREACH',
  'ERR_NETWORK',
  'ERR_SOCKET_CONNECTION_TIMEOUT',
]);

export class DnevnikClient {
  private readonly http: AxiosInstance;
  private readonly timing: Timing;
  private readonly random: () => number;

  constructor(private readonly options: DnevnikClientOptions) {
    this.timing = options.timing ?? systemTiming;
    this.random = options.random ?? Math.random;
    this.http = axios.create({
      baseURL: options.baseUrl.endsWith('/') ? options.baseUrl : `${options.baseUrl}/`,
      timeout: options.timeoutMs,
      // Bodies are read as text and parsed losslessly: JSON.parse would round int64 ids.
      responseType: 'text',
      transformResponse: [(data: unknown) => data],
      // Every status is inspected by readReply: error bodies come with HTTP 200 as well.
      validateStatus: () => true,
      headers: { Accept: 'application/json' },
      // A list parameter is the key repeated (`lessons=1&lessons=2`, reference §2.2 row 61).
      paramsSerializer: { indexes: null },
    });
  }

  get(path: string, options: CallOptions = {}): Promise<unknown> {
    return this.call('GET', path, options);
  }

  post(path: string, body: unknown, options: CallOptions = {}): Promise<unknown> {
    return this.call('POST', path, { ...options, body });
  }

  private async call(method: Method, path: string, options: CallOptions): Promise<unknown> {
    const maxRetries = this.options.retry.maxRetries;
    let retries = 0;
    let refreshedAfterReject = false;
    for (;;) {
      try {
        return await this.attempt(method, path, options);
      } catch (err) {
        // A paused token: nothing was sent; the job gives its place to other work (no retry here).
        if (!(err instanceof PlatformError) || err instanceof TokenPaused) throw err;
        // A rejected OAuth access token is refreshed once, then the request is repeated.
        if (
          err.kind === 'auth' &&
          !refreshedAfterReject &&
          options.auth !== 'none' &&
          (err.type === 'invalidToken' ||
            err.type === 'authorizationInvalidToken' ||
            err.status === 401) &&
          this.options.tokens?.invalidate()
        ) {
          refreshedAfterReject = true;
          if (options.stats) options.stats.retries++;
          continue;
        }
        const limiter = this.options.limiter;
        if (err.kind !== 'retryable' || retries >= maxRetries) {
          if (retries === 0 && (err.reason !== 'rateLimited' || !limiter)) throw err;
          const gaveUp =
            retries === 0
              ? ''
              : ` (gave up after ${retries} ${retries === 1 ? 'retry' : 'retries'})`;
          throw new PlatformError(`${err.message}${gaveUp}`, {
            kind: err.kind,
            reason: err.reason,
            type: err.type,
            status: err.status,
            endpoint: err.endpoint,
            description: err.description,
            // Bounded like a retry's wait: the job pauses the whole token for it (in every worker),
            // and a broken header must not pause a school for days.
            retryAfterMs:
              err.retryAfterMs === null
                ? null
                : Math.min(err.retryAfterMs, this.options.retry.maxRetryAfterMs),
            // A refused token is named (by its limiter's key), so the job pauses only that token.
            limiterKey: err.reason === 'rateLimited' ? (limiter?.key ?? null) : null,
          });
        }
        const wait = retryDelayMs(retries, err.retryAfterMs, this.options.retry, this.random);
        // "Too many requests" is about the token, not this call: every user of the token waits
        // (in every worker process when the limiter is shared), not only this retry.
        if (err.reason === 'rateLimited' && limiter) await limiter.backOff(wait);
        retries++;
        if (options.stats) options.stats.retries++;
        getLogger().warn(
          {
            endpoint: err.endpoint,
            type: err.type,
            status: err.status,
            retry: retries,
            waitMs: wait,
          },
          'platform call failed; retrying',
        );
        await this.timing.sleep(wait);
      }
    }
  }

  private async attempt(method: Method, path: string, options: CallOptions): Promise<unknown> {
    const tokens = options.auth === 'none' ? null : this.options.tokens;
    if (options.auth !== 'none' && !tokens) {
      throw new PlatformError(
        `no access token is configured for ${method} ${path}: set platform.token or EZH_DNEVNIK_TOKEN`,
        {
          kind: 'auth',
          type: 'tokenRequired',
          status: null,
          endpoint: `${method} ${path}`,
        },
      );
    }
    // The token is read before a limiter slot is taken: a refresh is itself a (limited) call.
    const token = tokens ? await tokens.token() : null;
    const release = this.options.limiter ? await this.options.limiter.acquire() : null;
    try {
      if (options.stats) options.stats.requests++;
      const started = this.timing.now();
      const headers: Record<string, string> = { ...options.headers };
      if (token) headers['Access-Token'] = token;
      if (options.body !== undefined) headers['Content-Type'] = 'application/json';
      const response = await this.http
        .request<string>({
          method,
          url: path,
          params: options.query,
          data: options.body === undefined ? undefined : JSON.stringify(options.body),
          headers,
        })
        .catch((err: unknown) => {
          throw transportError(err, method, path);
        });
      // Each request at trace level: method, path and outcome only (never headers, the token
      // travels in one; never the query or body, which may name people).
      getLogger().trace(
        {
          endpoint: `${method} ${path}`,
          status: response.status,
          bytes: typeof response.data === 'string' ? response.data.length : 0,
          ms: this.timing.now() - started,
        },
        'platform request',
      );
      const header = (name: string): string | null => {
        const v: unknown = response.headers[name];
        return typeof v === 'string' ? v : Array.isArray(v) ? String(v[0]) : null;
      };
      return readReply(
        {
          status: response.status,
          contentType: header('content-type') ?? '',
          body: typeof response.data === 'string' ? response.data : String(response.data ?? ''),
          retryAfter: header('retry-after'),
        },
        { method, path, tokenLabel: tokens?.label() ?? 'no token', nowMs: this.timing.now() },
      );
    } finally {
      release?.();
    }
  }
}

/**
 * A request that got no reply. The axios error is not kept as the cause: its config holds the
 * request headers, token included, and errors end up in logs.
 */
function transportError(err: unknown, method: string, path: string): PlatformError {
  const endpoint = `${method} ${path}`;
  const code = axios.isAxiosError(err) ? (err.code ?? '') : '';
  const timedOut =
    code === 'ECONNABORTED' || code === 'ETIMEDOUT' || /timeout/i.test(errorText(err));
  if (timedOut) {
    return new PlatformError(`the platform did not answer in time on ${endpoint}`, {
      kind: 'retryable',
      type: 'timeout',
      status: null,
      endpoint,
    });
  }
  // A reply cut off mid-body (the connection closed before its Content-Length was read): axios
  // says ERR_BAD_RESPONSE "stream has been aborted". Nothing of it is used; it is asked again.
  if (code === 'ERR_BAD_RESPONSE' && /aborted/i.test(errorText(err))) {
    return new PlatformError(`the platform's reply was cut off on ${endpoint}`, {
      kind: 'retryable',
      type: 'truncated',
      status: null,
      endpoint,
    });
  }
  const retryable = RETRYABLE_NETWORK_CODES.has(code);
  return new PlatformError(
    `the connection to the platform failed (${code || 'network error'}) on ${endpoint}`,
    {
      kind: retryable ? 'retryable' : 'permanent',
      type: code || 'network',
      status: null,
      endpoint,
    },
  );
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
