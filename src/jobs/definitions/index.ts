import { alertsDocumentJob } from './alerts-document.js';
import { alertsOperatorJob } from './alerts-operator.js';
import { alertsSendJob } from './alerts-send.js';
import { archiveCreateJob } from './archive-create.js';
import { checksRunJob } from './checks-run.js';
import { reportsRenderJob } from './reports-render.js';
import { syncFinishJob } from './sync-finish.js';
import { syncSchoolJob } from './sync-school.js';
import { syncScopesJob } from './sync-scopes.js';
import { syncWindowsJob } from './sync-windows.js';

/**
 * Every job of ezh, one line each: a new job is its definition file plus a line here. The
 * registry each host builds at start-up (registry.ts) takes this list.
 */
export const SYNC_JOBS = [syncSchoolJob, syncWindowsJob, syncScopesJob, syncFinishJob] as const;

export const JOBS = [
  ...SYNC_JOBS,
  checksRunJob,
  alertsSendJob,
  alertsDocumentJob,
  alertsOperatorJob,
  reportsRenderJob,
  archiveCreateJob,
] as const;
