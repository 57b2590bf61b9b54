import { describe, expect, it } from 'vitest';
import { makeScope, WINDOW_KINDS, type PlannedScope } from './scope.js';
import { DAYTIME_CLASSES_PER_GROUP, groupWindowScopes } from './window-groups.js';

const available = new Set(['lessons', 'works', 'marks', 'attendance'] as const);

function windowScopes(classes: number, from: string, to: string): PlannedScope[] {
  const out: PlannedScope[] = [];
  for (let c = 0; c < classes; c++) {
    for (const kind of WINDOW_KINDS) {
      out.push(
        makeScope(kind, { schoolId: 's', classId: `c${c}`, from, to }, available, 'recent')!,
      );
    }
  }
  return out;
}

describe('groupWindowScopes', () => {
  it('keeps one group per class and window outside daytime runs', () => {
    const scopes = [
      ...windowScopes(3, '2026-03-02', '2026-03-08'),
      ...windowScopes(3, '2026-03-09', '2026-03-15'),
    ];
    const groups = groupWindowScopes(scopes, false);
    expect(groups).toHaveLength(6);
    for (const g of groups) expect(g.map((s) => s.kind)).toEqual([...WINDOW_KINDS]);
  });

  it("puts a daytime run's classes together, every lessons scope before any attendance scope", () => {
    const n = DAYTIME_CLASSES_PER_GROUP + 3;
    const scopes = windowScopes(n, '2026-03-02', '2026-03-08');
    const groups = groupWindowScopes(scopes, true);
    expect(groups).toHaveLength(2);
    expect(
      groups
        .flat()
        .map((s) => s.key)
        .sort(),
    ).toEqual(scopes.map((s) => s.key).sort());
    for (const g of groups) {
      const firstAttendance = g.findIndex((s) => s.kind === 'attendance');
      const lastOther = g.map((s) => s.kind !== 'attendance').lastIndexOf(true);
      expect(lastOther).toBeLessThan(firstAttendance);
      // Each class's own scopes stay in stream order.
      const classes = new Set(g.map((s) => s.classId));
      for (const c of classes) {
        expect(g.filter((s) => s.classId === c).map((s) => s.kind)).toEqual([...WINDOW_KINDS]);
      }
    }
    expect(new Set(groups[0]!.map((s) => s.classId)).size).toBe(DAYTIME_CLASSES_PER_GROUP);
  });
});
