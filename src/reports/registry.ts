import { createDocumentRegistry, type DocumentDefinition } from './define-document.js';
import { activityDocument } from './documents/activity.js';
import { auditDocument } from './documents/audit.js';
import { journalDocument } from './documents/journal.js';
import { performanceDocument } from './documents/performance.js';
import { studentDocument } from './documents/student.js';
import { weeklyDocument } from './documents/weekly.js';

/**
 * Every printed document, one line each, in the order `ezh report --help` lists them. The CLI's
 * subcommands, the `reports.render` job, the subscriptions' documents and the demo derive from it.
 */
export const DOCUMENT_DEFINITIONS: readonly DocumentDefinition[] = [
  journalDocument,
  auditDocument,
  performanceDocument,
  activityDocument,
  weeklyDocument,
  studentDocument,
];

/** Built and validated when the module loads: a duplicate id fails every command at once. */
export const DOCUMENTS = createDocumentRegistry(DOCUMENT_DEFINITIONS);
