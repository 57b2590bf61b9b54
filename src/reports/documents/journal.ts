import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { writePrivateFileAtomic } from '../../platform/private-files.js';
import type { AppContext } from '../../app/context.js';
import { findClass } from '../data/classes.js';
import { loadJournal } from '../data/journal.js';
import { renderJournalHtml } from '../html/journal-html.js';
import type { PdfResult } from '../pdf/renderer.js';
import { documentFileName } from './file-name.js';
import { documentContext, outPath, withRenderer, type RenderOptions } from './context.js';

export interface JournalOptions extends RenderOptions {
  /** Class name as users type it: «5А». */
  className: string;
  /** Period name («1 четверть»); null: the whole year. */
  period: string | null;
  /**
   * The archive the journal is printed into (its certification page names it); absent: a journal
   * printed alone, whose page names the PDF and whose SHA-256 goes into `<pdf>.sha256` beside it.
   */
  archive?: { fileName: string; dataSha256: string | null };
}

export interface JournalResult extends PdfResult {
  className: string;
  /** Pages the layout promised (a warning is logged when `pages` differs). */
  expectedPages: number | null;
}

/** The printed journal of one class; returns the PDF path. */
export async function renderJournal(app: AppContext, opts: JournalOptions): Promise<string> {
  return (await renderJournalDocument(app, opts)).path;
}

async function renderJournalDocument(
  app: AppContext,
  opts: JournalOptions,
): Promise<JournalResult> {
  const { db, school } = await documentContext(app, opts);
  const schoolClass = await findClass(db, school.id, opts.className);
  const out = outPath(
    app,
    opts,
    documentFileName('journal', school.id, schoolClass.name, opts.period ?? 'год'),
  );
  const data = await loadJournal(db, {
    school,
    schoolClass,
    period: opts.period,
    printedAt: app.clock.now(),
    copy: opts.archive
      ? { kind: 'archive', ...opts.archive }
      : { kind: 'file', fileName: basename(out) },
  });
  const doc = renderJournalHtml(data, app.config.reports.journal);
  return withRenderer(app, opts.renderer, async (r) => {
    const result = await r.render(doc, out);
    // The PDF cannot hold its own hash: the certification page points to this file (0600).
    if (!opts.archive) writeSha256Beside(out);
    if (doc.expectedPages !== null && result.pages !== doc.expectedPages) {
      app.logger.warn(
        { out, expected: doc.expectedPages, actual: result.pages },
        'journal page count differs from its layout',
      );
    }
    return { ...result, className: schoolClass.name, expectedPages: doc.expectedPages };
  });
}

/**
 * Journals of several classes with one browser: data of the next classes is read while earlier
 * ones print, at most `concurrency + 1` documents prepared at a time.
 */
export async function renderJournals(
  app: AppContext,
  classes: readonly string[],
  opts: Omit<JournalOptions, 'className' | 'out'> & { onDone?: (r: JournalResult) => void },
): Promise<JournalResult[]> {
  return withRenderer(app, opts.renderer, async (renderer) => {
    const results: JournalResult[] = new Array(classes.length);
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < classes.length) {
        const i = next++;
        const result = await renderJournalDocument(app, {
          ...opts,
          className: classes[i]!,
          renderer,
        });
        results[i] = result;
        opts.onDone?.(result);
      }
    };
    const workers = Math.min(classes.length, app.config.reports.concurrency + 1);
    await Promise.all(Array.from({ length: workers }, worker));
    return results;
  });
}

/** `<pdf>.sha256` in `sha256sum -c` format: the electronic copy's hash its certification page names. */
function writeSha256Beside(pdf: string): void {
  const hash = createHash('sha256').update(readFileSync(pdf)).digest('hex');
  writePrivateFileAtomic(`${pdf}.sha256`, `${hash}  ${basename(pdf)}\n`);
}
