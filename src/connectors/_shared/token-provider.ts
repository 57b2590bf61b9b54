import { tokenFingerprint } from './token-fingerprint.js';

/**
 * Where the client gets its access token before each request. A static token (from config or
 * EZH_DNEVNIK_TOKEN) never changes; an OAuth grant is refreshed with its refresh token shortly
 * before `expiresIn` runs out, or when the platform rejects it as invalid.
 */
export interface TokenProvider {
  /** Stable identity of this credential (secret: only ever hashed, e.g. for the rate limiter key). */
  readonly identity: string;
  /** A non-secret name for messages: `token sha256:1a2b3c4d`. */
  label(): string;
  token(): Promise<string>;
  /** Forgets the current access token so that the next call refreshes it; false when it cannot refresh. */
  invalidate(): boolean;
}

export function staticTokenProvider(token: string): TokenProvider {
  return {
    identity: token,
    label: () => `token ${tokenFingerprint(token)}`,
    token: () => Promise.resolve(token),
    invalidate: () => false,
  };
}

/** What `POST authorizations` grants (code exchange or refresh). */
export interface TokenGrant {
  accessToken: string;
  refreshToken: string | null;
  /** Lifetime of the access token in seconds; null when the platform does not say. */
  expiresIn: number | null;
  scope: string | null;
  /** The platform user id the token belongs to. */
  userId: string | null;
}

export interface RefreshingTokenOptions {
  refreshToken: string;
  /** A still valid access token to start with, if any. */
  accessToken?: string | null;
  /** When `accessToken` expires (epoch ms); null: unknown, used until the platform rejects it. */
  expiresAt?: number | null;
  refresh: (refreshToken: string) => Promise<TokenGrant>;
  now: () => number;
  /** Refresh this long before the expiry, so a request never starts with a token about to lapse. */
  skewMs?: number;
  /** Called after each refresh, e.g. to persist a rotated refresh token. */
  onRefresh?: (grant: TokenGrant) => void;
}

export class RefreshingTokenProvider implements TokenProvider {
  readonly identity: string;
  private accessToken: string | null;
  private expiresAt: number | null;
  private refreshToken: string;
  private pending: Promise<string> | null = null;

  constructor(private readonly options: RefreshingTokenOptions) {
    this.identity = `refresh:${options.refreshToken}`;
    this.refreshToken = options.refreshToken;
    this.accessToken = options.accessToken ?? null;
    this.expiresAt = options.expiresAt ?? null;
  }

  label(): string {
    return this.accessToken
      ? `token ${tokenFingerprint(this.accessToken)} (refreshed with refresh token ${tokenFingerprint(this.refreshToken)})`
      : `refresh token ${tokenFingerprint(this.refreshToken)}`;
  }

  token(): Promise<string> {
    const skew = this.options.skewMs ?? 60_000;
    const fresh = this.expiresAt === null || this.options.now() < this.expiresAt - skew;
    if (this.accessToken && fresh) return Promise.resolve(this.accessToken);
    // One refresh at a time: concurrent requests wait for the same new token.
    this.pending ??= this.doRefresh().finally(() => {
      this.pending = null;
    });
    return this.pending;
  }

  invalidate(): boolean {
    this.accessToken = null;
    return true;
  }

  private async doRefresh(): Promise<string> {
    const grant = await this.options.refresh(this.refreshToken);
    this.accessToken = grant.accessToken;
    this.expiresAt = grant.expiresIn === null ? null : this.options.now() + grant.expiresIn * 1000;
    if (grant.refreshToken) this.refreshToken = grant.refreshToken;
    this.options.onRefresh?.(grant);
    return grant.accessToken;
  }
}
