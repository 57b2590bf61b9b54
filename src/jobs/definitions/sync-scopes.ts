import { z } from 'zod';
import { runScopeGroup } from '../../sync/engine.js';
import { defineJob } from '../define-job.js';
import { plannedScope, runId, schoolId } from './sync-payloads.js';

/** A group of scopes of one run, read in order (one class, or one class window). */
export const syncScopesJob = defineJob({
  name: 'sync.scopes',
  queue: 'sync',
  payload: z.object({ schoolId, runId, scopes: z.array(plannedScope) }),
  async handler(ctx, payload) {
    const outcomes = await runScopeGroup(ctx.deps, payload.runId, payload.scopes, {
      signal: ctx.signal,
    });
    return {
      done: outcomes.filter((o) => !o.skipped).length,
      skipped: outcomes.filter((o) => o.skipped).length,
    };
  },
});
