import type { AppContext } from '../app/context.js';
import {
  createPdfRenderer,
  renderAudit,
  renderJournals,
  type PdfRenderer,
} from '../reports/index.js';
import type { DocumentRenderer } from './documents.js';

export type ClosableRenderer = DocumentRenderer & { close?: () => Promise<void> };

/**
 * The printed documents of `src/reports`, one browser for the whole archive. Without Chromium
 * the renderer fails each call with the reason, which the archive records in its manifest.
 */
export async function reportsDocumentRenderer(
  app: AppContext,
  schoolId: string | undefined,
): Promise<ClosableRenderer> {
  let pdf: PdfRenderer;
  try {
    pdf = createPdfRenderer(app);
  } catch (err) {
    const fail = async (): Promise<never> => {
      throw err;
    };
    return { renderJournals: fail, renderAudit: fail };
  }
  return {
    renderJournals: async (classes, period, outDir, archive) =>
      (
        await renderJournals(
          app,
          classes.map((c) => c.name),
          {
            period: period.kind === 'period' ? period.name : null,
            outDir,
            schoolId,
            renderer: pdf,
            ...(archive ? { archive } : {}),
          },
        )
      ).map((r) => r.path),
    // The archive's copy is not an issued справка: the next one's window does not start there.
    renderAudit: (asOf, outDir) =>
      renderAudit(app, { asOf, outDir, schoolId, renderer: pdf, record: false }),
    close: () => pdf.close(),
  };
}
