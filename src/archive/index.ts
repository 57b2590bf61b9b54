/** Archives: snapshot, export, manifest, verify, restore, compare, retention, jobs. */
export {
  createArchive,
  archiveSchoolId,
  archiveZone,
  SUMMARY_TABLES,
  type ArchiveDeps,
  type ArchiveResult,
  type CreateArchiveOptions,
} from './create.js';
export { runArchive, type ArchiveRunResult } from './run.js';
export { verifyArchive, verifyTree, type VerifyProblem, type VerifyReport } from './verify.js';
export { restoreArchive, type RestoreResult } from './restore.js';
export { hashMirror, diffMirrorHashes, type MirrorHash, type TableHash } from './hash-mirror.js';
export {
  applyRetention,
  planRetention,
  type PruneDecision,
  type RetentionPolicy,
  type RetentionResult,
} from './retention.js';
export { listArchives, type ArchiveRow, type ArchiveStatus } from './registry.js';
export {
  archiveClasses,
  type ArchiveClass,
  type ArchiveOccasion,
  type DocumentRenderer,
  type JournalPeriod,
  type RenderedDocument,
} from './documents.js';
export {
  createArchiveJob,
  duePeriodArchives,
  ARCHIVE_JOB_NAME,
  DEFAULT_ARCHIVE_CRON,
  type ArchiveJobPayload,
  type DueArchive,
} from './job.js';
export { parseDatabaseTarget } from './target.js';
export type { ArchiveKind, Manifest } from './manifest.js';
