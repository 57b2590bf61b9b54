import type { PlannedScope } from './scope.js';

/**
 * How a run's window scopes are cut into groups (a group is one `sync.scopes` job, its scopes run
 * in order on one worker).
 *
 * Usually one group per class and window: lessons, marks, attendance. In a daytime run (the
 * current week only) classes go in groups of {@link DAYTIME_CLASSES_PER_GROUP}, every class's
 * lessons and marks first and the attendance scopes last: by then the connector has the lessons
 * of all the group's classes, so one attendance call by lesson ids (reference §2.2 row 61, any
 * lessons of the school) serves several classes instead of one call per class. Each class's
 * lessons still come before its attendance (deletions of attendance go through the lessons).
 */

/** Classes per group in a daytime run: ~8 × 30 lessons a week are 4 calls of 60 lesson ids. */
export const DAYTIME_CLASSES_PER_GROUP = 8;

export function groupWindowScopes(
  windows: readonly PlannedScope[],
  daytime: boolean,
): PlannedScope[][] {
  const byClassWindow = new Map<string, PlannedScope[]>();
  for (const s of windows) {
    const key = `${s.classId}/${s.from}`;
    byClassWindow.set(key, [...(byClassWindow.get(key) ?? []), s]);
  }
  const perClass = [...byClassWindow.values()];
  if (!daytime) return perClass;
  // Classes of the same window together (a daytime run has one window: the current week).
  const byWindow = new Map<string, PlannedScope[][]>();
  for (const g of perClass) {
    const w = `${g[0]!.from}..${g[0]!.to}`;
    byWindow.set(w, [...(byWindow.get(w) ?? []), g]);
  }
  const out: PlannedScope[][] = [];
  for (const classes of byWindow.values()) {
    for (let i = 0; i < classes.length; i += DAYTIME_CLASSES_PER_GROUP) {
      const batch = classes.slice(i, i + DAYTIME_CLASSES_PER_GROUP).flat();
      out.push([
        ...batch.filter((s) => s.kind !== 'attendance'),
        ...batch.filter((s) => s.kind === 'attendance'),
      ]);
    }
  }
  return out;
}
