/**
 * Official documents as PDF: the printed class journal, the compliance note, period results and
 * monthly activity. Each `render*` returns the path of the PDF it wrote.
 */
export { renderActivity, type ActivityOptions } from './documents/activity.js';
export { renderAudit, type AuditOptions } from './documents/audit.js';
export { createPdfRenderer, type RenderOptions } from './documents/context.js';
export { renderAllDemoReports } from './documents/demo.js';
export {
  renderJournal,
  renderJournals,
  type JournalOptions,
  type JournalResult,
} from './documents/journal.js';
export { renderPerformance, type PerformanceOptions } from './documents/performance.js';
export { PdfRenderer, type PdfResult } from './pdf/renderer.js';
