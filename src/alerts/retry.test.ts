import { describe, expect, it } from 'vitest';
import { isTransientSmtpError } from './channels/smtp.js';
import { backoffDelay, withRetry } from './retry.js';
import { countFindings } from './russian.js';

describe('retry', () => {
  it('doubles the delay, capped, with jitter only upwards', () => {
    const policy = { attempts: 5, baseDelayMs: 100, maxDelayMs: 300 };
    expect([1, 2, 3, 4].map((n) => backoffDelay(policy, n, () => 0))).toEqual([100, 200, 300, 300]);
    expect(backoffDelay(policy, 1, () => 1)).toBe(125);
  });

  it('stops at a permanent error and after the last attempt', async () => {
    const sleeps: number[] = [];
    const sleep = async (ms: number) => void sleeps.push(ms);
    let calls = 0;
    await expect(
      withRetry(
        async () => {
          calls++;
          throw Object.assign(new Error('x'), { responseCode: 550 });
        },
        { attempts: 5, baseDelayMs: 1, maxDelayMs: 1 },
        isTransientSmtpError,
        { sleep },
      ),
    ).rejects.toThrow('x');
    expect(calls).toBe(1);
    calls = 0;
    await expect(
      withRetry(
        async () => {
          calls++;
          throw Object.assign(new Error('y'), { code: 'ECONNECTION' });
        },
        { attempts: 3, baseDelayMs: 1, maxDelayMs: 1 },
        isTransientSmtpError,
        { sleep },
      ),
    ).rejects.toThrow('y');
    expect(calls).toBe(3);
    expect(sleeps).toHaveLength(2);
  });
});

describe('russian', () => {
  it('declines counts', () => {
    expect([1, 2, 5, 11, 21, 22, 25, 112].map(countFindings)).toEqual([
      '1 замечание',
      '2 замечания',
      '5 замечаний',
      '11 замечаний',
      '21 замечание',
      '22 замечания',
      '25 замечаний',
      '112 замечаний',
    ]);
  });
});
