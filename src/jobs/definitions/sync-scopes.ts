import { z } from 'zod';
import { readScopes } from '../../app/sync-service.js';
import { defineJob } from '../define-job.js';
import { plannedScope, runId, schoolId } from './sync-payloads.js';

/** A group of scopes of one run, read in order (one class, or one class window). */
export const syncScopesJob = defineJob({
  name: 'sync.scopes',
  queue: 'sync',
  payload: z.object({ schoolId, runId, scopes: z.array(plannedScope) }),
  handler: (ctx, payload) => readScopes(ctx.deps, payload.runId, payload.scopes, ctx.signal),
});
