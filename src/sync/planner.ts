import type { StreamName } from '../connectors/records.js';
import type { SyncConfig } from '../config/sections/sync.js';
import { addDays } from '../platform/time.js';
import type { SyncRequest } from './request.js';
import { makeScope, WINDOW_KINDS, type PlannedScope, type ScopeReason } from './scope.js';
import { currentPeriod, type DateRange, type PeriodSpan } from './school-year.js';
import {
  overlaps,
  splitWindows,
  wideWindows,
  windowSizes,
  type Window,
  type WindowSizes,
} from './windows.js';

/**
 * The sync planner: which scopes a run reads, in order (school → class → window). Pure: it sees
 * the checkpoints and the calendar and returns a list; the engine does the I/O.
 */

export interface CheckpointInfo {
  completedAt: number;
  syncRunId: string;
}

export interface ClassInfo {
  id: string;
  name: string;
  periods: PeriodSpan[];
  /**
   * For a subgroup, its class: only its roster is read (a `roster` scope), never its windows,
   * since the class's windows return its lessons, marks and attendance. Null for a class.
   */
  parentId?: string | null;
}

export interface PlanContext {
  schoolId: string;
  runId: string;
  request: SyncRequest;
  /** The school's local date of the run's start. */
  today: string;
  /** Epoch ms of the run's start (a resumed run keeps its start, so its plan does not move). */
  now: number;
  config: SyncConfig;
  maxWindowDays: number | null;
  available: ReadonlySet<StreamName>;
  checkpoints: ReadonlyMap<string, CheckpointInfo>;
  /** The school has window checkpoints from earlier runs: not a first run. */
  hasHistory: boolean;
}

const HOUR = 3_600_000;

/** Whether a scope is due, and why. Scopes this run already finished stay in the plan (`resume`). */
function dueReason(
  ctx: PlanContext,
  key: string,
  ifDue: ScopeReason | null,
  staleAfterMs: number,
): ScopeReason | null {
  const cp = ctx.checkpoints.get(key);
  if (cp?.syncRunId === ctx.runId) return 'resume';
  if (ctx.request.mode === 'full' || ctx.request.mode === 'confirm') return 'full';
  if (ctx.request.mode === 'backfill') return 'backfill';
  if (!cp) return ifDue ?? 'first';
  if (ifDue) return ifDue;
  if (ctx.now - cp.completedAt >= staleAfterMs) return 'stale';
  return null;
}

/**
 * A daytime run (mode `hourly`, the schedule from 07:00 to 21:00) of a school synced before: it
 * reads the current week's windows only; the school, its classes and the older weeks are the
 * nightly reconciliation's (a scope never read yet is read at once). A school's first run reads
 * the year whatever its mode.
 */
export function isDaytimeRun(ctx: Pick<PlanContext, 'request' | 'hasHistory'>): boolean {
  return ctx.request.mode === 'hourly' && ctx.hasHistory;
}

/** In a daytime run, a roster scope is read only when it never was (or is this run's). */
function rosterReason(ctx: PlanContext, key: string): ScopeReason | null {
  const reason = dueReason(ctx, key, null, ctx.config.rosterEveryHours * HOUR);
  if (reason && isDaytimeRun(ctx) && reason !== 'first' && reason !== 'resume') return null;
  return reason === 'stale' ? 'roster' : reason;
}

export function planSchoolScope(ctx: PlanContext): PlannedScope[] {
  const probe = makeScope('school', { schoolId: ctx.schoolId }, ctx.available, 'roster');
  if (!probe) return [];
  const reason = rosterReason(ctx, probe.key);
  return reason ? [{ ...probe, reason }] : [];
}

export function planClassScopes(ctx: PlanContext, classes: readonly ClassInfo[]): PlannedScope[] {
  const out: PlannedScope[] = [];
  for (const cls of classes) {
    const probe = makeScope(
      cls.parentId ? 'roster' : 'class',
      { schoolId: ctx.schoolId, classId: cls.id },
      ctx.available,
      'roster',
    );
    if (!probe) continue;
    const reason = rosterReason(ctx, probe.key);
    if (reason) out.push({ ...probe, reason });
  }
  return out;
}

/**
 * The current week: the narrow window of the grid that holds today (the same window, and so the
 * same checkpoints, as the other runs' recent zone). None when today is outside the school year.
 */
export function currentWeekWindows(
  ctx: Pick<PlanContext, 'today'>,
  year: DateRange,
  sizes: WindowSizes,
): Window[] {
  return splitWindows(year, sizes, { start: ctx.today, end: ctx.today }).filter(
    (w) => w.narrow && w.from <= ctx.today && w.to >= ctx.today,
  );
}

/** The dates that are re-read narrowly on every run. */
export function recentZone(ctx: Pick<PlanContext, 'today' | 'config'>): DateRange {
  return {
    start: addDays(ctx.today, -ctx.config.recentDays),
    end: addDays(ctx.today, ctx.config.aheadDays),
  };
}

/** Window scopes of every class, class by class, each window's scopes in stream order. */
export function planWindowScopes(
  ctx: PlanContext,
  classes: readonly ClassInfo[],
  year: DateRange,
): PlannedScope[] {
  const sizes = windowSizes(
    ctx.config.recentWindowDays,
    ctx.config.pastWindowDays,
    ctx.maxWindowDays,
  );
  const zone = recentZone(ctx);
  const { request } = ctx;
  // A backfill reads exactly its range; a first run and a full run read the year in wide
  // windows; later runs cut the recent zone narrow.
  let windows: Window[];
  if (isDaytimeRun(ctx)) {
    windows = currentWeekWindows(ctx, year, sizes);
  } else if (request.mode === 'backfill') {
    windows = wideWindows(
      { start: request.from ?? year.start, end: request.to ?? ctx.today },
      sizes,
    );
  } else if (request.mode === 'full' || request.mode === 'confirm' || !ctx.hasHistory) {
    windows = wideWindows(year, sizes);
  } else {
    windows = splitWindows(year, sizes, zone);
  }
  const staleHours =
    request.mode === 'reconcile'
      ? ctx.config.reconcileAfterHours / 2
      : ctx.config.reconcileAfterHours;

  const out: PlannedScope[] = [];
  for (const cls of classes) {
    if (cls.parentId) continue;
    const period = ctx.config.currentPeriodEveryRun ? currentPeriod(cls.periods, ctx.today) : null;
    for (const w of windows) {
      let ifDue: ScopeReason | null = null;
      if (overlaps(w, zone)) ifDue = 'recent';
      else if (period && overlaps(w, period)) ifDue = 'period';
      for (const kind of WINDOW_KINDS) {
        const probe = makeScope(
          kind,
          { schoolId: ctx.schoolId, classId: cls.id, from: w.from, to: w.to },
          ctx.available,
          'first',
        );
        if (!probe) continue;
        const reason = dueReason(ctx, probe.key, ifDue, staleHours * HOUR);
        if (reason) out.push({ ...probe, reason });
      }
    }
  }
  return out;
}

/**
 * The classes a request touches (`--class NAME`), matched without regard to case or spaces, with
 * their subgroups: a class's subgroups are read with it (their lessons come with the class's).
 */
export function selectClasses<T extends { id: string; name: string; parentId?: string | null }>(
  classes: readonly T[],
  className?: string,
): T[] {
  if (!className) return [...classes];
  const norm = (s: string) => s.replace(/\s+/g, '').toLowerCase();
  const named = new Set(
    classes.filter((c) => !c.parentId && norm(c.name) === norm(className)).map((c) => c.id),
  );
  return classes.filter((c) => named.has(c.id) || (c.parentId && named.has(c.parentId)));
}
