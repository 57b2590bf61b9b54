import { describe, expect, it } from 'vitest';
import { PlatformError } from '../_shared/http-error.js';
import { readReply, type RawReply } from './reply.js';

/** Dnevnik's error names and statuses, in the platform-neutral reasons the jobs decide by. */
function reasonOf(reply: Partial<RawReply>): string {
  try {
    readReply(
      { status: 200, contentType: 'application/json', body: '', retryAfter: null, ...reply },
      { method: 'GET', path: 'schools/1', tokenLabel: 'token sha256:1a2b3c4d', nowMs: 0 },
    );
  } catch (err) {
    if (err instanceof PlatformError) return err.reason;
    throw err;
  }
  throw new Error('no error');
}

const body = (type: string) => JSON.stringify({ type, description: 'x' });

describe('Dnevnik errors in neutral words', () => {
  it('reads the request limit (with HTTP 200, 429 or the platform’s 433) as rateLimited', () => {
    expect(reasonOf({ body: body('apiRequestLimit') })).toBe('rateLimited');
    expect(reasonOf({ body: body('requestLimit') })).toBe('rateLimited');
    expect(reasonOf({ status: 429, body: '{}' })).toBe('rateLimited');
    expect(reasonOf({ status: 433, body: '{}' })).toBe('rateLimited');
  });

  it('reads server faults as unavailable, tokens as unauthorized, bad parameters as invalidRequest', () => {
    expect(reasonOf({ body: body('apiServerError') })).toBe('unavailable');
    expect(reasonOf({ status: 502, body: '{}' })).toBe('unavailable');
    expect(reasonOf({ status: 200, body: '' })).toBe('unavailable');
    expect(reasonOf({ status: 401, body: body('authorizationInvalidToken') })).toBe('unauthorized');
    expect(reasonOf({ body: body('authorizationOutOfScope') })).toBe('unauthorized');
    expect(reasonOf({ status: 400, body: body('parameterInvalid') })).toBe('invalidRequest');
  });
});
