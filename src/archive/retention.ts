import { existsSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { ArchiveConfig } from '../config/sections/archive.js';
import type { SqlExecutor } from '../mirror/sql.js';
import { WORK_PREFIX } from './files.js';
import { PARTIAL_SUFFIX, SIDECAR_SUFFIX } from './pack.js';
import { listArchives, markPruned, type ArchiveRow } from './registry.js';
import { tempDirOwner } from '../platform/temp-dirs.js';

/**
 * Retention, after compliance-rules §3.3 (printed journal 5 years, summary sheets 25 years):
 * - `regular`: the newest `keepLast` complete archives per school;
 * - `period`: kept `keepYears` years, and after that only once a later year archive of the
 *   same school exists (it holds the same data): the only copy of a period is never deleted;
 * - `year`: kept `keepYears` years, and after that only once a summary archive of that year
 *   exists (it keeps the summary sheets on);
 * - `summary`: kept `keepSummaryYears` years.
 * Only `complete` archives are ever considered; a `creating` row (killed run) is left alone.
 */

export type RetentionPolicy = Pick<ArchiveConfig, 'keepLast' | 'keepYears' | 'keepSummaryYears'>;

export interface PruneDecision {
  archive: ArchiveRow;
  reason: string;
}

const YEAR_MS = 365.25 * 24 * 3600 * 1000;

export function planRetention(
  rows: readonly ArchiveRow[],
  policy: RetentionPolicy,
  now: number,
): PruneDecision[] {
  const complete = rows
    .filter((r) => r.status === 'complete')
    .sort((a, b) => b.createdAt - a.createdAt);
  const out: PruneDecision[] = [];
  const bySchool = new Map<string, ArchiveRow[]>();
  for (const r of complete) {
    const key = r.schoolId ?? '';
    bySchool.set(key, [...(bySchool.get(key) ?? []), r]);
  }
  for (const list of bySchool.values()) {
    const regular = list.filter((r) => r.kind === 'regular');
    for (const r of regular.slice(policy.keepLast)) {
      out.push({ archive: r, reason: `more than ${policy.keepLast} regular archives` });
    }
    const years = list.filter((r) => r.kind === 'year');
    const summaries = list.filter((r) => r.kind === 'summary');
    for (const r of list) {
      const age = now - r.createdAt;
      if (r.kind === 'period' && age > policy.keepYears * YEAR_MS) {
        if (years.some((y) => y.createdAt > r.createdAt)) {
          out.push({
            archive: r,
            reason: `period archive older than ${policy.keepYears} years, covered by a year archive`,
          });
        }
      } else if (r.kind === 'year' && age > policy.keepYears * YEAR_MS) {
        if (summaries.some((s) => s.period === r.period)) {
          out.push({
            archive: r,
            reason: `year archive older than ${policy.keepYears} years, summary sheets kept`,
          });
        }
      } else if (r.kind === 'summary' && age > policy.keepSummaryYears * YEAR_MS) {
        out.push({
          archive: r,
          reason: `summary archive older than ${policy.keepSummaryYears} years`,
        });
      }
    }
  }
  return out;
}

export interface RetentionResult {
  pruned: PruneDecision[];
  /** Leftovers of killed runs that were removed (or would be, in a dry run). */
  staleFiles: string[];
}

/** Applies the plan: deletes every copy (and sidecar) of each pruned archive and marks it `pruned`. */
export async function applyRetention(
  db: SqlExecutor,
  policy: RetentionPolicy & { destinations: readonly string[]; workDir?: string },
  options: { now: number; dryRun?: boolean; staleAfterMs?: number },
): Promise<RetentionResult> {
  const plan = planRetention(await listArchives(db), policy, options.now);
  for (const d of plan) {
    if (options.dryRun) continue;
    for (const p of d.archive.paths) {
      rmSync(p, { force: true });
      rmSync(p + SIDECAR_SUFFIX, { force: true });
    }
    await markPruned(
      db,
      d.archive.fileName,
      `${d.reason} (pruned ${new Date(options.now).toISOString()})`,
    );
  }
  const staleFiles = sweepStale(
    policy.destinations,
    policy.workDir,
    options.now,
    options.staleAfterMs ?? 3600_000,
    options.dryRun ?? false,
  );
  return { pruned: plan, staleFiles };
}

/**
 * `.partial` files and scratch directories of runs that were killed. Only old ones: a young
 * one may belong to a run still in progress in another process.
 */
function sweepStale(
  destinations: readonly string[],
  workDir: string | undefined,
  now: number,
  staleAfterMs: number,
  dryRun: boolean,
): string[] {
  const found: string[] = [];
  for (const dir of destinations.map((d) => resolve(d))) {
    if (!existsSync(dir)) continue;
    for (const name of readdirSync(dir)) {
      if (!name.startsWith('ezh-') || !name.endsWith(PARTIAL_SUFFIX)) continue;
      const path = join(dir, name);
      if (now - statSync(path).mtimeMs > staleAfterMs) found.push(path);
    }
  }
  if (workDir && existsSync(workDir)) {
    for (const name of readdirSync(workDir)) {
      const path = join(workDir, name);
      // Age alone does not make a folder stale: a run may copy a large mirror for over an hour.
      if (
        name.startsWith(WORK_PREFIX) &&
        tempDirOwner(path) !== 'alive' &&
        now - statSync(path).mtimeMs > staleAfterMs
      ) {
        found.push(path);
      }
    }
  }
  if (!dryRun) for (const p of found) rmSync(p, { recursive: true, force: true });
  return found;
}
