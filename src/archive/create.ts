import { readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { Logger } from 'pino';
import type { Config } from '../config/schema.js';
import type { Mirror } from '../mirror/data-source.js';
import { loadSchoolContext, loadSchoolContexts, SchoolContexts } from '../mirror/school-context.js';
import { SqliteDb, type SqlDb, type SqlExecutor } from '../mirror/sql.js';
import { openSqlite } from '../mirror/sqlite-open.js';
import { systemClock, type Clock } from '../platform/clock.js';
import { EzhError, UsageError } from '../platform/errors.js';
import {
  addDocuments,
  archiveClasses,
  type DocumentRenderer,
  type JournalPeriod,
} from './documents.js';
import { writeExport } from './export-writer.js';
import { hashFile, makeWorkDir, writePrivateFile } from './files.js';
import {
  ARCHIVE_FORMAT,
  ARCHIVE_FORMAT_VERSION,
  CHECKSUMS,
  checksumsText,
  MANIFEST_CSV,
  MANIFEST_JSON,
  manifestCsv,
  SNAPSHOT_FILE,
  type ArchiveKind,
  type DocumentsEntry,
  type Manifest,
  type ManifestEntity,
  type ManifestFile,
} from './manifest.js';
import { ARCHIVE_SUFFIX, archiveFileName, studyYearLabel } from './naming.js';
import { recordArchiveEvent } from './operator-events.js';
import { packToDestinations } from './pack.js';
import { archiveLeaseKey, insertCreating, markComplete, markFailed } from './registry.js';
import { acquireLease, keepLeaseAlive, releaseLease } from '../mirror/leases.js';
import { listTables, type ArchivedTable } from './schema-introspect.js';
import { schoolFilter } from './school-filter.js';
import { sqliteSnapshot } from './snapshot.js';
import { ezhVersion } from './version.js';

/**
 * `ezh archive create`: snapshot + export + documents + manifests, packed once and written to
 * every destination. The run is registered in `archives` before any work, so a killed run is
 * visible; a failed run is recorded there and as an `archive_failed` operator event.
 */

export interface ArchiveDeps {
  mirror: Mirror;
  config: Config;
  logger: Logger;
  clock?: Clock;
  /** Document rendering from `src/reports`; null/undefined: documents recorded as absent. */
  renderer?: DocumentRenderer | null;
}

export interface CreateArchiveOptions {
  kind: ArchiveKind;
  /** Period name (kind `period`) or school-year label (kind `year`/`summary`, default: the as-of year). */
  period?: string | null;
  /** One school's rows only; default: the only configured school, else the whole mirror. */
  schoolId?: string | null;
  /** Extra destinations besides `archive.destinations`. */
  destinations?: readonly string[];
  /** Use only `destinations`, not the configured ones (tests, one-off copies). */
  onlyGivenDestinations?: boolean;
  /** The "as of" time of the data and the compliance note; default now. */
  asOf?: number;
}

export interface ArchiveResult {
  fileName: string;
  paths: string[];
  sha256: string;
  size: number;
  kind: ArchiveKind;
  period: string | null;
  schoolId: string | null;
  asOf: number;
  createdAt: number;
  documents: DocumentsEntry;
  entities: ManifestEntity[];
  durationMs: number;
}

/** What a summary-sheet archive keeps for 25 years: who studied where, and their period marks. */
export const SUMMARY_TABLES: ReadonlySet<string> = new Set([
  'schools',
  'classes',
  'persons',
  'enrollments',
  'subjects',
  'teacher_assignments',
  'reporting_periods',
  'final_marks',
]);

/** The school an archive is about: `--school`, else the only configured one, else null (the whole mirror). */
export function archiveSchoolId(
  config: Config,
  explicit: string | null | undefined,
): string | null {
  if (explicit !== undefined && explicit !== null) {
    if (!/^\d+$/.test(explicit)) {
      throw new UsageError('invalid --school', [
        `--school: must be a numeric platform id, got "${explicit}"`,
      ]);
    }
    return explicit;
  }
  return config.schools.length === 1 ? config.schools[0]!.id : null;
}

export function resolveDestinations(config: Config, options: CreateArchiveOptions): string[] {
  const list = options.onlyGivenDestinations
    ? [...(options.destinations ?? [])]
    : [...config.archive.destinations, ...(options.destinations ?? [])];
  if (list.length === 0) {
    throw new UsageError('no archive destination', [
      'archive.destinations: empty and no --dest given',
    ]);
  }
  return list;
}

/**
 * The zone an archive's dates (study year, period end) are read in: its school's (SchoolContext);
 * for a whole-mirror archive, the zone its schools share (`SchoolContexts.zoneFor`).
 */
export async function archiveZone(
  db: SqlExecutor,
  config: Pick<Config, 'schools'>,
  schoolId: string | null,
): Promise<string> {
  if (schoolId !== null) return (await loadSchoolContext(db, config, schoolId)).zone;
  // The whole mirror: a school whose zone nobody gave (rows of a school never synced itself)
  // does not block it; schools in different zones do (exit 2: archive each with --school).
  const schools = await loadSchoolContexts(db, config);
  const known = schools.all.filter((s) => s.zoneSource !== null);
  return new SchoolContexts(known.length > 0 ? known : schools.all).zoneFor();
}

async function resolvePeriod(
  db: SqlDb,
  options: CreateArchiveOptions,
  schoolId: string | null,
  asOf: number,
  zone: () => Promise<string>,
): Promise<string | null> {
  if (options.kind === 'regular') return null;
  if (options.kind === 'year' || options.kind === 'summary') {
    return options.period ?? studyYearLabel(asOf, await zone());
  }
  const name = options.period;
  const known = (
    await db.query<{ name: string }>(
      `SELECT DISTINCT name FROM reporting_periods WHERE deleted_at IS NULL ${schoolId ? 'AND school_id = ?' : ''} ORDER BY name`,
      schoolId ? [schoolId] : [],
    )
  ).map((r) => String(r.name));
  if (!name) {
    throw new UsageError('a period archive needs --period NAME', [
      `known periods: ${known.join(', ') || '(none in the mirror)'}`,
    ]);
  }
  if (!known.includes(name)) {
    throw new UsageError(`unknown period "${name}"`, [
      `known periods: ${known.join(', ') || '(none in the mirror)'}`,
    ]);
  }
  return name;
}

export async function createArchive(
  deps: ArchiveDeps,
  options: CreateArchiveOptions,
): Promise<ArchiveResult> {
  const clock = deps.clock ?? systemClock;
  const started = Date.now();
  const db = deps.mirror.db;
  const schoolId = archiveSchoolId(deps.config, options.schoolId);
  const destinations = resolveDestinations(deps.config, options);
  const createdAt = clock.now();
  const asOf = options.asOf ?? createdAt;
  const period = await resolvePeriod(db, options, schoolId, asOf, () =>
    archiveZone(db, deps.config, schoolId),
  );
  const fileName = archiveFileName(options.kind, schoolId, period, createdAt);
  const rootName = fileName.slice(0, -ARCHIVE_SUFFIX.length);
  const log = deps.logger.child({ archive: fileName });

  await insertCreating(db, {
    fileName,
    paths: [],
    kind: options.kind,
    period,
    schoolId,
    createdAt,
    asOf,
  });
  // The lease tells a live run from a killed one (`creating` forever otherwise).
  const leaseKey = archiveLeaseKey(fileName);
  await acquireLease(db, leaseKey, fileName, { what: `archive ${fileName}` });
  const stopHeartbeat = keepLeaseAlive(db, leaseKey, fileName);
  const work = makeWorkDir(deps.config.archive.workDir);
  const workDir = work.path;
  try {
    const root = join(workDir, rootName);
    log.info(
      { kind: options.kind, period, school: schoolId, destinations },
      'archive: reading the mirror',
    );
    const { exported, snapshot } = await exportData(db, options.kind, schoolId, root);

    let documents: DocumentsEntry = { status: 'not-applicable', reason: null, files: [] };
    if (options.kind !== 'summary') {
      const journals: JournalPeriod | null =
        options.kind === 'period'
          ? { kind: 'period', name: period! }
          : options.kind === 'year'
            ? { kind: 'year', label: period! }
            : null;
      log.info('archive: rendering documents');
      documents = await addDocuments({
        renderer: deps.renderer,
        classes: journals
          ? await archiveClasses(db, schoolId, journals.kind === 'period' ? journals.name : null)
          : [],
        journals,
        asOf,
        scratchDir: join(workDir, 'rendered'),
        rootDir: root,
        archive: {
          fileName,
          dataSha256: snapshot.file ? (await hashFile(join(root, snapshot.file))).sha256 : null,
        },
      });
      if (documents.status === 'absent') {
        if (deps.config.archive.requireDocuments) {
          throw new EzhError(`archive documents missing: ${documents.reason}`);
        }
        log.warn({ reason: documents.reason }, 'archive: printed documents are not included');
      }
    }

    writePrivateFile(join(root, MANIFEST_CSV), manifestCsv(exported.tables, documents));
    const files = await hashTree(root, [MANIFEST_JSON, CHECKSUMS]);
    const manifest: Manifest = {
      format: ARCHIVE_FORMAT,
      formatVersion: ARCHIVE_FORMAT_VERSION,
      ezhVersion: ezhVersion(),
      kind: options.kind,
      period,
      school: schoolId,
      asOf: new Date(asOf).toISOString(),
      createdAt: new Date(createdAt).toISOString(),
      source: { engine: db.dialect },
      snapshot,
      tables: exported.tables,
      entities: exported.entities,
      documents,
      files,
    };
    writePrivateFile(join(root, MANIFEST_JSON), `${JSON.stringify(manifest, null, 2)}\n`);
    const manifestHash = await hashFile(join(root, MANIFEST_JSON));
    writePrivateFile(
      join(root, CHECKSUMS),
      checksumsText([...files, { path: MANIFEST_JSON, ...manifestHash }]),
    );
    const members = [...files.map((f) => f.path), MANIFEST_JSON, CHECKSUMS].sort();

    log.info('archive: packing');
    const packed = await packToDestinations(
      workDir,
      rootName,
      members,
      destinations,
      fileName,
      new Date(createdAt),
    );
    const note = documents.status === 'absent' ? `documents absent: ${documents.reason}` : null;
    await markComplete(db, fileName, { ...packed, note });
    if (documents.status === 'absent') {
      await recordArchiveEvent(db, {
        kind: 'archive_documents_missing',
        severity: 'warning',
        schoolId,
        message: `archive ${fileName} has no printed documents: ${documents.reason}`,
        at: clock.now(),
      }).catch(() => undefined);
    }
    const result: ArchiveResult = {
      fileName,
      paths: packed.paths,
      sha256: packed.sha256,
      size: packed.size,
      kind: options.kind,
      period,
      schoolId,
      asOf,
      createdAt,
      documents,
      entities: exported.entities,
      durationMs: Date.now() - started,
    };
    log.info(
      { sha256: packed.sha256, size: packed.size, paths: packed.paths, ms: result.durationMs },
      'archive: written',
    );
    return result;
  } catch (err) {
    const message = (err as Error).message;
    await markFailed(db, fileName, message).catch(() => undefined);
    // The event must not mask the original failure: its own error is dropped.
    await recordArchiveEvent(db, {
      kind: 'archive_failed',
      severity: 'critical',
      schoolId,
      message: `archive ${fileName} failed: ${message}`,
      details: { kind: options.kind, period, destinations },
      at: clock.now(),
    }).catch(() => undefined);
    log.error({ err }, 'archive: failed');
    throw err;
  } finally {
    stopHeartbeat();
    await releaseLease(db, leaseKey, fileName).catch(() => undefined);
    work.dispose();
  }
}

async function exportData(
  db: SqlDb,
  kind: ArchiveKind,
  schoolId: string | null,
  root: string,
): Promise<{ exported: Awaited<ReturnType<typeof writeExport>>; snapshot: Manifest['snapshot'] }> {
  if (kind === 'summary') {
    const tables = (await listTables(db)).filter((t) => SUMMARY_TABLES.has(t.name));
    const exported = await writeExport(db, tables, (t) => schoolFilter(t, schoolId), root);
    return { exported, snapshot: { file: null, method: 'export only (summary sheets)' } };
  }
  if (db.dialect === 'sqlite') {
    const file = join(root, SNAPSHOT_FILE);
    await sqliteSnapshot(db, file, schoolId);
    // The export is read from the snapshot, so both describe exactly the same state.
    const handle = openSqlite(file, 'file', { readonly: true });
    try {
      const snap = new SqliteDb(handle);
      const tables = await listTables(snap);
      const exported = await writeExport(snap, tables, () => null, root);
      return { exported, snapshot: { file: SNAPSHOT_FILE, method: 'sqlite VACUUM INTO' } };
    } finally {
      handle.close();
    }
  }
  const tables: ArchivedTable[] = await listTables(db);
  const exported = await writeExport(db, tables, (t) => schoolFilter(t, schoolId), root);
  return {
    exported,
    snapshot: {
      file: null,
      method: 'postgresql REPEATABLE READ export (the JSON lines files are the snapshot)',
    },
  };
}

/** Every file under `root` (relative, `/`-separated, sorted) with its SHA-256, minus `exclude`. */
async function hashTree(root: string, exclude: readonly string[]): Promise<ManifestFile[]> {
  const out: ManifestFile[] = [];
  const walk = (dir: string): string[] =>
    readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
      e.isDirectory() ? walk(join(dir, e.name)) : [join(dir, e.name)],
    );
  for (const abs of walk(root)) {
    const rel = relative(root, abs).split('\\').join('/');
    if (exclude.includes(rel)) continue;
    out.push({ path: rel, ...(await hashFile(abs)) });
  }
  return out.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}
