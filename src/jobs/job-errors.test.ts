import { describe, expect, it } from 'vitest';
import { PlatformError, TokenPaused } from '../connectors/_shared/http-error.js';
import { classifyJobError } from './job-errors.js';

describe('a rate limit, as the worker handles it', () => {
  it('names the refused token, so that only it is paused', () => {
    const refused = new PlatformError('too many requests', {
      kind: 'retryable',
      reason: 'rateLimited',
      type: 'apiRequestLimit',
      status: 429,
      endpoint: 'GET users/me',
      retryAfterMs: 1000,
      limiterKey: 'api.example:0123456789abcdef',
    });
    expect(classifyJobError(refused)).toEqual({
      kind: 'rateLimit',
      waitMs: 1000,
      limiterKey: 'api.example:0123456789abcdef',
      paused: false,
    });
  });

  it('a request refused here because its token is still paused waits what remains', () => {
    expect(classifyJobError(new TokenPaused(42_000, 'h:0123456789abcdef'))).toEqual({
      kind: 'rateLimit',
      waitMs: 42_000,
      limiterKey: 'h:0123456789abcdef',
      paused: true,
    });
  });
});
