import { join } from 'node:path';
import type { Config } from '../../config/schema.js';
import type { Mirror } from '../../mirror/data-source.js';
import type { Clock } from '../../platform/clock.js';
import type { Logger } from '../../platform/logger.js';
import { resolveSchool, type SchoolInfo } from '../data/school.js';
import { resolveChromiumPath } from '../pdf/chromium.js';
import { PdfRenderer } from '../pdf/renderer.js';
import type { SqlExecutor } from '../../mirror/sql.js';

/** What every document renderer shares: the mirror, the school, the PDF renderer, output paths. */

/**
 * What documents need of the application: the DocumentApp of src/app satisfies it. Reports sit
 * below the composition root and name no type of it.
 */
export interface DocumentApp {
  config: Config;
  logger: Logger;
  /** The process's "now" (printed-at stamps); the sandbox's in the demo and tests. */
  clock: Clock;
  mirror(): Promise<Mirror>;
}

export interface RenderOptions {
  /** Output file; default `<outDir>/<doc>-<…>.pdf`. */
  out?: string;
  /** Output directory for the default name; default `config.outDir`. */
  outDir?: string;
  /** Platform school id; default: the only school (configured, else mirrored); several: exit 2. */
  schoolId?: string;
  /** A renderer shared by several documents; without one, a browser is started and closed for this call. */
  renderer?: PdfRenderer;
}

export function createPdfRenderer(app: DocumentApp): PdfRenderer {
  const r = app.config.reports;
  return new PdfRenderer({
    executablePath: resolveChromiumPath(r.chromiumPath),
    concurrency: r.concurrency,
    recycleAfter: r.recycleAfter,
    timeoutMs: r.timeoutMs,
    launchTimeoutMs: r.launchTimeoutMs,
    logger: app.logger,
  });
}

export async function withRenderer<T>(
  app: DocumentApp,
  given: PdfRenderer | undefined,
  fn: (r: PdfRenderer) => Promise<T>,
): Promise<T> {
  if (given) return fn(given);
  const renderer = createPdfRenderer(app);
  try {
    return await fn(renderer);
  } finally {
    await renderer.close();
  }
}

export async function documentContext(
  app: DocumentApp,
  opts: RenderOptions,
): Promise<{ db: SqlExecutor; school: SchoolInfo }> {
  const { db } = await app.mirror();
  return { db, school: await resolveSchool(db, app.config, opts.schoolId) };
}

export function outPath(app: DocumentApp, opts: RenderOptions, name: string): string {
  return opts.out ?? join(opts.outDir ?? app.config.outDir, name);
}
