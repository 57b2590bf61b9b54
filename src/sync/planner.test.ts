import { describe, expect, it } from 'vitest';
import { configSchema } from '../config/schema.js';
import { STREAM_NAMES } from '../connectors/records.js';
import {
  planClassScopes,
  planSchoolScope,
  planWindowScopes,
  selectClasses,
  type PlanContext,
} from './planner.js';
import { schoolYearOf } from './school-year.js';
import { splitWindows, wideWindows, windowSizes } from './windows.js';

const year = { start: '2026-09-01', end: '2027-05-30' };

function ctx(over: Partial<PlanContext> = {}): PlanContext {
  return {
    schoolId: '1',
    runId: 'r1',
    request: { mode: 'incremental' },
    today: '2026-11-09',
    now: Date.parse('2026-11-09T10:00:00Z'),
    config: configSchema.parse({}).sync,
    maxWindowDays: null,
    available: new Set(STREAM_NAMES),
    checkpoints: new Map(),
    hasHistory: false,
    ...over,
  };
}

describe('windows', () => {
  it('cover the year without gaps or overlaps, wide and split alike', () => {
    const sizes = windowSizes(7, 56, null);
    for (const ws of [
      wideWindows(year, sizes),
      splitWindows(year, sizes, { start: '2026-10-26', end: '2026-11-16' }),
    ]) {
      expect(ws[0]!.from).toBe(year.start);
      expect(ws[ws.length - 1]!.to).toBe(year.end);
      for (let i = 1; i < ws.length; i++) {
        const next = new Date(`${ws[i - 1]!.to}T00:00:00Z`).getTime() + 86_400_000;
        expect(new Date(`${ws[i]!.from}T00:00:00Z`).getTime()).toBe(next);
      }
    }
  });

  it('are capped by the connector window limit', () => {
    expect(windowSizes(7, 56, 30)).toEqual({ narrowDays: 7, wideDays: 28 });
    expect(windowSizes(7, 56, 5)).toEqual({ narrowDays: 5, wideDays: 5 });
  });
});

describe('planner', () => {
  const classes = [
    {
      id: 'c1',
      name: '5А',
      periods: [{ start: '2026-11-05', finish: '2026-12-28', type: 'quarter' }],
    },
  ];

  it('reads the whole year in wide windows on a first run (about 1 window per 8 weeks)', () => {
    const scopes = planWindowScopes(ctx(), classes, year);
    const windows = new Set(scopes.map((s) => `${s.from}..${s.to}`));
    expect(windows.size).toBe(wideWindows(year, windowSizes(7, 56, null)).length);
    expect(windows.size).toBeLessThanOrEqual(6);
  });

  it('later reads only the recent zone, the current period and stale windows', () => {
    const first = planWindowScopes(ctx(), classes, year);
    const now = Date.parse('2026-11-09T10:00:00Z');
    const checkpoints = new Map(
      first.map((s) => [s.key, { completedAt: now - 3_600_000, syncRunId: 'r0' }]),
    );
    const later = planWindowScopes(ctx({ checkpoints, hasHistory: true }), classes, year);
    for (const s of later) {
      const recentOrPeriod = s.reason === 'recent' || s.reason === 'period' || s.reason === 'first';
      expect(recentOrPeriod).toBe(true);
    }
    expect(later.every((s) => s.to! >= '2026-10-26')).toBe(true);
  });

  describe('a daytime (hourly) run', () => {
    const now = Date.parse('2026-11-09T10:00:00Z');
    const readBefore = () => {
      const first = [
        ...planSchoolScope(ctx()),
        ...planClassScopes(ctx(), classes),
        ...planWindowScopes(ctx(), classes, year),
      ];
      return new Map(first.map((s) => [s.key, { completedAt: now - 3_600_000, syncRunId: 'r0' }]));
    };
    const hourly = (over: Partial<PlanContext> = {}) =>
      ctx({ request: { mode: 'hourly' }, hasHistory: true, checkpoints: readBefore(), ...over });

    it("reads the current week's lessons, marks and attendance only", () => {
      const scopes = planWindowScopes(hourly(), classes, year);
      expect(scopes.map((s) => [s.kind, s.from, s.to, s.reason])).toEqual([
        ['lessons', '2026-11-09', '2026-11-15', 'recent'],
        ['marks', '2026-11-09', '2026-11-15', 'recent'],
        ['attendance', '2026-11-09', '2026-11-15', 'recent'],
      ]);
      // On Sunday the week is still the one that began on Monday: the same checkpoints.
      const sunday = planWindowScopes(hourly({ today: '2026-11-15' }), classes, year);
      expect(sunday.map((s) => s.key)).toEqual(scopes.map((s) => s.key));
      // The incremental run of the same moment reads the recent zone and the period besides.
      const incremental = planWindowScopes(
        ctx({ hasHistory: true, checkpoints: readBefore() }),
        classes,
        year,
      );
      expect(incremental.length).toBeGreaterThan(scopes.length);
    });

    it('leaves the school and its classes to the nightly run, unless never read', () => {
      expect(planSchoolScope(hourly())).toEqual([]);
      expect(planClassScopes(hourly(), classes)).toEqual([]);
      const fresh = hourly({
        checkpoints: new Map([...readBefore()].filter(([k]) => !k.includes('/c1/persons'))),
      });
      expect(planClassScopes(fresh, classes).map((s) => s.reason)).toEqual(['first']);
    });

    it("on a school's first run reads the year like any first run", () => {
      const first = planWindowScopes(ctx({ request: { mode: 'hourly' } }), classes, year);
      expect(first).toEqual(planWindowScopes(ctx(), classes, year));
      expect(planSchoolScope(ctx({ request: { mode: 'hourly' } }))).toHaveLength(1);
    });

    it('reads nothing when today is outside the school year (summer)', () => {
      expect(planWindowScopes(hourly({ today: '2027-07-01' }), classes, year)).toEqual([]);
    });
  });

  it('takes the school year from the reporting periods', () => {
    const periods = [
      { start: '2025-09-01', finish: '2025-10-26', type: 'quarter' },
      { start: '2026-03-30', finish: '2026-05-31', type: 'quarter' },
    ];
    expect(schoolYearOf(periods, '2026-11-09')).toEqual({ start: '2025-09-01', end: '2026-05-31' });
    expect(schoolYearOf([], '2026-11-09')).toEqual({ start: '2026-09-01', end: '2027-08-31' });
  });
});

describe('planner and subgroups', () => {
  const classes = [
    { id: 'c1', name: '5А', periods: [] },
    { id: 'g1', name: 'Английский язык, гр. 1', periods: [], parentId: 'c1' },
    { id: 'c2', name: '5Б', periods: [] },
  ];

  it('reads a subgroup’s roster only, never its windows (they come with its class’s)', () => {
    const roster = planClassScopes(ctx(), classes).filter((s) => s.classId === 'g1');
    expect(roster.map((s) => [s.kind, s.streams])).toEqual([
      ['roster', ['persons', 'enrollments']],
    ]);
    const windows = planWindowScopes(ctx(), classes, year);
    expect(windows.some((s) => s.classId === 'g1')).toBe(false);
    expect(windows.some((s) => s.classId === 'c1')).toBe(true);
  });

  it('--class selects a class with its subgroups; a subgroup’s name selects nothing', () => {
    expect(selectClasses(classes, '5 а').map((c) => c.id)).toEqual(['c1', 'g1']);
    expect(selectClasses(classes, 'Английский язык, гр. 1')).toEqual([]);
  });
});
