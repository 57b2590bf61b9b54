import type { AppContext } from './context.js';
import {
  createPdfRenderer,
  renderDocuments,
  DOCUMENTS,
  type DocumentDefinition,
  type DocumentRegistry,
  type PdfRenderer,
} from '../reports/index.js';
import type { ArchiveOccasion, DocumentRenderer, RenderedDocument } from '../archive/documents.js';

export type ClosableRenderer = DocumentRenderer & { close?: () => Promise<void> };

/** The copies of one document an archive carries, and the folder of `documents/` they go to. */
export interface ArchiveCopies {
  definition: DocumentDefinition;
  params: readonly unknown[];
  folder: string | null;
}

/**
 * What an archive carries, from the registry: every document with `archive`, in the registry's
 * order, with the copies it asks for on this occasion (a document asking for none is left out).
 */
export function archiveCopies(
  occasion: ArchiveOccasion,
  registry: DocumentRegistry = DOCUMENTS,
): ArchiveCopies[] {
  return registry.all.flatMap((definition) => {
    if (!definition.archive) return [];
    const params = definition.archive.copies(occasion);
    return params.length === 0
      ? []
      : [{ definition, params, folder: definition.archive.folder ?? null }];
  });
}

/**
 * The printed documents of the registry an archive carries (`archiveCopies`), printed through
 * the registry with one browser for the whole archive. Without Chromium the renderer fails with
 * the reason, which the archive records in its manifest.
 */
export async function reportsDocumentRenderer(
  app: AppContext,
  schoolId: string | undefined,
  registry: DocumentRegistry = DOCUMENTS,
): Promise<ClosableRenderer> {
  let pdf: PdfRenderer;
  try {
    pdf = createPdfRenderer(app);
  } catch (err) {
    return {
      render: async () => {
        throw err;
      },
    };
  }
  return {
    render: async (occasion, outDir) => {
      const out: RenderedDocument[] = [];
      for (const copies of archiveCopies(occasion, registry)) {
        const results = await renderDocuments(app, copies.definition, copies.params, {
          outDir,
          schoolId,
          renderer: pdf,
        });
        out.push(...results.map((r) => ({ path: r.path, folder: copies.folder })));
      }
      return out;
    },
    close: () => pdf.close(),
  };
}
