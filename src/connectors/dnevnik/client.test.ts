import nock from 'nock';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { FetchStats } from '../connector.js';
import type { DnevnikClientSettings as ConnectorSettings } from './settings.js';
import { PlatformError } from '../_shared/http-error.js';
import { RateLimiterRegistry } from '../_shared/rate-limiter.js';
import { FakeTiming } from '../_shared/timing.js';
import {
  API_ORIGIN,
  BASE_URL,
  TOKEN,
  fixture,
} from '../../../test/fixtures/http/dnevnik/fixture-school.js';
import { createDnevnikClient } from './dnevnik.connector.js';

const settings: ConnectorSettings = {
  baseUrl: BASE_URL,
  token: TOKEN,
  requestsPerSecond: 10,
  concurrency: 4,
  timeoutMs: 5000,
  maxRetries: 3,
};

function setup(overrides: Partial<ConnectorSettings> = {}) {
  const time = new FakeTiming(Date.parse('2026-09-07T10:00:00Z'));
  const client = createDnevnikClient(
    { ...settings, ...overrides },
    { timing: time, limiters: new RateLimiterRegistry(time) },
  );
  const stats: FetchStats = { requests: 0, retries: 0 };
  return { client, time, stats };
}

const json = { 'Content-Type': 'application/json' };
const api = () => nock(API_ORIGIN);

async function failure(promise: Promise<unknown>): Promise<PlatformError> {
  const err = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(PlatformError);
  return err as PlatformError;
}

beforeAll(() => nock.disableNetConnect());
afterEach(() => nock.cleanAll());
afterAll(() => nock.enableNetConnect());

describe('Dnevnik client', () => {
  it('sends the Access-Token header and keeps int64 ids exact', async () => {
    const { client, stats } = setup();
    api()
      .get('/v2/schools/1000002283077/edu-groups')
      .matchHeader('Access-Token', TOKEN)
      .reply(200, fixture('edu-groups.json'), json);
    const reply = (await client.get('schools/1000002283077/edu-groups', { stats })) as Record<
      string,
      unknown
    >[];
    // Parsed losslessly: JSON.parse would have made it 1847814077665489200.
    expect(reply[0]?.id).toBe('1847814077665489232');
    expect(reply[1]?.parentIds).toEqual(['1847814077665489232']);
    expect(reply[0]?.parallel).toBe(5);
    expect(stats).toEqual({ requests: 1, retries: 0 });
  });

  const retryable: [string, (scope: nock.Interceptor) => nock.Scope][] = [
    ['HTTP 429', (i) => i.reply(429, '')],
    ['HTTP 433', (i) => i.reply(433, '')],
    [
      'a 502 HTML page',
      (i) =>
        i.reply(502, '<html><body><h1>502 Bad Gateway</h1></body></html>', {
          'Content-Type': 'text/html',
        }),
    ],
    [
      'HTTP 200 with an apiRequestLimit body',
      (i) =>
        i.reply(200, '{"type":"apiRequestLimit","description":"Превышен лимит запросов"}', json),
    ],
    [
      'HTTP 500',
      (i) => i.reply(500, '{"type":"apiServerError","description":"Internal error"}', json),
    ],
    ['HTTP 200 with an empty body', (i) => i.reply(200, '', json)],
    ['HTTP 200 with a null body', (i) => i.reply(200, 'null', json)],
    ['a timeout', (i) => i.delay(8000).reply(200, '[]', json)],
    [
      'a reset connection',
      (i) => i.replyWithError(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' })),
    ],
  ];

  it.each(retryable)('retries %s and then succeeds', async (name, fail) => {
    // The timeout case waits for real: a short timeout, but long enough for a loaded machine.
    const { client, stats, time } = setup(name === 'a timeout' ? { timeoutMs: 1000 } : {});
    fail(api().get('/v2/schools/1000002283077'));
    api().get('/v2/schools/1000002283077').reply(200, fixture('school.json'), json);
    const reply = (await client.get('schools/1000002283077', { stats })) as Record<string, unknown>;
    expect(reply.name).toBe('МБОУ СОШ № 7');
    expect(stats).toEqual({ requests: 2, retries: 1 });
    expect(time.sleeps.length).toBeGreaterThanOrEqual(1);
  });

  const permanent: [string, (i: nock.Interceptor) => nock.Scope, PlatformError['kind'], RegExp][] =
    [
      [
        'parameterInvalid',
        (i) =>
          i.reply(
            200,
            '{"type":"parameterInvalid","description":"Parameter \'from\' is invalid"}',
            json,
          ),
        'permanent',
        /parameterInvalid .*GET edu-groups\/1847814077665489232\/marks/,
      ],
      [
        'invalidToken',
        (i) => i.reply(401, '{"type":"invalidToken","description":"Token is invalid"}', json),
        'auth',
        /rejected token sha256:[0-9a-f]{8} as invalid or inactive \(invalidToken\)/,
      ],
      [
        'outOfScope',
        (i) =>
          i.reply(200, '{"type":"authorizationOutOfScope","description":"Out of scope"}', json),
        'auth',
        /lacks the EducationalInfo scope \(authorizationOutOfScope\) on GET edu-groups\/1847814077665489232\/marks/,
      ],
      [
        'a bare HTTP 401',
        (i) => i.reply(401, ''),
        'auth',
        /refused token sha256:[0-9a-f]{8} \(HTTP 401\)/,
      ],
    ];

  it.each(permanent)('does not retry %s and says why', async (_name, fail, kind, message) => {
    const { client, stats, time } = setup();
    const path = '/v2/edu-groups/1847814077665489232/marks/2026-09-07/2026-09-13';
    fail(api().get(path));
    const err = await failure(client.get(path.slice(4), { stats }));
    expect(err.kind).toBe(kind);
    expect(err.message).toMatch(message);
    expect(err.message).not.toContain(TOKEN);
    expect(err.endpoint).toBe(`GET ${path.slice(4)}`);
    expect(stats).toEqual({ requests: 1, retries: 0 });
    expect(time.sleeps).toEqual([]);
  });

  it('waits as long as Retry-After asks', async () => {
    const { client, time } = setup();
    api().get('/v2/users/me').reply(429, '', { 'Retry-After': '7' });
    api().get('/v2/users/me').reply(429, '', { 'Retry-After': 'Mon, 07 Sep 2026 10:00:30 GMT' });
    api().get('/v2/users/me').reply(200, '{"id":1,"name":"Петрова А. И."}', json);
    await client.get('users/me');
    expect(time.sleeps[0]).toBe(7000);
    // The HTTP date is read against the (fake) clock: 10:00:07 → 10:00:30.
    expect(time.sleeps[1]).toBe(23_000);
  });

  it('gives up on a rate limit with the wait bounded as a retry’s, not a broken header’s', async () => {
    const { client } = setup({ maxRetries: 1 });
    // About three years: the worker would pause the token (every school job of it) that long.
    api().get('/v2/users/me').times(2).reply(429, '', { 'Retry-After': '99999999' });
    const err = await failure(client.get('users/me'));
    expect(err.reason).toBe('rateLimited');
    expect(err.retryAfterMs).toBe(300_000);
  });

  it('gives up after the configured retries with the last reason', async () => {
    const { client, stats } = setup({ maxRetries: 2 });
    api().get('/v2/schools/1').times(3).reply(503, '');
    const err = await failure(client.get('schools/1', { stats }));
    expect(err.kind).toBe('retryable');
    expect(err.message).toMatch(/HTTP 503 on GET schools\/1 \(gave up after 2 retries\)/);
    expect(stats).toEqual({ requests: 3, retries: 2 });
  });

  it('never reads an empty or null body as an empty list: the call fails once retries run out', async () => {
    const { client, stats } = setup({ maxRetries: 1 });
    api().get('/v2/schools/1/edu-groups').reply(200, '', json);
    api().get('/v2/schools/1/edu-groups').reply(200, ' null ', json);
    const err = await failure(client.get('schools/1/edu-groups', { stats }));
    expect(err.type).toBe('emptyReply');
    expect(err.message).toMatch(/a null reply \(HTTP 200\) on GET schools\/1\/edu-groups/);
    expect(stats).toEqual({ requests: 2, retries: 1 });
  });

  it('reads the reason from the platform HTML error page', async () => {
    const { client } = setup({ maxRetries: 0 });
    const page =
      '<html><body><div class="error"><div class="error__description">Сервис временно недоступен.<br> Попробуйте позже.</div></div></body></html>';
    api().get('/v2/schools/1').reply(503, page, { 'Content-Type': 'text/html; charset=utf-8' });
    const err = await failure(client.get('schools/1'));
    expect(err.type).toBe('html');
    expect(err.message).toContain('Сервис временно недоступен. Попробуйте позже.');
  });
});
