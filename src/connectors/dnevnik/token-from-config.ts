import type { SchoolConnection } from '../define-connector.js';
import {
  RefreshingTokenProvider,
  staticTokenProvider,
  type TokenProvider,
} from '../_shared/token-provider.js';
import { DEFAULT_RETRY_POLICY } from '../_shared/retry-policy.js';
import { DnevnikClient } from './client.js';
import { refreshAccessToken } from './oauth.js';
import type { DnevnikClientSettings, DnevnikSettings } from './settings.js';

/**
 * The token source a school's config describes. A per-school token is used as is. With an OAuth
 * application and a refresh token configured, the platform token (if any) is used until it
 * expires or is rejected, then refreshed; without them, the platform token is static.
 */
export function dnevnikTokenProvider(
  platform: DnevnikSettings,
  school: SchoolConnection | null,
  settings: DnevnikClientSettings,
): TokenProvider | null {
  if (school?.token) return staticTokenProvider(school.token);
  const { clientId, clientSecret, refreshToken } = platform.oauth;
  if (clientId && clientSecret && refreshToken) {
    const oauthClient = new DnevnikClient({
      baseUrl: settings.baseUrl,
      tokens: null,
      timeoutMs: settings.timeoutMs,
      retry: { ...DEFAULT_RETRY_POLICY, maxRetries: settings.maxRetries },
      limiter: null,
    });
    return new RefreshingTokenProvider({
      refreshToken,
      accessToken: platform.token ?? null,
      expiresAt: null,
      refresh: (rt) => refreshAccessToken(oauthClient, { clientId, clientSecret }, rt),
      now: () => Date.now(),
    });
  }
  return platform.token ? staticTokenProvider(platform.token) : null;
}
