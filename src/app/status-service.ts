import type { Lease } from '../mirror/leases.js';
import * as checkRuns from '../mirror/repositories/check-runs.js';
import * as findings from '../mirror/repositories/findings.js';
import * as operatorEvents from '../mirror/repositories/operator-events.js';
import * as quarantine from '../mirror/repositories/quarantine.js';
import * as syncRuns from '../mirror/repositories/sync-runs.js';
import type { SqlExecutor } from '../mirror/sql.js';
import { listArchives, type ArchiveRow } from '../archive/registry.js';
import { displayedStatus, liveSyncRuns } from '../sync/run-lease.js';

/**
 * What `ezh status` and the metrics endpoint show, read from the mirror's bookkeeping tables
 * through the repositories: the same figures for every door, never counters kept in one process
 * (any worker of any machine reports the same numbers, and they survive restarts). The doors
 * format; this service holds no SQL and prints nothing.
 */

export interface ShownSyncRun {
  id: string;
  schoolId: string;
  mode: string;
  /** As an operator reads it: a `running` run whose owner is gone is `interrupted`. */
  status: string;
  startedAt: number;
  finishedAt: number | null;
  /** A working (or killed) run's progress is its checkpoints until it finishes. */
  scopesDone: number;
  scopesTotal: number;
  error: string | null;
}

export interface SyncRunsStatus {
  /** Newest first. */
  runs: ShownSyncRun[];
  /** Who works on the newest run now (none: it finished, or its process is gone). */
  lastOwner: Lease | null;
  /** The newest run's statistics per stream, by stream name. */
  lastStreams: (syncRuns.StreamStats & { stream: string })[];
}

export type SyncRunCount = syncRuns.SyncRunCount;
export type RunStreamStats = syncRuns.StreamStats & { stream: string };
export type QuarantinedRecord = quarantine.QuarantinedRecord;
export type StreamTotals = syncRuns.StreamTotals;
export type OpenFindings = findings.OpenFindingCount;
export type OpenEvents = operatorEvents.OpenEventCount;

export interface LastCheckRun {
  school: string;
  /** Epoch ms the run finished (or started, while it runs). */
  at: number;
  status: string;
  findings: number;
}

export class StatusService {
  constructor(private readonly db: SqlExecutor) {}

  /** The last `limit` sync runs of every school, with the newest one's owner and streams. */
  async syncRuns(limit: number): Promise<SyncRunsStatus> {
    const rows = await syncRuns.latestRuns(this.db, limit);
    if (rows.length === 0) return { runs: [], lastOwner: null, lastStreams: [] };
    const live = await liveSyncRuns(this.db);
    const runs: ShownSyncRun[] = [];
    for (const r of rows) {
      runs.push({
        id: r.id,
        schoolId: r.school_id,
        mode: r.mode,
        status: displayedStatus(r.status, r.id, live),
        startedAt: r.started_at,
        finishedAt: r.finished_at,
        scopesDone:
          r.finished_at === null ? await syncRuns.countDoneScopes(this.db, r.id) : r.scopes_done,
        scopesTotal: r.scopes_total,
        error: r.error,
      });
    }
    const last = runs[0]!;
    return {
      runs,
      lastOwner: live.get(last.id) ?? null,
      lastStreams: await syncRuns.streamStatsOf(this.db, last.id),
    };
  }

  /** One run's statistics per stream (requests, retries, records, duration, errors). */
  runStreams(runId: string): Promise<RunStreamStats[]> {
    return syncRuns.streamStatsOf(this.db, runId);
  }

  /** Records the sync held back, newest first (without their payload). */
  quarantined(limit: number): Promise<QuarantinedRecord[]> {
    return quarantine.listQuarantined(this.db, limit);
  }

  /** The latest current check run of any school (what-if runs are never "the latest"). */
  lastCheckRun(): Promise<checkRuns.CheckRunSummary | null> {
    return checkRuns.latestCurrentRun(this.db);
  }

  /** The last archives as the archive registry lists them (killed runs read `interrupted`). */
  async archives(limit: number): Promise<ArchiveRow[]> {
    return (await listArchives(this.db)).slice(0, limit);
  }

  /** Operator events not yet acknowledged, newest first. */
  openEvents(limit: number): Promise<operatorEvents.OperatorEvent[]> {
    return operatorEvents.listOpen(this.db, { limit });
  }

  // The metrics' figures.

  syncRunCounts(): Promise<SyncRunCount[]> {
    return syncRuns.runCounts(this.db);
  }

  /** Per school and stream, summed over every recorded run. */
  streamTotals(): Promise<StreamTotals[]> {
    return syncRuns.streamTotals(this.db);
  }

  /** Epoch ms of each school's last successful sync (a `held` run read everything too). */
  lastSuccessfulSync(): Promise<Map<string, number>> {
    return syncRuns.lastSuccessfulSyncs(this.db);
  }

  openFindings(): Promise<OpenFindings[]> {
    return findings.openCounts(this.db);
  }

  /** Each school's latest current check run, as `ezh status` shows the latest one. */
  async lastCheckRuns(): Promise<LastCheckRun[]> {
    return (await checkRuns.latestCurrentRunPerSchool(this.db)).map((r) => ({
      school: r.schoolId,
      at: r.finishedAt ?? r.startedAt,
      status: r.status,
      findings: r.findingCount,
    }));
  }

  /** Operator events not yet acknowledged, counted (mass deletions refused, drift, failures). */
  openOperatorEvents(): Promise<OpenEvents[]> {
    return operatorEvents.openCounts(this.db);
  }
}
