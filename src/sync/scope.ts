import type { StreamName } from '../connectors/records.js';

/**
 * What the sync engine cuts a school into. A scope is a set of streams fetched together for one
 * school, class or class + date window; its key names its checkpoint.
 */

/**
 * School-level, class-level, a subgroup's roster, and the three window scopes (in the order they
 * must run).
 */
export type ScopeKind = 'school' | 'class' | 'roster' | 'lessons' | 'marks' | 'attendance';

/**
 * Streams fetched per scope kind. Lessons run before marks and attendance of the same window:
 * deletions of works and attendance are inferred through the lessons dated in the window.
 */
export const SCOPE_STREAMS: Record<ScopeKind, readonly StreamName[]> = {
  school: ['schools', 'classes', 'subjects', 'workTypes', 'persons'],
  class: ['persons', 'enrollments', 'teacherAssignments', 'reportingPeriods', 'finalMarks'],
  // A subgroup: its members only. Its lessons, marks, attendance and final marks come with its
  // class's (reference §7) and are the class's: read again here, they would flip between the two.
  roster: ['persons', 'enrollments'],
  lessons: ['lessons', 'works'],
  marks: ['marks'],
  attendance: ['attendance'],
};

export const WINDOW_KINDS = [
  'lessons',
  'marks',
  'attendance',
] as const satisfies readonly ScopeKind[];

/** Why a scope is in a run's plan (shown by `ezh status` and in logs). */
export type ScopeReason =
  'roster' | 'first' | 'recent' | 'period' | 'stale' | 'full' | 'backfill' | 'resume';

export interface PlannedScope {
  key: string;
  kind: ScopeKind;
  schoolId: string;
  classId: string | null;
  /** Inclusive local dates (window scopes only). */
  from: string | null;
  to: string | null;
  streams: StreamName[];
  reason: ScopeReason;
}

/** `${schoolId}/${classId|-}/${streams}/${from|-}..${to|-}`: the checkpoint's primary key. */
export function scopeKey(
  schoolId: string,
  classId: string | null,
  streams: readonly StreamName[],
  from: string | null,
  to: string | null,
): string {
  return `${schoolId}/${classId ?? '-'}/${streams.join('+')}/${from ?? '-'}..${to ?? '-'}`;
}

export function makeScope(
  kind: ScopeKind,
  parts: { schoolId: string; classId?: string | null; from?: string | null; to?: string | null },
  available: ReadonlySet<StreamName>,
  reason: ScopeReason,
): PlannedScope | null {
  const streams = SCOPE_STREAMS[kind].filter((s) => available.has(s));
  if (streams.length === 0) return null;
  const classId = parts.classId ?? null;
  const from = parts.from ?? null;
  const to = parts.to ?? null;
  return {
    key: scopeKey(parts.schoolId, classId, streams, from, to),
    kind,
    schoolId: parts.schoolId,
    classId,
    from,
    to,
    streams,
    reason,
  };
}
