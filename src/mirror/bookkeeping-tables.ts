import { ALL_TABLES, COMMON_COLUMNS } from './tables.js';
import type { TableDef } from './table-def.js';

/**
 * Tables that are not platform data: history, sync bookkeeping, quarantine, operator events,
 * check runs and findings. Mirrored tables come from `tables.ts`.
 */

const c = (name: string, type: TableDef['columns'][number]['type'], nullable = true) => ({
  name,
  type,
  nullable,
});

export const RECORD_VERSIONS: TableDef = {
  name: 'record_versions',
  columns: [
    c('entity', 'text', false),
    c('source', 'text', false),
    c('record_id', 'text', false),
    c('version', 'integer', false),
    c('school_id', 'text', false),
    /** insert | update | delete | restore */
    c('change_kind', 'text', false),
    c('observed_at', 'bigint', false),
    c('content_hash', 'text', false),
    /** The normalized record as JSON (for a deletion: the last payload seen). */
    c('payload', 'text', false),
    c('sync_run_id', 'text'),
  ],
  primary: ['entity', 'source', 'record_id', 'version'],
  // One secondary index only: every index costs a B-tree insert per version on the sync's hot path.
  indexes: [['school_id', 'entity', 'observed_at']],
};

export const SYNC_RUNS: TableDef = {
  name: 'sync_runs',
  columns: [
    c('id', 'text', false),
    c('school_id', 'text', false),
    c('source', 'text', false),
    /** full | incremental | backfill | reconcile */
    c('mode', 'text', false),
    /** running | succeeded | held (deletions held back) | partial | failed */
    c('status', 'text', false),
    c('started_at', 'bigint', false),
    c('finished_at', 'bigint'),
    c('scopes_total', 'integer', false),
    c('scopes_done', 'integer', false),
    c('error', 'text'),
    /** JSON: anything the run wants an operator to know (refused deletions, drift). */
    c('notes', 'text'),
  ],
  primary: ['id'],
  indexes: [['school_id', 'started_at']],
};

export const SYNC_RUN_STREAMS: TableDef = {
  name: 'sync_run_streams',
  columns: [
    c('run_id', 'text', false),
    c('stream', 'text', false),
    c('requests', 'integer', false),
    c('retries', 'integer', false),
    c('inserted', 'integer', false),
    c('changed', 'integer', false),
    c('unchanged', 'integer', false),
    c('deleted', 'integer', false),
    c('quarantined', 'integer', false),
    c('errors', 'integer', false),
    c('duration_ms', 'bigint', false),
  ],
  primary: ['run_id', 'stream'],
  indexes: [],
};

export const SYNC_CHECKPOINTS: TableDef = {
  name: 'sync_checkpoints',
  columns: [
    /** `${schoolId}/${classId|-}/${streams}/${from|-}..${to|-}` */
    c('scope_key', 'text', false),
    c('school_id', 'text', false),
    c('class_id', 'text'),
    c('streams', 'text', false),
    c('window_from', 'text'),
    c('window_to', 'text'),
    c('completed_at', 'bigint', false),
    c('sync_run_id', 'text', false),
    c('records', 'integer', false),
    /** Hash of everything the scope returned: an unchanged scope is recognised cheaply. */
    c('scope_hash', 'text'),
  ],
  primary: ['scope_key'],
  indexes: [['school_id', 'completed_at']],
};

export const QUARANTINE: TableDef = {
  name: 'quarantine',
  columns: [
    c('id', 'integer', false),
    c('source', 'text', false),
    c('school_id', 'text', false),
    c('stream', 'text', false),
    c('record_ref', 'text'),
    c('reason', 'text', false),
    c('payload', 'text', false),
    c('observed_at', 'bigint', false),
    c('sync_run_id', 'text'),
  ],
  primary: ['id'],
  indexes: [['school_id', 'stream']],
};

export const OPERATOR_EVENTS: TableDef = {
  name: 'operator_events',
  columns: [
    c('id', 'integer', false),
    c('at', 'bigint', false),
    /** schema_drift | mass_deletion_refused | sync_failed | archive_failed | ... */
    c('kind', 'text', false),
    c('severity', 'text', false),
    c('school_id', 'text'),
    c('message', 'text', false),
    c('details', 'text'),
    c('acknowledged_at', 'bigint'),
  ],
  primary: ['id'],
  indexes: [['kind', 'at']],
};

export const CHECK_RUNS: TableDef = {
  name: 'check_runs',
  columns: [
    c('id', 'text', false),
    c('school_id', 'text', false),
    c('as_of', 'bigint', false),
    c('started_at', 'bigint', false),
    c('finished_at', 'bigint'),
    c('status', 'text', false),
    /** JSON: rule ids with the parameters they ran with. */
    c('rules', 'text', false),
    c('finding_count', 'integer', false),
    c('new_count', 'integer', false),
    c('resolved_count', 'integer', false),
    /** How precise entry times are: `platform` or the sync interval in minutes. */
    c('entry_time_precision', 'text'),
    /**
     * `current`: as of the mirror's present (opens and resolves findings); `what-if`: as of any
     * other instant, stored with its counts only (see src/checks/run-kind.ts). Written by every run.
     */
    c('kind', 'text'),
  ],
  primary: ['id'],
  indexes: [['school_id', 'as_of']],
};

export const FINDINGS: TableDef = {
  name: 'findings',
  columns: [
    /** Stable key: hash of rule + the rows the finding is about. */
    c('key', 'text', false),
    c('rule', 'text', false),
    c('severity', 'text', false),
    c('school_id', 'text', false),
    c('class_id', 'text'),
    c('subject_id', 'text'),
    c('teacher_id', 'text'),
    c('student_id', 'text'),
    c('lesson_id', 'text'),
    c('date', 'text'),
    c('deadline', 'bigint'),
    c('message', 'text', false),
    c('details', 'text'),
    c('first_run_id', 'text', false),
    c('last_run_id', 'text', false),
    c('first_seen_at', 'bigint', false),
    c('last_seen_at', 'bigint', false),
    c('resolved_at', 'bigint'),
    c('resolved_run_id', 'text'),
  ],
  primary: ['key'],
  indexes: [['school_id', 'rule', 'resolved_at'], ['teacher_id'], ['class_id']],
};

/**
 * Who is working on a run now (a sync of a school, an archive run): one row per lease key
 * (`sync:<school>`, `archive:<file>`), renewed while the owner works. A row whose heartbeat is
 * stale, or whose owner process is gone from this host, belongs to a dead owner: its run is
 * interrupted and the next run may take it over.
 */
export const RUN_LEASES: TableDef = {
  name: 'run_leases',
  columns: [
    c('lease_key', 'text', false),
    c('run_id', 'text', false),
    /** The owning process: `<host>:<pid>:<random>`, unique per process. */
    c('owner', 'text', false),
    c('pid', 'integer', false),
    c('host', 'text', false),
    c('acquired_at', 'bigint', false),
    c('heartbeat_at', 'bigint', false),
  ],
  primary: ['lease_key'],
  indexes: [],
};

/**
 * When each student was in each class: derived after every sync from the enrollments' change
 * history (`record_versions`; the platform gives no dates, only current and `includeArchive`
 * members) and, where the history began too late to tell, from the student's own entries in the
 * class. Dates are the school's local dates; a null date: from the start, or still there.
 */
export const ENROLLMENT_SPANS: TableDef = {
  name: 'enrollment_spans',
  columns: [
    c('source', 'text', false),
    c('class_id', 'text', false),
    c('person_id', 'text', false),
    c('school_id', 'text', false),
    c('status', 'text', false),
    c('enrolled_on', 'text'),
    /** observed (a sync saw the student arrive) | entries (the first entry of theirs) */
    c('enrolled_basis', 'text'),
    c('left_on', 'text'),
    /** observed (a sync saw the student leave) | entries (the day after their last entry) */
    c('left_basis', 'text'),
    c('derived_at', 'bigint', false),
  ],
  primary: ['source', 'class_id', 'person_id'],
  indexes: [['school_id']],
};

export const BOOKKEEPING_TABLES: TableDef[] = [
  RECORD_VERSIONS,
  SYNC_RUNS,
  SYNC_RUN_STREAMS,
  SYNC_CHECKPOINTS,
  QUARANTINE,
  OPERATOR_EVENTS,
  CHECK_RUNS,
  FINDINGS,
  RUN_LEASES,
  ENROLLMENT_SPANS,
];

/** Integer primary keys generated by the database. */
export const GENERATED_KEYS = new Set(['quarantine.id', 'operator_events.id']);

export function mirroredTableDefs(): TableDef[] {
  return ALL_TABLES.map((spec) => ({
    name: spec.table,
    columns: [...COMMON_COLUMNS, ...spec.columns],
    primary: ['source', 'id'],
    // A school_id index only where the checks read a whole school in a municipality's mirror
    // (PostgreSQL, migration 0028): queries reach rows through their class, and each index costs
    // a B-tree insert per row on the sync's hot path.
    indexes: spec.indexes,
    partialIndexes: spec.partialIndexes ?? [],
    postgresIndexes: spec.postgresIndexes ?? [],
    postgresPartialIndexes: spec.postgresPartialIndexes ?? [],
  }));
}

/** Every table of the current schema, as the code expects it. */
export function currentTableDefs(): TableDef[] {
  return [...mirroredTableDefs(), ...BOOKKEEPING_TABLES].map((def) => ({
    ...def,
    columns: def.columns.map((col) =>
      GENERATED_KEYS.has(`${def.name}.${col.name}`) ? { ...col, generated: true } : col,
    ),
  }));
}
