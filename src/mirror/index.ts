export { openMirror, type Mirror } from './data-source.js';
export { upsertRecords, type UpsertCounts, type WriteContext } from './mirror-writer.js';
export {
  deleteMissing,
  type DeletionResult,
  type DeletionScope,
  type MassDeletionGuard,
} from './scope-deletion.js';
export type { SqlDb, SqlExecutor } from './sql.js';
export { TABLES, tableOf } from './tables.js';
