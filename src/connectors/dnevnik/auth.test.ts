import nock from 'nock';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { sharedRateLimiters } from '../_shared/rate-limiter.js';
import { API_ORIGIN, BASE_URL } from '../../../test/fixtures/http/dnevnik/fixture-school.js';
import { dnevnikAuth } from './auth.js';
import { dnevnikSettings } from './settings.js';

beforeAll(() => nock.disableNetConnect());
afterEach(() => nock.cleanAll());
afterAll(() => nock.enableNetConnect());

describe('Dnevnik auth: users/me', () => {
  it('leaves no limiter behind for a visitor’s token (one per web login would pile up)', async () => {
    const before = sharedRateLimiters.size;
    for (const token of ['visitor-token-1', 'visitor-token-2']) {
      nock(API_ORIGIN)
        .get('/v2/users/me')
        .matchHeader('Access-Token', token)
        .reply(200, { id: 7, personId: 42, name: 'Петрова А. И.' });
      const me = await dnevnikAuth.whoAmI!(dnevnikSettings.parse({ baseUrl: BASE_URL, token }));
      expect(me.personId).toBe('42');
    }
    expect(sharedRateLimiters.size).toBe(before);
  });
});
