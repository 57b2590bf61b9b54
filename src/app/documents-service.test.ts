import { describe, expect, it } from 'vitest';
import { classifyJobError } from '../jobs/job-errors.js';
import { configSchema } from '../config/schema.js';
import { systemClock } from '../platform/clock.js';
import { createLogger } from '../platform/logger.js';
import type { AppContext } from './context.js';
import { renderDocumentForJob } from './documents-service.js';

/**
 * A stored `reports.render` job that lacks a document's required parameter (a schedule written by
 * hand, an old payload) can never succeed: it fails at once, not after every retry.
 */
describe('reports.render job with a missing parameter', () => {
  it('fails permanently, naming the parameter', async () => {
    const app: AppContext = {
      config: configSchema.parse({}),
      configSource: null,
      logger: createLogger({ level: 'silent', pretty: false }),
      clock: systemClock,
      mirror: () => Promise.reject(new Error('the mirror is not needed to refuse the job')),
      close: async () => undefined,
    };
    const err = await renderDocumentForJob(app, {
      report: 'activity',
      asOf: Date.now(),
      params: {},
    }).catch((e: unknown) => e);
    expect(String(err)).toContain('params.month');
    expect(classifyJobError(err)).toEqual({ kind: 'permanent' });
  });
});
