import { UsageError } from '../../platform/errors.js';
import { RateLimiterRegistry } from '../_shared/rate-limiter.js';
import type { ConnectorAuth } from '../define-connector.js';
import { createDnevnikClient } from './dnevnik.connector.js';
import { authorizationUrl, exchangeCode } from './oauth.js';
import { fetchMe } from './resources/me.js';
import { dnevnikClientSettings, type DnevnikSettings } from './settings.js';

/**
 * `ezh auth` on Dnevnik: the platform's registered OAuth application (`platform.oauth`) gives the
 * authorize URL and trades the code at `POST authorizations`; `users/me` tells whose token it is.
 */
export const dnevnikAuth: ConnectorAuth<DnevnikSettings> = {
  authorizationUrl(platform, state) {
    const { oauth } = platform;
    if (!oauth.clientId) {
      throw missing(['platform.oauth.clientId: is required for `ezh auth url`']);
    }
    return authorizationUrl({
      authorizeUrl: oauth.authorizeUrl,
      clientId: oauth.clientId,
      scope: oauth.scope,
      redirectUri: oauth.redirectUri ?? null,
      state,
    });
  },

  async exchangeCode(platform, code) {
    const { clientId, clientSecret } = platform.oauth;
    const problems = [
      ...(clientId ? [] : ['platform.oauth.clientId: is required for `ezh auth exchange`']),
      ...(clientSecret
        ? []
        : ['platform.oauth.clientSecret: is required (EZH_DNEVNIK_CLIENT_SECRET)']),
    ];
    if (problems.length > 0 || !clientId || !clientSecret) throw missing(problems);
    const client = createDnevnikClient(
      { ...dnevnikClientSettings(platform), token: null },
      { tokens: null },
    );
    return exchangeCode(client, { clientId, clientSecret }, code);
  },

  grantVariables: ['EZH_DNEVNIK_TOKEN', 'EZH_DNEVNIK_REFRESH_TOKEN'],

  async whoAmI(platform) {
    if (!platform.token) {
      throw new UsageError('no access token is configured', [
        'platform.token: is required (EZH_DNEVNIK_TOKEN)',
      ]);
    }
    // A limiter of its own: the token may be a web visitor's (their OAuth login), used once;
    // the process-wide registry would keep one limiter per login for as long as it runs.
    return fetchMe(
      createDnevnikClient(dnevnikClientSettings(platform), { limiters: new RateLimiterRegistry() }),
    );
  },
};

function missing(problems: string[]): UsageError {
  return new UsageError('the OAuth settings are incomplete', problems);
}
