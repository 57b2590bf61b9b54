import { randomBytes } from 'node:crypto';
import { canonicalJson, sha1 } from '../mirror/hash.js';
import type { SqlExecutor } from '../mirror/sql.js';
import { instantToLocalDate } from '../platform/time.js';
import { hasWindowHistory, loadCheckpoints } from './checkpoints.js';
import type { SyncDeps } from './deps.js';
import { loadSchoolContext } from '../mirror/school-context.js';
import {
  planClassScopes,
  planSchoolScope,
  isDaytimeRun,
  planWindowScopes,
  selectClasses,
  type ClassInfo,
  type PlanContext,
} from './planner.js';
import type { SyncRequest } from './request.js';
import {
  beginRun,
  findResumableRun,
  finishRun,
  getRun,
  markRunning,
  parseNotes,
  setScopesTotal,
  countDoneScopes,
  addStreamStats,
  lastConfirmation,
  zeroStats,
  type RunRow,
  type RunStatus,
  type StreamStats,
} from './run-store.js';
import { refreshPeriodTotals } from '../mirror/projections/index.js';
import { recordEvent, scrubQuarantine } from './operator-log.js';
import { syncScope, type RunScopeContext, type ScopeOutcome } from './scope-sync.js';
import { groupWindowScopes } from './window-groups.js';
import type { PlannedScope } from './scope.js';
import { schoolYearOf } from './school-year.js';
import type { MassDeletionGuard } from '../mirror/scope-deletion.js';
import { moveLease } from '../mirror/leases.js';
import { refreshEnrollmentSpans } from '../mirror/enrollment-spans.js';
import {
  acquireSyncLease,
  keepSyncLeaseAlive,
  releaseSyncLease,
  syncLeaseKey,
} from './run-lease.js';
import { redactString } from '../platform/redact.js';
import { UsageError } from '../platform/errors.js';
import { normalizeName, subgroupLabel } from '../platform/class-names.js';
import { PlatformError } from '../connectors/_shared/http-error.js';

/**
 * The sync engine's stages. Each stage is a job's body (see `src/jobs/definitions/sync-*.ts`):
 * begin a run, read the school, plan and read classes, plan windows, read them, finish. Every
 * stage can run twice (a retried or stalled job) with the same effect.
 */

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

export function newRunId(schoolId: string, now: number): string {
  return `${schoolId}-${now.toString(36)}-${randomBytes(3).toString('hex')}`;
}

/** Starts a run, or resumes the school's interrupted run that asked for the same thing. */
export async function startRun(
  deps: SyncDeps,
  schoolId: string,
  request: SyncRequest,
  runId?: string,
): Promise<{ run: RunRow; resumed: boolean }> {
  const now = deps.clock.now();
  const source = deps.connectorFor(schoolId).platform;
  if (runId) {
    // A job of a run (a retry, another worker's stage) shares the run's lease; another run's
    // live lease refuses it.
    await acquireSyncLease(deps.db, schoolId, runId, true);
    const existing = await getRun(deps.db, runId);
    if (existing) {
      if (existing.status !== 'running') await markRunning(deps.db, runId);
      return { run: existing, resumed: true };
    }
    return {
      run: await beginRun(deps.db, { id: runId, schoolId, source, request, startedAt: now }),
      resumed: false,
    };
  }
  // The lease first: while another process works on the school's latest run, that run is not
  // "interrupted" and must not be resumed a second time.
  const id = newRunId(schoolId, now);
  await acquireSyncLease(deps.db, schoolId, id, false);
  const previous = await findResumableRun(
    deps.db,
    schoolId,
    request,
    now - deps.config.sync.resumeWithinHours * HOUR,
  );
  if (previous) {
    await moveLease(deps.db, syncLeaseKey(schoolId), previous.id);
    await markRunning(deps.db, previous.id);
    deps.logger.info(
      { run: previous.id, done: previous.scopes_done },
      'resuming the interrupted sync run',
    );
    return { run: previous, resumed: true };
  }
  return {
    run: await beginRun(deps.db, { id, schoolId, source, request, startedAt: now }),
    resumed: false,
  };
}

async function loadRun(
  deps: SyncDeps,
  runId: string,
): Promise<{ run: RunRow; request: SyncRequest }> {
  const run = await getRun(deps.db, runId);
  if (!run) throw new Error(`unknown sync run ${runId}`);
  const request = parseNotes(run)?.request ?? { mode: run.mode };
  return { run, request };
}

export async function scopeContext(deps: SyncDeps, run: RunRow): Promise<RunScopeContext> {
  const school = await loadSchoolContext(deps.db, deps.config, run.school_id);
  const consented = new Set(school.consentedPersonIds);
  return {
    runId: run.id,
    schoolId: run.school_id,
    // Read only by streams with local times (lessons, marks, attendance …): the school scope of a
    // first sync runs before the platform's zone is mirrored, and needs none.
    get zone() {
      return school.zone;
    },
    isConsented: (id) => consented.has(id),
    consentHash: sha1(canonicalJson([...consented].sort())),
    guard: await deletionGuard(deps, run),
    now: () => deps.clock.now(),
  };
}

/**
 * The run's mass-deletion guard. A confirmation run (`ezh sync --confirm-deletions`) lifts it;
 * the cumulative window starts no earlier than the school's last confirmation, so deletions an
 * operator confirmed are not counted against the next ones.
 */
async function deletionGuard(deps: SyncDeps, run: RunRow): Promise<MassDeletionGuard> {
  const g = deps.config.sync.massDeletion;
  const guard: MassDeletionGuard = {
    maxShare: g.maxShare,
    minRows: g.minRows,
    parentMinRows: g.parentMinRows,
    windowMaxShare: g.windowMaxShare,
    windowSince: null,
    lifted: run.mode === 'confirm',
  };
  if (g.windowDays > 0) {
    const confirmed = await lastConfirmation(deps.db, run.school_id);
    guard.windowSince = Math.max(run.started_at - g.windowDays * DAY, confirmed ?? 0);
  }
  return guard;
}

async function planContext(
  deps: SyncDeps,
  run: RunRow,
  request: SyncRequest,
): Promise<PlanContext> {
  const connector = deps.connectorFor(run.school_id);
  const school = await loadSchoolContext(deps.db, deps.config, run.school_id);
  return {
    schoolId: run.school_id,
    runId: run.id,
    request,
    // The school scope's plan needs no date; the zone is known once the school scope is read.
    get today() {
      return instantToLocalDate(run.started_at, school.zone);
    },
    now: run.started_at,
    config: deps.config.sync,
    maxWindowDays: connector.capabilities.maxWindowDays,
    available: new Set(connector.capabilities.streams),
    checkpoints: await loadCheckpoints(deps.db, run.school_id),
    hasHistory: await hasWindowHistory(deps.db, run.school_id, run.id),
  };
}

/** Classes of the school in the mirror (live), with their reporting periods. */
export async function loadClasses(
  db: SqlExecutor,
  schoolId: string,
  source: string,
): Promise<ClassInfo[]> {
  const classes = await db.query<{ id: string; name: string; kind: string; parent_ids: string }>(
    'SELECT id, name, kind, parent_ids FROM classes WHERE source = ? AND school_id = ? AND deleted_at IS NULL ORDER BY name, id',
    [source, schoolId],
  );
  const periods = await db.query<{
    class_id: string;
    start_date: string;
    finish_date: string;
    type: string;
  }>(
    'SELECT class_id, start_date, finish_date, type FROM reporting_periods WHERE source = ? AND school_id = ? AND deleted_at IS NULL',
    [source, schoolId],
  );
  const byClass = new Map<string, ClassInfo>(
    classes.map((c) => [
      c.id,
      { id: c.id, name: c.name, periods: [], parentId: subgroupParent(c, classes) },
    ]),
  );
  for (const p of periods) {
    byClass
      .get(p.class_id)
      ?.periods.push({ start: p.start_date, finish: p.finish_date, type: p.type });
  }
  return [...byClass.values()];
}

/**
 * A subgroup's class: its first parent that is a live class of the school. A subgroup whose class
 * is unknown is read as a class of its own (nothing else would read its lessons).
 */
function subgroupParent(
  c: { kind: string; parent_ids: string },
  classes: readonly { id: string }[],
): string | null {
  if (c.kind !== 'subgroup') return null;
  let parents: unknown;
  try {
    parents = JSON.parse(c.parent_ids);
  } catch {
    return null;
  }
  if (!Array.isArray(parents)) return null;
  const known = new Set(classes.map((x) => x.id));
  return (parents.map(String).find((id) => known.has(id)) as string | undefined) ?? null;
}

/** Stage 1: the school-level scope, then the class-level scopes to read (one group per class). */
export async function runSchoolStage(deps: SyncDeps, runId: string): Promise<PlannedScope[][]> {
  try {
    return await schoolStage(deps, runId);
  } catch (err) {
    // When no retry can fix it (token, rights, bad --class), no later stage runs: the run ends
    // here, failed with its event, instead of staying `running 0/0` (a worker's job). A platform
    // that gave no reply at all on the first scope, after the connector's own retries
    // (connection refused, timeouts), counts as such: retrying the job would only repeat that for
    // minutes. The next sync (or schedule) tries again.
    const final = unreachable(err) ?? err;
    if (isPermanent(final) || final instanceof SyncUsageError) {
      await runFinishStage(deps, runId, final instanceof Error ? final.message : String(final));
    }
    throw final;
  }
}

function unreachable(err: unknown): PlatformError | null {
  if (!(err instanceof PlatformError) || err.kind !== 'retryable' || err.status !== null) {
    return null;
  }
  return new PlatformError(`the platform is unreachable: ${err.message}`, {
    kind: 'permanent',
    type: err.type,
    status: null,
    endpoint: err.endpoint,
  });
}

async function schoolStage(deps: SyncDeps, runId: string): Promise<PlannedScope[][]> {
  const { run, request } = await loadRun(deps, runId);
  // Before anything is fetched: the stored quarantine follows today's consent list (152-ФЗ).
  const { isConsented } = await scopeContext(deps, run);
  await deps.db.transaction((tx) => scrubQuarantine(tx, run.school_id, isConsented));
  const ctx = await planContext(deps, run, request);
  const schoolScopes = planSchoolScope(ctx);
  await runScopeGroup(deps, runId, schoolScopes, { rethrow: true });
  const source = deps.connectorFor(run.school_id).platform;
  const classes = selectClasses(
    await loadClasses(deps.db, run.school_id, source),
    request.className,
  );
  if (request.className && classes.length === 0) {
    throw unknownClass(
      request.className,
      run.school_id,
      await loadClasses(deps.db, run.school_id, source),
    );
  }
  const classScopes = planClassScopes(await planContext(deps, run, request), classes);
  await setScopesTotal(deps.db, runId, schoolScopes.length + classScopes.length);
  return classScopes.map((s) => [s]);
}

/** Stage 2: window scopes of every class, in groups (`window-groups.ts`). */
export async function runPlanWindowsStage(
  deps: SyncDeps,
  runId: string,
): Promise<PlannedScope[][]> {
  const { run, request } = await loadRun(deps, runId);
  const source = deps.connectorFor(run.school_id).platform;
  const all = await loadClasses(deps.db, run.school_id, source);
  const classes = selectClasses(all, request.className);
  const ctx = await planContext(deps, run, request);
  const year = schoolYearOf(
    all.flatMap((c) => c.periods),
    ctx.today,
  );
  const windows = planWindowScopes(ctx, classes, year);
  const total = planSchoolScope(ctx).length + planClassScopes(ctx, classes).length + windows.length;
  await setScopesTotal(deps.db, runId, total);
  const plan = [...planSchoolScope(ctx), ...planClassScopes(ctx, classes), ...windows];
  deps.observer?.planned?.(runId, plan);
  deps.logger.info(
    { run: runId, school: run.school_id, classes: classes.length, year, scopes: total },
    'sync planned',
  );
  return groupWindowScopes(windows, isDaytimeRun(ctx));
}

/** A request the school cannot answer (an unknown class): bad usage, exit 2, no retry. */
export class SyncUsageError extends UsageError {}

export function unknownClass(
  className: string,
  schoolId: string,
  classes: readonly { id?: string; name: string; parentId?: string | null }[],
): SyncUsageError {
  // A subgroup is read with its class (its lessons come with the class's): say so.
  const wanted = normalizeName(className);
  for (const g of classes) {
    const parent = g.parentId ? classes.find((c) => c.id === g.parentId) : undefined;
    if (
      parent &&
      (normalizeName(g.name) === wanted || normalizeName(`${parent.name}/${g.name}`) === wanted)
    ) {
      return new SyncUsageError(
        `--class: "${subgroupLabel(parent.name, g.name)}" is a subgroup of ${parent.name}: it is synced with its class; use --class ${parent.name}`,
      );
    }
  }
  const known = classes
    .filter((c) => !c.parentId)
    .map((c) => c.name)
    .sort((a, b) => a.localeCompare(b, 'ru', { numeric: true }));
  return new SyncUsageError(
    `--class: no class ${className} in school ${schoolId}; known: ${known.length > 0 ? known.join(', ') : 'none yet'}`,
  );
}

/**
 * Refuses an unknown `--class` before a run starts, as `ezh check --class` does (exit 2, the known
 * classes listed, no run recorded): from the mirror's classes, or on a first sync from the
 * platform's class list (one request). When that list cannot be read, the run goes on and its
 * school stage refuses the class once the school scope is read.
 */
export async function checkClassName(
  deps: Pick<SyncDeps, 'db' | 'connectorFor'>,
  schoolId: string,
  request: SyncRequest,
): Promise<void> {
  if (!request.className) return;
  const connector = deps.connectorFor(schoolId);
  let classes: readonly { id: string; name: string; parentId?: string | null }[] =
    await loadClasses(deps.db, schoolId, connector.platform);
  if (classes.length === 0 && connector.capabilities.streams.includes('classes')) {
    const listed = await connector.fetch(['classes'], { schoolId }).catch(() => null);
    classes = listed?.complete
      ? (listed.records.classes ?? []).map((c) => ({
          id: c.id,
          name: c.name,
          parentId: c.kind === 'subgroup' ? (c.parentIds[0] ?? null) : null,
        }))
      : [];
  }
  if (classes.length > 0 && selectClasses(classes, request.className).length === 0) {
    throw unknownClass(request.className, schoolId, classes);
  }
}

/** Thrown between scopes when the host asks to stop (SIGTERM): the job is resumed later. */
export class SyncInterrupted extends Error {
  constructor() {
    super('sync interrupted between scopes; it resumes from the next unfinished scope');
  }
}

/**
 * Runs scopes in order. A scope that fails is reported and, unless `rethrow`, the group goes on
 * with the next scope and throws at the end, so a retried job redoes only the failed scopes.
 */
export async function runScopeGroup(
  deps: SyncDeps,
  runId: string,
  scopes: readonly PlannedScope[],
  options: { rethrow?: boolean; signal?: AbortSignal } = {},
): Promise<ScopeOutcome[]> {
  if (scopes.length === 0) return [];
  const run = await getRun(deps.db, runId);
  if (!run) throw new Error(`unknown sync run ${runId}`);
  // The run's lease stays alive while its scopes are fetched (a fetch may retry for minutes).
  const stopHeartbeat = keepSyncLeaseAlive(deps.db, run.school_id, runId);
  try {
    return await runScopes(deps, run, scopes, options);
  } finally {
    stopHeartbeat();
  }
}

async function runScopes(
  deps: SyncDeps,
  run: RunRow,
  scopes: readonly PlannedScope[],
  options: { rethrow?: boolean; signal?: AbortSignal },
): Promise<ScopeOutcome[]> {
  const runId = run.id;
  const ctx = await scopeContext(deps, run);
  const connector = deps.connectorFor(run.school_id);
  const outcomes: ScopeOutcome[] = [];
  let failure: unknown = null;
  // Classes of the group whose remaining scopes are skipped (a permanent error of theirs).
  const failedClasses = new Set<string>();
  for (const scope of scopes) {
    if (options.signal?.aborted) throw new SyncInterrupted();
    if (scope.classId !== null && failedClasses.has(scope.classId)) continue;
    try {
      const outcome = await syncScope(deps.db, connector, ctx, scope);
      outcomes.push(outcome);
      deps.observer?.scopeDone?.(runId, outcome);
      if (outcome.refused.length > 0) {
        deps.logger.warn(
          { run: runId, scope: scope.key, streams: outcome.refused },
          'mass deletion refused',
        );
      }
    } catch (err) {
      deps.observer?.scopeFailed?.(runId, scope, err);
      deps.logger.warn({ run: runId, scope: scope.key, err }, 'scope failed');
      await addStreamStats(deps.db, runId, scope.streams[0]!, { ...zeroStats(), errors: 1 }).catch(
        () => undefined,
      );
      if (options.rethrow) throw err;
      failure ??= err;
      // The token refused or paused fails the group at once: its other scopes would only be
      // refused too. An error no retry can fix for one class (its lessons refused, not found)
      // skips that class's other scopes only: a daytime group holds eight classes, and the seven
      // others must not go without their hour's entries for it. (A group of one class: the same.)
      if (isAuth(err) || isRateLimited(err)) break;
      if (isPermanent(err)) {
        if (scope.classId === null) break;
        failedClasses.add(scope.classId);
      }
    }
  }
  if (failure) throw failure;
  return outcomes;
}

function isRateLimited(err: unknown): boolean {
  return (err as { reason?: unknown } | null)?.reason === 'rateLimited';
}

function isAuth(err: unknown): boolean {
  return (err as { kind?: unknown } | null)?.kind === 'auth';
}

/** No retry can fix it: the token (auth) or the request (permanent). */
function isPermanent(err: unknown): boolean {
  const kind = (err as { kind?: unknown } | null)?.kind;
  return kind === 'auth' || kind === 'permanent';
}

export interface SyncSummary {
  runId: string;
  schoolId: string;
  mode: string;
  status: RunStatus;
  scopesTotal: number;
  scopesDone: number;
  resumed: boolean;
  error: string | null;
  startedAt: number;
  finishedAt: number | null;
  streams: (StreamStats & { stream: string })[];
  refusals: { scope: string; stream: string; live: number; missing: number; reason?: string }[];
  requests: number;
}

/**
 * The checks' period totals follow the marks the run wrote, so that grouping them is paid here,
 * once per change, and not by every check run. A failure is logged, never fails the sync: the
 * next check run refreshes them again (or groups the marks itself).
 */
async function refreshTotalsAfterSync(deps: SyncDeps, schoolId: string): Promise<void> {
  try {
    const r = await refreshPeriodTotals(deps.db, schoolId, deps.clock.now());
    deps.logger.info(
      {
        school: schoolId,
        mode: r.mode,
        periods: r.periods,
        series: r.series,
        versions: r.versions,
        ms: Math.round(r.ms),
      },
      'period totals refreshed',
    );
  } catch (err) {
    deps.logger.warn({ school: schoolId, err }, 'period totals not refreshed');
  }
}

/**
 * «Прибыл» / «выбыл» dates of the printed journal follow the enrollments the run wrote. Like the
 * totals, a failure is logged and never fails the sync: the journal derives them itself then.
 */
async function refreshSpansAfterSync(deps: SyncDeps, schoolId: string): Promise<void> {
  try {
    const school = await loadSchoolContext(deps.db, deps.config, schoolId);
    const spans = await refreshEnrollmentSpans(deps.db, schoolId, school.zone, deps.clock.now());
    deps.logger.debug({ school: schoolId, spans }, 'enrollment spans refreshed');
  } catch (err) {
    deps.logger.warn({ school: schoolId, err }, 'enrollment spans not refreshed');
  }
}

/** Final stage: status from the checkpoints the run wrote (every planned scope done: succeeded). */
export async function runFinishStage(
  deps: SyncDeps,
  runId: string,
  error: string | null = null,
): Promise<RunStatus> {
  const run = await getRun(deps.db, runId);
  if (!run) throw new Error(`unknown sync run ${runId}`);
  if (run.status !== 'running' && run.finished_at !== null && error === null) return run.status;
  const done = await countDoneScopes(deps.db, runId);
  let status: RunStatus;
  if (error === null && done >= run.scopes_total) {
    // Every scope is done; deletions the guard held back make it a run an operator must look at.
    status = (parseNotes(run)?.refusals?.length ?? 0) > 0 ? 'held' : 'succeeded';
  } else status = done > 0 ? 'partial' : 'failed';
  const message =
    (error === null ? null : redactString(error)) ??
    (status === 'succeeded' || status === 'held'
      ? null
      : `${run.scopes_total - done} of ${run.scopes_total} scopes not done; the next run continues them`);
  const at = deps.clock.now();
  await finishRun(deps.db, runId, { status, finishedAt: at, error: message });
  await releaseSyncLease(deps.db, run.school_id, runId);
  if (done > 0) await refreshTotalsAfterSync(deps, run.school_id);
  if (done > 0) await refreshSpansAfterSync(deps, run.school_id);
  if (status === 'held') {
    // Each held scope has its critical event already; the log says it once per run, for any door.
    deps.logger.warn(
      { run: runId, school: run.school_id, held: parseNotes(run)?.refusals?.length ?? 0 },
      'sync finished with deletions held back for an operator (ezh sync --confirm-deletions)',
    );
  }
  if (status !== 'succeeded' && status !== 'held') {
    await recordEvent(deps.db, {
      at,
      kind: 'sync_failed',
      severity: status === 'failed' ? 'critical' : 'warning',
      schoolId: run.school_id,
      message: `sync run ${runId} ended ${status}: ${message ?? ''}`,
      details: { runId, status },
    });
  }
  return status;
}
