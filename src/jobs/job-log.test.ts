import { UnrecoverableError } from 'bullmq';
import { describe, expect, it } from 'vitest';
import { UsageError } from '../platform/errors.js';
import { failureReason, jobErrorLog } from './job-log.js';

/** A job that fails for bad usage is logged as ezh prints it: message and problems, no stack. */
describe('how a failed job is logged', () => {
  const usage = new UsageError('--class: no class 9Я in school 1; known: 5А, 6Б');

  it('a usage error: its message, no stack; also wrapped as a queue’s permanent failure', () => {
    expect(jobErrorLog(usage)).toEqual({ error: usage.message });
    const wrapped = Object.assign(new UnrecoverableError(failureReason(usage)), { cause: usage });
    expect(jobErrorLog(wrapped)).toEqual({ error: usage.message });
    const listed = new UsageError('job "checks.run": invalid payload', ['asOf: expected number']);
    expect(jobErrorLog(listed)).toEqual({ error: listed.message, problems: listed.problems });
    expect(failureReason(listed)).toBe('job "checks.run": invalid payload: asOf: expected number');
  });

  it('any other error: the error itself, stack included', () => {
    const err = new Error('connection reset');
    expect(jobErrorLog(err)).toEqual({ err });
  });
});
