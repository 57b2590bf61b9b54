import type { Id, LocalDate, StreamName, StreamRecords } from './records.js';

export type * from './records.js';

/**
 * The contract between the sync engine and a platform. A connector knows HTTP, shapes and quirks of
 * one platform; the sync engine knows scopes, checkpoints and the mirror. A second platform fits
 * by implementing this interface in a `defineConnector` unit (`define-connector.ts`) and one line
 * in `registry.ts`; the sync engine does not change.
 */

/** What a fetch is about. Streams differ in which parts they need (see `STREAM_SCOPES`). */
export interface Scope {
  schoolId: Id;
  classId?: Id;
  /** Inclusive local dates of a window, for windowed streams. */
  from?: LocalDate;
  to?: LocalDate;
}

/** How a stream is cut: once per school, once per class, or per class and date window. */
export type ScopeLevel = 'school' | 'class' | 'window';

/**
 * The scope levels at which each stream is fetched. `persons` comes at two levels: staff
 * (teachers) with the school, students with their class (bundled with enrollments).
 * Subject-teacher links are not a platform list: they are read from lessons (`lessons.teacher_id`);
 * `teacherAssignments` carries the class teacher (классный руководитель) of each class.
 */
export const STREAM_SCOPES: Record<StreamName, readonly ScopeLevel[]> = {
  schools: ['school'],
  classes: ['school'],
  subjects: ['school'],
  workTypes: ['school'],
  persons: ['school', 'class'],
  enrollments: ['class'],
  teacherAssignments: ['class'],
  reportingPeriods: ['class'],
  finalMarks: ['class'],
  lessons: ['window'],
  works: ['window'],
  marks: ['window'],
  attendance: ['window'],
};

/** A record that failed validation: kept with its raw payload and reason, never silently dropped. */
export interface QuarantinedRecord {
  stream: StreamName;
  reason: string;
  /** The raw platform object, as received (ids preserved as strings). */
  payload: unknown;
  /** Best-effort platform id of the record, when one could be read. */
  ref: string | null;
}

export interface FetchStats {
  requests: number;
  retries: number;
}

/**
 * One fetch of one or more streams for one scope. `complete` is true only when the platform
 * returned the whole set for that scope (every page, every request succeeded): deletions are
 * inferred from complete fetches only.
 */
export interface FetchResult<S extends StreamName = StreamName> {
  records: { [K in S]: StreamRecords[K][] };
  quarantined: QuarantinedRecord[];
  complete: boolean;
  stats: FetchStats;
}

export interface ConnectorCapabilities {
  /** Streams this connector can produce. */
  streams: StreamName[];
  /** Streams that always come together from one call (e.g. lessons carry their works). */
  bundles: StreamName[][];
  /**
   * Whether marks carry their entry moment (`enteredAt`); if not, `mark-late` claims lateness only
   * where a complete fetch after the deadline showed the mark absent.
   */
  markEntryTime: boolean;
  /** The widest window the platform serves in one call, in days (null: unbounded). */
  maxWindowDays: number | null;
}

export interface Connector {
  /** Platform key stored in the mirror's `source` column (`dnevnik`, ...). */
  readonly platform: string;
  readonly capabilities: ConnectorCapabilities;
  /**
   * Fetches the given streams for a scope. Streams in one bundle are fetched together.
   * Throws `PlatformError` (permanent or after retries) when the scope cannot be fetched.
   */
  fetch<S extends StreamName>(streams: readonly S[], scope: Scope): Promise<FetchResult<S>>;
  /** Releases sockets and timers. */
  close(): Promise<void>;
}
