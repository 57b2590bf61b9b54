import type { DocumentDefinition } from './define-document.js';
import {
  documentContext,
  outPath,
  withRenderer,
  type DocumentApp,
  type RenderOptions,
} from './documents/context.js';
import { documentFileName } from './documents/file-name.js';
import type { PdfResult } from './pdf/renderer.js';

/** A printed document: the file, its pages, and the pages its layout promised (null: the flow decides). */
export interface DocumentResult extends PdfResult {
  expectedPages: number | null;
}

/**
 * Prints one document of the registry: resolves the school, validates the params, loads, lays out,
 * prints to `opts.out` (default `<outDir>/<id>-<school>-<parts…>.pdf`).
 */
export async function renderDocument(
  app: DocumentApp,
  definition: DocumentDefinition,
  params: unknown,
  opts: RenderOptions = {},
): Promise<DocumentResult> {
  const { db, school } = await documentContext(app, opts);
  const outFile = (parts: readonly string[]): string =>
    outPath(app, opts, documentFileName(definition.id, school.id, ...parts));
  const prepared = await definition.prepare({ app, db, outFile }, school, params);
  const out = outFile(prepared.fileParts);
  return withRenderer(app, opts.renderer, async (r) => {
    const result = await r.render(prepared.doc, out);
    await prepared.printed?.(result);
    return { ...result, expectedPages: prepared.doc.expectedPages };
  });
}

/**
 * Several documents of one kind with one browser (the journals of a period archive): data of the
 * next ones is read while earlier ones print, at most `concurrency + 1` prepared at a time.
 * Results are in the order of `paramsList`.
 */
export async function renderDocuments(
  app: DocumentApp,
  definition: DocumentDefinition,
  paramsList: readonly unknown[],
  opts: Omit<RenderOptions, 'out'> & { onDone?: (r: DocumentResult, index: number) => void } = {},
): Promise<DocumentResult[]> {
  return withRenderer(app, opts.renderer, async (renderer) => {
    const results: DocumentResult[] = new Array(paramsList.length);
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < paramsList.length) {
        const i = next++;
        results[i] = await renderDocument(app, definition, paramsList[i], { ...opts, renderer });
        opts.onDone?.(results[i]!, i);
      }
    };
    const workers = Math.min(paramsList.length, app.config.reports.concurrency + 1);
    await Promise.all(Array.from({ length: workers }, worker));
    return results;
  });
}
