import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import type { AppContext } from './context.js';
import { reportsDocumentRenderer, type ClosableRenderer } from './archive-documents.js';
import {
  archiveSchoolId,
  archiveZone,
  createArchive,
  type ArchiveDeps,
  type CreateArchiveOptions,
} from '../archive/create.js';
import { diffMirrorHashes, hashMirror, type MirrorHash } from '../archive/hash-mirror.js';
import { createArchiveJob, type ArchiveJobPayload } from '../archive/job.js';
import { listArchives, type ArchiveRow } from '../archive/registry.js';
import { restoreArchive, type RestoreResult } from '../archive/restore.js';
import { applyRetention, type RetentionResult } from '../archive/retention.js';
import { runArchive, type ArchiveRunResult } from '../archive/run.js';
import { verifyArchive, type VerifyReport } from '../archive/verify.js';
import { openMirror, type DatabaseConfig } from '../mirror/data-source.js';
import { asOfInstant } from '../mirror/school-context.js';
import type { Clock } from '../platform/clock.js';
import { UsageError } from '../platform/errors.js';
import type { Logger } from '../platform/logger.js';

/**
 * The archive service: `ezh archive …` and the `archive.create` job (and the coming web site)
 * create, list, verify, restore, compare and prune archives through these calls; the mirror,
 * the settings and the printed documents' renderer are wired here, the doors only print.
 */

/** Builds the printed documents' renderer for one run; null: archives list them as absent. */
export type RendererFactory = (
  app: AppContext,
  schoolId: string | undefined,
) => Promise<ClosableRenderer | null>;

/** A job's own logger and clock; a command uses the app's. */
export interface ArchiveRunDeps {
  logger: Logger;
  clock: Clock;
}

export interface CreateArchivesRequest extends CreateArchiveOptions {
  /** Apply retention after creating (and, at year end, add the summary-sheet archive). */
  prune: boolean;
}

export interface CreateArchivesResult {
  archives: ArchiveRunResult['archives'];
  retention: RetentionResult | null;
}

/**
 * An as-of given as text (`--as-of`): an ISO instant, or a local time read in the zone of the
 * archive's school (SchoolContext). None: undefined (the archive's default, now).
 */
export async function archiveAsOf(
  app: AppContext,
  text: string | undefined,
  schoolId: string | undefined,
): Promise<number | undefined> {
  if (!text) return undefined;
  const mirror = await app.mirror();
  return asOfInstant(text, () =>
    archiveZone(mirror.db, app.config, archiveSchoolId(app.config, schoolId)),
  );
}

async function withRenderer<T>(
  app: AppContext,
  schoolId: string | undefined,
  factory: RendererFactory | null,
  work: (renderer: ClosableRenderer | null) => Promise<T>,
): Promise<T> {
  const renderer = factory ? await factory(app, schoolId) : null;
  try {
    return await work(renderer);
  } finally {
    await renderer?.close?.();
  }
}

/** `ezh archive create`: one archive (with `prune`: the run, summary sheet and retention included). */
export async function createArchives(
  app: AppContext,
  request: CreateArchivesRequest,
  renderer: RendererFactory | null = reportsDocumentRenderer,
): Promise<CreateArchivesResult> {
  const mirror = await app.mirror();
  const { prune, ...options } = request;
  return withRenderer(app, options.schoolId ?? undefined, renderer, async (r) => {
    const deps: ArchiveDeps = {
      mirror,
      config: app.config,
      logger: app.logger,
      clock: app.clock,
      renderer: r,
    };
    return prune
      ? await runArchive(deps, options)
      : { archives: [await createArchive(deps, options)], retention: null };
  });
}

/** The `archive.create` job: a weekly archive, or those of the periods that just ended. */
export async function runScheduledArchives(
  app: AppContext,
  payload: ArchiveJobPayload,
  run: ArchiveRunDeps,
): Promise<ArchiveRunResult[]> {
  const schoolId = payload.schoolId ?? undefined;
  return withRenderer(app, schoolId, reportsDocumentRenderer, async (renderer) =>
    createArchiveJob(
      {
        mirror: await app.mirror(),
        config: app.config,
        logger: run.logger,
        clock: run.clock,
        renderer,
      },
      payload,
    ),
  );
}

/** Re-hashes every member and re-counts every export file and the snapshot. */
export async function verifyArchiveFile(app: AppContext, file: string): Promise<VerifyReport> {
  return verifyArchive(file, { workDir: app.config.archive.workDir });
}

/** Rebuilds a mirror from an archive (verified first) into a new, empty database. */
export async function restoreArchiveFile(
  app: AppContext,
  file: string,
  target: DatabaseConfig,
): Promise<RestoreResult> {
  if (!existsSync(file)) throw new UsageError(`archive not found: ${file}`);
  return restoreArchive(file, target, {
    logger: app.logger,
    workDir: app.config.archive.workDir,
  });
}

export interface MirrorComparison {
  a: MirrorHash;
  b: MirrorHash;
  /** One line per difference; empty: the mirrors hold the same data. */
  differences: string[];
}

/** Row counts and content hashes per table of two mirrors (A default: the configured one). */
export async function compareMirrors(
  app: AppContext,
  a: DatabaseConfig | undefined,
  b: DatabaseConfig,
  schoolId: string | undefined,
): Promise<MirrorComparison> {
  const [ha, hb] = [await hashOf(a ?? app.config.database, schoolId), await hashOf(b, schoolId)];
  return { a: ha, b: hb, differences: diffMirrorHashes(ha, hb) };
}

async function hashOf(database: DatabaseConfig, schoolId: string | undefined) {
  if (database.type === 'sqlite' && !existsSync(database.path)) {
    throw new UsageError(`database not found: ${database.path}`);
  }
  // No migrations: comparing must not change either side.
  const mirror = await openMirror(database, { migrate: false });
  try {
    return await hashMirror(mirror.db, { schoolId: schoolId ?? null });
  } finally {
    await mirror.close();
  }
}

/** Archives registered in the mirror, newest first. */
export async function listArchivesForApp(
  app: AppContext,
  schoolId: string | undefined,
): Promise<ArchiveRow[]> {
  return listArchives((await app.mirror()).db, { schoolId: schoolId ?? null });
}

/** Retention (archive.keepLast, keepYears, keepSummaryYears) and leftovers of killed runs. */
export async function pruneArchives(
  app: AppContext,
  options: { dryRun: boolean },
): Promise<RetentionResult> {
  const mirror = await app.mirror();
  return applyRetention(
    mirror.db,
    { ...app.config.archive, workDir: app.config.archive.workDir ?? tmpdir() },
    { now: app.clock.now(), dryRun: options.dryRun },
  );
}
