import type { ActionDefinition, PageDefinition } from '../page.js';
import { homePage } from './home.js';
import { ictArchivesPage, ictVerifyArchiveAction } from './ict-archives.js';
import { ictAuditPage } from './ict-audit.js';
import { ictConfigPage } from './ict-config.js';
import { ictEventsPage } from './ict-events.js';
import { ictQuarantinePage } from './ict-quarantine.js';
import { ictSyncPage } from './ict-sync.js';

/**
 * Every page and action of the site: one file each under src/web/pages/ plus one line here, in
 * the order the header's menu lists them. The server (src/web/server.ts) makes the routes.
 */
export const PAGES: readonly PageDefinition[] = [
  homePage,
  ictSyncPage,
  ictQuarantinePage,
  ictEventsPage,
  ictArchivesPage,
  ictConfigPage,
  ictAuditPage,
];

export const ACTIONS: readonly ActionDefinition[] = [ictVerifyArchiveAction];
