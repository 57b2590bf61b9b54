import type { ActionDefinition, PageDefinition } from '../page.js';
import { adminDashboardPage } from './admin-dashboard.js';
import { adminFindingsPage } from './admin-findings.js';
import { auditNotesPage } from './audit-notes.js';
import { classWeeklyAction, studentExtractAction } from './class-documents.js';
import { classPage } from './class.js';
import { classesPage } from './classes.js';
import { documentsPage, renderDocumentAction } from './documents.js';
import {
  acknowledgeFindingAction,
  reopenFindingAction,
  waiveFindingAction,
} from './finding-actions.js';
import { findingPage } from './finding.js';
import { homePage } from './home.js';
import { ictArchivesPage, ictVerifyArchiveAction } from './ict-archives.js';
import { ictAuditPage } from './ict-audit.js';
import { ictConfigPage } from './ict-config.js';
import { ictEventsPage } from './ict-events.js';
import { ictQuarantinePage } from './ict-quarantine.js';
import { ictSyncPage } from './ict-sync.js';
import { myFindingsPage } from './my-findings.js';
import { renderFilePage, renderPage } from './renders.js';
import { teacherPage } from './teacher.js';

/**
 * Every page and action of the site: one file each under src/web/pages/ plus one line here, in
 * the order the header's menu lists them. The server (src/web/server.ts) makes the routes.
 */
export const PAGES: readonly PageDefinition[] = [
  homePage,
  adminDashboardPage,
  adminFindingsPage,
  classesPage,
  myFindingsPage,
  documentsPage,
  auditNotesPage,
  findingPage,
  teacherPage,
  classPage,
  renderPage,
  renderFilePage,
  ictSyncPage,
  ictQuarantinePage,
  ictEventsPage,
  ictArchivesPage,
  ictConfigPage,
  ictAuditPage,
];

export const ACTIONS: readonly ActionDefinition[] = [
  acknowledgeFindingAction,
  waiveFindingAction,
  reopenFindingAction,
  renderDocumentAction,
  classWeeklyAction,
  studentExtractAction,
  ictVerifyArchiveAction,
];
