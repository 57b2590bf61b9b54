import type { AppContext } from './context.js';
import {
  createPdfRenderer,
  renderDocument,
  renderDocuments,
  DOCUMENTS,
  type PdfRenderer,
} from '../reports/index.js';
import type { DocumentRenderer } from '../archive/documents.js';

export type ClosableRenderer = DocumentRenderer & { close?: () => Promise<void> };

/**
 * The printed documents of the registry an archive carries (`archive/documents.ts` decides which:
 * the journal of every class for period and year archives, the compliance note in each), printed
 * through the registry, one browser for the whole archive. Without Chromium the renderer
 * fails each call with the reason, which the archive records in its manifest.
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
    renderJournals: async (classes, period, outDir, archive) => {
      const journal = period.kind === 'period' ? period.name : null;
      const params = classes.map((c) => ({
        className: c.name,
        period: journal,
        ...(archive ? { archive } : {}),
      }));
      return (
        await renderDocuments(app, DOCUMENTS.require('journal'), params, {
          outDir,
          schoolId,
          renderer: pdf,
        })
      ).map((r) => r.path);
    },
    renderAudit: async (asOf, outDir) =>
      (
        await renderDocument(
          app,
          DOCUMENTS.require('audit'),
          // The archive's copy records the mirror; it is handed to no one, so it is no issued
          // справка and must not move the next one's window.
          { asOf, record: false },
          {
            outDir,
            schoolId,
            renderer: pdf,
          },
        )
      ).path,
    close: () => pdf.close(),
  };
}
