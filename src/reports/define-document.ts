import type { z } from 'zod';
import type { DocumentApp } from './documents/context.js';
import { SUBSCRIPTION_LETTERS } from '../config/sections/alerts.js';
import type { Config } from '../config/schema.js';
import type { SqlExecutor } from '../mirror/sql.js';
import { UsageError } from '../platform/errors.js';
import type { SchoolInfo } from './data/school.js';
import type { HtmlDocument } from './html/document.js';
import type { PdfResult } from './pdf/renderer.js';

/**
 * A printed document as one unit: what it needs (`params`), where its data comes from (`load`),
 * how it looks (`view`), what its file is called, and how each door offers it (the CLI's
 * `ezh report <id>`, the `reports.render` job, a subscription's scheduled letter, the demo). The
 * registry (`registry.ts`) lists the units; everything else derives from it, so a new document is
 * its own files plus one registry line.
 */

/** What `load` reads with: the app's services and the mirror. */
export interface DocumentLoadContext {
  app: DocumentApp;
  db: SqlExecutor;
  /**
   * The path the document will be written to, given the parts of its default name (`fileName`):
   * for a document that prints its own file name (the journal's certification page).
   */
  outFile(parts: readonly string[]): string;
}

/** What the `printed` hook sees: the file written and everything it was made from. */
export interface PrintedContext<P, D> extends DocumentLoadContext {
  school: SchoolInfo;
  params: P;
  data: D;
  doc: HtmlDocument;
}

/** One option of the document's `ezh report` subcommand (`--out` and `--school` are added for all). */
export interface DocumentCliOption {
  /** Commander flags, e.g. `--class <name>`. */
  flags: string;
  description: string;
  required?: boolean;
}

/**
 * A subscription's occurrence, for documents people subscribe to (`alerts.subscriptions`): what
 * the alerts module knows when a schedule fires.
 */
export interface SubscriptionOccurrence {
  schoolId: string;
  /** The occurrence that fired. */
  asOf: number;
  /** The schedule's previous occurrence (the start of the range the letter covers), if known. */
  from: number | null;
  zone: string;
  /** `<from>..<asOf>` (or `<asOf>`) to the minute in school time: an edition per occurrence. */
  range: string;
  /** The latest reporting period of the school that ended before the occurrence's day. */
  lastEndedPeriod(): Promise<string | null>;
}

/** One edition of a subscribed document: sent once per subscriber. Null: nothing to send yet. */
export interface SubscriptionEdition<P> {
  edition: string;
  /** Russian: the letter's subject and text. */
  title: string;
  params: P;
  /**
   * A document of one class (the weekly sheet): this edition goes to that class's class teachers
   * besides the subscription's own recipients (the administration), and to no other teacher.
   */
  classId?: string;
}

/**
 * What an archive is being made of, for the documents it carries (`archive` of a spec): the
 * archive module's own view of it, restated here so that documents need not import the archive.
 */
export interface ArchiveOccasion {
  /** The instant the archive records. */
  asOf: number;
  /** Classes (not groups) of a period or year archive, in grade order; none for a regular one. */
  classes: readonly { id: string; name: string }[];
  /** The period or the year whose journals the archive keeps; null: a regular (weekly) archive. */
  journals: { kind: 'period'; name: string } | { kind: 'year'; label: string } | null;
  /** The archive's file name and data snapshot's SHA-256, for copies that name their archive. */
  archive?: { fileName: string; dataSha256: string | null };
}

/**
 * A subscription's editions for one occurrence: one, none (null) or one per class. `app` is given
 * by the composition root (app/documents-service.ts), for documents that must read the mirror to
 * know their editions (the classes in session for the weekly sheets).
 */
export type SubscriptionEditions<P> = (
  o: SubscriptionOccurrence,
  app?: DocumentApp,
) => Promise<SubscriptionEdition<P> | readonly SubscriptionEdition<P>[] | null>;

/** What the demo found in the mirror to print one of each document from. */
export interface DemoSample {
  /** First class with lessons and periods, with its latest finished (else latest begun) period. */
  className: string | null;
  period: string | null;
  /** `YYYY-MM` of the latest change the mirror saw. */
  month: string;
  /** The first class with a mark (grade 1 has none), for the progress documents. */
  markedClass: string | null;
  /** The person id of that class's student with the most marks (an id: a name never leaves the mirror here). */
  student: string | null;
}

export interface DocumentSpec<P, D> {
  /** The CLI subcommand, the job's `report`, the subscription's `document`, the files' first word. */
  id: string;
  /** Russian title, e.g. «Справка по итогам проверки ЭЖ». */
  title: string;
  /** Parameters every door must supply (validated before anything is read). */
  params: z.ZodType<P>;
  load(ctx: DocumentLoadContext, school: SchoolInfo, params: P): Promise<D>;
  view(data: D, settings: Config['reports']): HtmlDocument;
  /** Parts of the default file name after `<id>-<school id>`, e.g. the class and the period. */
  fileName(data: D, params: P, school: SchoolInfo): readonly string[];
  /**
   * After printing: a check of the printed file (the journal's page count), or bookkeeping of it
   * (an issued справка recorded); a failure fails the render.
   */
  printed?(result: PdfResult, ctx: PrintedContext<P, D>): void | Promise<void>;
  cli: {
    description: string;
    options: readonly DocumentCliOption[];
    /** The default name shown in `--out`'s help, e.g. `audit-<school>-<date>.pdf`. */
    outName: string;
    /** The subcommand's parsed options (commander's camelCase keys) to `params`' input. */
    params(options: Record<string, unknown>): unknown;
  };
  /** The `reports.render` job: its string params (and as-of) to `params`' input. */
  job: {
    params(params: Readonly<Record<string, string>>, asOf: number): unknown;
    /**
     * The string params `params` reads: each is an option `--<key> <value>` of `ezh jobs run
     * report` (its help taken from the CLI option of the same name, if any).
     */
    keys: readonly string[];
    /** Params `ezh jobs run report` must be given (checked when the job is queued). */
    required?: readonly string[];
  };
  /** Present when people can subscribe to the document: one edition per occurrence. */
  subscription?: {
    edition: SubscriptionEditions<NoInfer<P>>;
  };
  /** The demo's params from its sample; null (or absent): the demo skips the document. */
  demo?(sample: DemoSample): NoInfer<P> | null;
  /** Present when archives carry the document: the copies one archive carries (none: skipped). */
  archive?: {
    /** The subfolder of the archive's `documents/` the copies go to; absent: `documents/` itself. */
    folder?: string;
    copies(occasion: ArchiveOccasion): readonly NoInfer<P>[];
  };
}

/** A document ready to print: its HTML and its default file name's parts. */
export interface PreparedDocument {
  doc: HtmlDocument;
  fileParts: readonly string[];
  printed?: (result: PdfResult) => void | Promise<void>;
}

/** The unit the registry holds: a spec with its types erased behind `prepare` (params validated there). */
export interface DocumentDefinition {
  id: string;
  title: string;
  cli: DocumentSpec<unknown, unknown>['cli'];
  job: DocumentSpec<unknown, unknown>['job'];
  subscription?: {
    edition: SubscriptionEditions<unknown>;
  };
  demo?(sample: DemoSample): unknown;
  archive?: { folder?: string; copies(occasion: ArchiveOccasion): readonly unknown[] };
  /** Validates `params` (exit 2 with every problem) and loads and lays out the document. */
  prepare(ctx: DocumentLoadContext, school: SchoolInfo, params: unknown): Promise<PreparedDocument>;
}

export function defineDocument<P, D>(spec: DocumentSpec<P, D>): DocumentDefinition {
  return {
    id: spec.id,
    title: spec.title,
    cli: spec.cli,
    job: spec.job,
    ...(spec.subscription ? { subscription: spec.subscription } : {}),
    ...(spec.demo ? { demo: spec.demo } : {}),
    ...(spec.archive ? { archive: spec.archive } : {}),
    prepare: async (ctx, school, input) => {
      const parsed = spec.params.safeParse(input);
      if (!parsed.success) {
        throw new UsageError(
          `invalid parameters for document ${spec.id}`,
          parsed.error.issues.map((i) => `${i.path.join('.') || spec.id}: ${i.message}`),
        );
      }
      const params = parsed.data;
      const data = await spec.load(ctx, school, params);
      const doc = spec.view(data, ctx.app.config.reports);
      const printed = spec.printed;
      return {
        doc,
        fileParts: spec.fileName(data, params, school),
        ...(printed
          ? {
              printed: (result: PdfResult) =>
                printed(result, { ...ctx, school, params, data, doc }),
            }
          : {}),
      };
    },
  };
}

/** The registry: documents by id, checked once at start-up. */
export interface DocumentRegistry {
  readonly all: readonly DocumentDefinition[];
  get(id: string): DocumentDefinition | undefined;
  /** Like `get`, but an unknown id is a usage error listing the known ones. */
  require(id: string): DocumentDefinition;
}

const ID = /^[a-z][a-z0-9-]*$/;

/**
 * Builds and validates a registry: ids are unique lowercase words (they are CLI subcommands and
 * file names' first word), no document declares the same CLI option twice, the job's params are
 * lowercase words (they become options of `ezh jobs run report`) and include the required ones.
 */
export function createDocumentRegistry(
  definitions: readonly DocumentDefinition[],
): DocumentRegistry {
  const byId = new Map<string, DocumentDefinition>();
  for (const d of definitions) {
    if (!ID.test(d.id)) {
      throw new Error(`document id ${JSON.stringify(d.id)} is not a lowercase word`);
    }
    if (byId.has(d.id)) throw new Error(`document ${d.id} is registered twice`);
    if ((SUBSCRIPTION_LETTERS as readonly string[]).includes(d.id)) {
      throw new Error(`document ${d.id} has the name of a subscription letter`);
    }
    for (const key of d.job.keys) {
      if (!ID.test(key)) {
        throw new Error(
          `document ${d.id}: job param ${JSON.stringify(key)} is not a lowercase word`,
        );
      }
    }
    const unread = (d.job.required ?? []).filter((key) => !d.job.keys.includes(key));
    if (unread.length > 0) {
      throw new Error(`document ${d.id}: required job params ${unread.join(', ')} are not in keys`);
    }
    if (d.archive?.folder !== undefined && !ID.test(d.archive.folder)) {
      throw new Error(
        `document ${d.id}: archive folder ${JSON.stringify(d.archive.folder)} is not a lowercase word`,
      );
    }
    const flags = new Set<string>();
    for (const o of d.cli.options) {
      const long = /--[a-z][a-z0-9-]*/.exec(o.flags)?.[0];
      if (!long) throw new Error(`document ${d.id}: option ${o.flags} has no long name`);
      if (long === '--out' || long === '--school' || flags.has(long)) {
        throw new Error(`document ${d.id}: option ${long} is declared twice`);
      }
      flags.add(long);
    }
    byId.set(d.id, d);
  }
  const all = [...byId.values()];
  return {
    all,
    get: (id) => byId.get(id),
    require: (id) => {
      const d = byId.get(id);
      if (!d) {
        throw new UsageError(`unknown document ${JSON.stringify(id)}`, [
          `expected one of ${all.map((x) => x.id).join(', ')}`,
        ]);
      }
      return d;
    },
  };
}
