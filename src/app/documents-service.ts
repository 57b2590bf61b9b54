import type { SubscribedDocuments } from '../alerts/scheduled-documents.js';
import type { DocumentRegistry } from '../reports/define-document.js';
import { demoSample } from '../reports/documents/demo.js';
import { documentContext, withRenderer } from '../reports/documents/context.js';
import type { RenderOptions } from '../reports/documents/context.js';
import type { PdfRenderer } from '../reports/pdf/renderer.js';
import { DOCUMENTS } from '../reports/registry.js';
import { renderDocument, type DocumentResult } from '../reports/render-document.js';
import type { AppContext } from './context.js';
import { SUBSCRIPTION_LETTERS } from '../config/sections/alerts.js';
import type { Config } from '../config/schema.js';
import { didYouMean } from '../config/suggest.js';
import { ConfigError, UsageError } from '../platform/errors.js';

/**
 * The documents service: the one call the CLI (`ezh report <id>`), the `reports.render` job, the
 * subscriptions' letters and the demo print through, by registry id. Params are the document's
 * own (`params` of its definition), validated before anything is read.
 */
export function renderDocumentById(
  app: AppContext,
  id: string,
  params: unknown,
  opts: RenderOptions = {},
  registry: DocumentRegistry = DOCUMENTS,
): Promise<DocumentResult> {
  return renderDocument(app, registry.require(id), params, opts);
}

/**
 * The `reports.render` job's document: its string params (as stored in Redis schedules and given
 * to `ezh jobs run report`) turned into the document's params by its definition.
 */
export async function renderDocumentForJob(
  app: AppContext,
  job: {
    report: string;
    schoolId?: string;
    asOf: number;
    params: Readonly<Record<string, string>>;
  },
  registry: DocumentRegistry = DOCUMENTS,
): Promise<DocumentResult> {
  const definition = registry.require(job.report);
  for (const key of definition.job.required ?? []) {
    if (!job.params[key]) throw new UsageError(`reports.render needs params.${key}`);
  }
  return renderDocument(app, definition, definition.job.params(job.params, job.asOf), {
    schoolId: job.schoolId,
  });
}

/**
 * The registry's documents as the alerts' subscriptions see them (documents with a `subscription`).
 * `renderer`: one browser for every edition of a run (the weekly sheets: one PDF per class).
 */
export function subscribedDocuments(
  app: AppContext,
  registry: DocumentRegistry = DOCUMENTS,
  renderer?: PdfRenderer,
): SubscribedDocuments {
  return (id) => {
    const definition = registry.get(id);
    const subscription = definition?.subscription;
    if (!definition || !subscription) return undefined;
    return {
      edition: (o) => subscription.edition(o, app),
      render: async (schoolId, params) =>
        (
          await renderDocument(app, definition, params, {
            schoolId,
            ...(renderer ? { renderer } : {}),
          })
        ).path,
    };
  };
}

/** Ids of the documents people can subscribe to (besides the letters without a PDF). */
export function subscribableDocumentIds(registry: DocumentRegistry = DOCUMENTS): string[] {
  return registry.all.filter((d) => d.subscription).map((d) => d.id);
}

/**
 * Every `alerts.subscriptions[].document` names a letter or a printed document that offers a
 * subscription (the config cannot know the registry): exit 2 listing each unknown one.
 */
export function checkSubscribedDocuments(
  config: Pick<Config, 'alerts'>,
  source: string | null = null,
  registry: DocumentRegistry = DOCUMENTS,
): void {
  const known = [...SUBSCRIPTION_LETTERS, ...subscribableDocumentIds(registry)];
  const problems = config.alerts.subscriptions.flatMap((s, i) =>
    known.includes(s.document)
      ? []
      : [
          `alerts.subscriptions.${i}.document: unknown document "${s.document}"${didYouMean(s.document, known)}; expected one of ${known.join(', ')}`,
        ],
  );
  if (problems.length > 0) {
    throw new ConfigError(`invalid configuration${source ? ` in ${source}` : ''}`, problems);
  }
}

/**
 * One of each document for the demo, with one browser, from what the mirror holds (the demo's
 * sample: documents/demo.ts); a document the sample cannot fill is skipped with a warning.
 */
export async function renderAllDemoDocuments(
  app: AppContext,
  opts: { outDir: string; schoolId?: string },
  registry: DocumentRegistry = DOCUMENTS,
): Promise<string[]> {
  const { db, school } = await documentContext(app, opts);
  const sample = await demoSample(db, school);
  const chosen = registry.all.flatMap((d) => {
    const params = d.demo?.(sample) ?? null;
    if (params === null) {
      if (d.demo) app.logger.warn({ document: d.id }, 'the demo mirror cannot fill it: skipped');
      return [];
    }
    return [{ definition: d, params }];
  });
  return withRenderer(app, undefined, async (renderer) => {
    const common = { outDir: opts.outDir, schoolId: school.id, renderer };
    return (
      await Promise.all(chosen.map((c) => renderDocument(app, c.definition, c.params, common)))
    ).map((r) => r.path);
  });
}
