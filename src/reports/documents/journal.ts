import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { z } from 'zod';
import { writePrivateFileAtomic } from '../../platform/private-files.js';
import type { DocumentApp } from './context.js';
import { UsageError } from '../../platform/errors.js';
import { findClass } from '../data/classes.js';
import { loadJournal } from '../data/journal.js';
import { defineDocument } from '../define-document.js';
import { renderJournalHtml } from '../html/journal-html.js';
import { renderDocument, renderDocuments, type DocumentResult } from '../render-document.js';
import type { RenderOptions } from './context.js';

const params = z.strictObject({
  /** Class name as users type it: «5А». */
  className: z.string().min(1),
  /** Period name («1 четверть»); null: the whole year. */
  period: z.string().min(1).nullable(),
  /**
   * The archive the journal is printed into (its certification page names it); absent: a journal
   * printed alone, whose page names the PDF and whose SHA-256 goes into `<pdf>.sha256` beside it.
   */
  archive: z
    .strictObject({ fileName: z.string().min(1), dataSha256: z.string().nullable() })
    .optional(),
});

/** The printed class journal for a period or the whole year. */
export const journalDocument = defineDocument({
  id: 'journal',
  title: 'Классный журнал',
  params,
  load: async ({ app, db, outFile }, school, p) => {
    const schoolClass = await findClass(db, school.id, p.className);
    const out = outFile([schoolClass.name, p.period ?? 'год']);
    const journal = await loadJournal(db, {
      school,
      schoolClass,
      period: p.period,
      printedAt: app.clock.now(),
      copy: p.archive
        ? { kind: 'archive', ...p.archive }
        : { kind: 'file', fileName: basename(out) },
    });
    return { schoolClass, journal };
  },
  view: (d, settings) => renderJournalHtml(d.journal, settings.journal),
  fileName: (d, p) => [d.schoolClass.name, p.period ?? 'год'],
  printed: (result, { app, doc, params }) => {
    // The PDF cannot hold its own hash: the certification page points to this file (0600).
    if (!params.archive) writeSha256Beside(result.path);
    if (doc.expectedPages !== null && result.pages !== doc.expectedPages) {
      app.logger.warn(
        { out: result.path, expected: doc.expectedPages, actual: result.pages },
        'journal page count differs from its layout',
      );
    }
  },
  cli: {
    description: 'printed class journal for a period or the whole year',
    options: [
      { flags: '--class <name>', description: 'class name, e.g. 5А', required: true },
      { flags: '--period <name>', description: 'reporting period name, e.g. "1 четверть"' },
      { flags: '--year', description: 'the whole school year' },
    ],
    outName: 'journal-<school>-<class>-<period>.pdf',
    params: (o) => {
      if (Boolean(o.period) === Boolean(o.year)) {
        throw new UsageError('give exactly one of --period NAME or --year');
      }
      return { className: o.class, period: o.period ?? null };
    },
  },
  job: {
    params: (p) => ({ className: p.class, period: p.period ?? null }),
    keys: ['class', 'period'],
    required: ['class'],
  },
  // Period and year archives carry the journal of every class, their certification pages naming
  // the archive; regular archives carry none.
  archive: {
    folder: 'journals',
    copies: ({ journals, classes, archive }) =>
      journals === null
        ? []
        : classes.map((c) => ({
            className: c.name,
            period: journals.kind === 'period' ? journals.name : null,
            ...(archive ? { archive } : {}),
          })),
  },
  demo: (s) =>
    s.className !== null && s.period !== null ? { className: s.className, period: s.period } : null,
});

export type JournalOptions = RenderOptions & z.infer<typeof params>;

export interface JournalResult extends DocumentResult {
  className: string;
}

/** The printed journal of one class; returns the PDF path. */
export async function renderJournal(app: DocumentApp, opts: JournalOptions): Promise<string> {
  const { className, period, archive, ...render } = opts;
  const params = { className, period, ...(archive ? { archive } : {}) };
  return (await renderDocument(app, journalDocument, params, render)).path;
}

/** Journals of several classes with one browser (a period archive). */
export async function renderJournals(
  app: DocumentApp,
  classes: readonly string[],
  opts: Omit<JournalOptions, 'className' | 'out'> & { onDone?: (r: JournalResult) => void },
): Promise<JournalResult[]> {
  const { period, archive, onDone, ...render } = opts;
  const results = await renderDocuments(
    app,
    journalDocument,
    classes.map((className) => ({ className, period, ...(archive ? { archive } : {}) })),
    {
      ...render,
      ...(onDone ? { onDone: (r, i) => onDone({ ...r, className: classes[i]! }) } : {}),
    },
  );
  return results.map((r, i) => ({ ...r, className: classes[i]! }));
}

/** `<pdf>.sha256` in `sha256sum -c` format: the electronic copy's hash its certification page names. */
function writeSha256Beside(pdf: string): void {
  const hash = createHash('sha256').update(readFileSync(pdf)).digest('hex');
  writePrivateFileAtomic(`${pdf}.sha256`, `${hash}  ${basename(pdf)}\n`);
}
