/**
 * Official documents as PDF: the printed class journal, the compliance note, period results and
 * monthly activity, each a `defineDocument` unit listed in `registry.ts` (the CLI, the job, the
 * subscriptions and the demo derive from it; `app/documents-service.ts` prints by id). The
 * `render*` helpers are typed shortcuts for code that wants one document; each returns the PDF's path.
 */
export { renderActivity, type ActivityOptions } from './documents/activity.js';
export { renderAudit, type AuditOptions } from './documents/audit.js';
export { createPdfRenderer, type RenderOptions } from './documents/context.js';
export {
  renderJournal,
  renderJournals,
  type JournalOptions,
  type JournalResult,
} from './documents/journal.js';
export { renderPerformance, type PerformanceOptions } from './documents/performance.js';
export {
  defineDocument,
  createDocumentRegistry,
  type DocumentDefinition,
  type DocumentRegistry,
  type DocumentSpec,
} from './define-document.js';
export { DOCUMENTS, DOCUMENT_DEFINITIONS } from './registry.js';
export { renderDocument, renderDocuments, type DocumentResult } from './render-document.js';
export { PdfRenderer, type PdfResult } from './pdf/renderer.js';
