import nock from 'nock';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { RateLimiterRegistry } from '../_shared/rate-limiter.js';
import { FakeTiming } from '../_shared/timing.js';
import { RefreshingTokenProvider } from '../_shared/token-provider.js';
import { API_ORIGIN, BASE_URL } from '../../../test/fixtures/http/dnevnik/fixture-school.js';
import { createDnevnikClient } from './dnevnik.connector.js';
import { authorizationUrl, exchangeCode, refreshAccessToken } from './oauth.js';

const app = { clientId: '0a1b2c3d4e5f60718293a4b5c6d7e8f9', clientSecret: 'client-secret-value' };
const settings = {
  baseUrl: BASE_URL,
  token: null,
  requestsPerSecond: 50,
  concurrency: 4,
  timeoutMs: 5000,
  maxRetries: 1,
};
const json = { 'Content-Type': 'application/json' };
const basic = `Basic ${Buffer.from(`${app.clientId}:${app.clientSecret}`).toString('base64')}`;

beforeAll(() => nock.disableNetConnect());
afterEach(() => nock.cleanAll());
afterAll(() => nock.enableNetConnect());

describe('OAuth', () => {
  it('builds the authorization URL of the registered application', () => {
    const url = new URL(
      authorizationUrl({
        authorizeUrl: 'https://login.dnevnik.ru/oauth2',
        clientId: app.clientId,
        scope: 'CommonInfo,EducationalInfo',
        redirectUri: 'https://school.example.ru/ezh/callback',
        state: 'abc',
      }),
    );
    expect(url.origin + url.pathname).toBe('https://login.dnevnik.ru/oauth2');
    expect(Object.fromEntries(url.searchParams)).toEqual({
      response_type: 'code',
      client_id: app.clientId,
      scope: 'CommonInfo,EducationalInfo',
      redirect_uri: 'https://school.example.ru/ezh/callback',
      state: 'abc',
    });
  });

  it('exchanges a code at POST authorizations without an access token', async () => {
    nock(API_ORIGIN, { badheaders: ['Access-Token'] })
      .post('/v2/authorizations', {
        code: 'the-code',
        client_id: app.clientId,
        client_secret: app.clientSecret,
        grant_type: 'AuthorizationCode',
      })
      .reply(
        200,
        '{"accessToken":"new-access","expiresIn":3600,"expiresIn_str":"3600","refreshToken":"new-refresh","scope":"CommonInfo,EducationalInfo","user":1000005000001,"user_str":"1000005000001"}',
        json,
      );
    const client = createDnevnikClient(settings, { tokens: null });
    const grant = await exchangeCode(client, app, 'the-code');
    expect(grant).toEqual({
      accessToken: 'new-access',
      refreshToken: 'new-refresh',
      expiresIn: 3600,
      scope: 'CommonInfo,EducationalInfo',
      userId: '1000005000001',
    });
  });

  it('reports a rejected client clearly, without retrying', async () => {
    nock(API_ORIGIN)
      .post('/v2/authorizations')
      .reply(403, '{"type":"invalid_client","description":"Invalid client"}', json);
    const client = createDnevnikClient(settings, { tokens: null });
    await expect(exchangeCode(client, app, 'bad')).rejects.toThrow(
      /refused the OAuth request \(invalid_client\).*clientId, clientSecret/,
    );
  });

  it('refreshes the access token when it expires, with Basic client auth', async () => {
    const time = new FakeTiming(Date.parse('2026-09-07T10:00:00Z'));
    const oauthClient = createDnevnikClient(settings, { tokens: null, timing: time });
    const tokens = new RefreshingTokenProvider({
      refreshToken: 'refresh-1',
      accessToken: 'access-1',
      expiresAt: time.now() + 120_000,
      refresh: (rt) => refreshAccessToken(oauthClient, app, rt),
      now: () => time.now(),
    });
    const client = createDnevnikClient(settings, {
      tokens,
      timing: time,
      limiters: new RateLimiterRegistry(time),
    });

    nock(API_ORIGIN)
      .get('/v2/users/me')
      .matchHeader('Access-Token', 'access-1')
      .reply(200, '{"id":1}', json);
    await client.get('users/me');

    await time.sleep(90_000); // within a minute of expiry: refresh before the next request
    nock(API_ORIGIN)
      .post(
        '/v2/authorizations',
        (body: Record<string, unknown>) =>
          body.grant_type === 'RefreshToken' && body.refreshToken === 'refresh-1',
      )
      .matchHeader('Authorization', basic)
      .reply(200, '{"accessToken":"access-2","expiresIn":3600,"refreshToken":"refresh-2"}', json);
    nock(API_ORIGIN)
      .get('/v2/users/me')
      .matchHeader('Access-Token', 'access-2')
      .reply(200, '{"id":1}', json);
    await client.get('users/me');

    // A token the platform rejects is refreshed once (with the rotated refresh token) and the call repeated.
    nock(API_ORIGIN)
      .get('/v2/users/me')
      .matchHeader('Access-Token', 'access-2')
      .reply(401, '{"type":"invalidToken","description":"x"}', json);
    nock(API_ORIGIN)
      .post(
        '/v2/authorizations',
        (body: Record<string, unknown>) => body.refreshToken === 'refresh-2',
      )
      .reply(200, '{"accessToken":"access-3","expiresIn":3600}', json);
    nock(API_ORIGIN)
      .get('/v2/users/me')
      .matchHeader('Access-Token', 'access-3')
      .reply(200, '{"id":1}', json);
    await client.get('users/me');
    expect(nock.isDone()).toBe(true);
  });
});
