/**
 * What a viewer may read, as the app's read services take it (001 §1.7, 004 §1.4: access only to
 * what one's role needs). The doors turn their login into one of these; the services apply it
 * where they read, so a class teacher's query cannot return another class whatever a page asks.
 */
export type AccessScope =
  /** The administration: the whole of these schools. */
  | { kind: 'school'; schoolIds: readonly string[] }
  /** A class teacher: these classes (and their subgroups) only; none listed: nothing. */
  | { kind: 'classes'; schoolIds: readonly string[]; classIds: readonly string[] }
  /** A subject teacher: the findings addressed to this person only. */
  | { kind: 'teacher'; schoolIds: readonly string[]; teacherId: string };

/** Whether a class (by id, with its parents for a subgroup) is in the scope's classes. */
export function scopeHasClass(
  scope: AccessScope,
  classId: string | null,
  parentIds: readonly string[] = [],
): boolean {
  if (scope.kind === 'school') return true;
  if (scope.kind === 'teacher' || classId === null) return false;
  return scope.classIds.includes(classId) || parentIds.some((p) => scope.classIds.includes(p));
}

/** A scope as a cache key (its schools apart): two viewers with the same scope share entries. */
export function scopeKey(scope: AccessScope): string {
  if (scope.kind === 'school') return 'school';
  if (scope.kind === 'teacher') return `teacher:${scope.teacherId}`;
  return `classes:${[...scope.classIds].sort().join(',')}`;
}
