import { tmpdir } from 'node:os';
import { systemClock } from '../platform/clock.js';
import {
  createArchive,
  resolveDestinations,
  type ArchiveDeps,
  type ArchiveResult,
  type CreateArchiveOptions,
} from './create.js';
import { applyRetention, type RetentionResult } from './retention.js';

/**
 * One archive run as users and schedules see it: the archive, plus (at year end) the
 * summary-sheet archive that outlives it, then retention over everything registered.
 */

export interface ArchiveRunResult {
  archives: ArchiveResult[];
  retention: RetentionResult;
}

export async function runArchive(
  deps: ArchiveDeps,
  options: CreateArchiveOptions,
): Promise<ArchiveRunResult> {
  const archives = [await createArchive(deps, options)];
  if (options.kind === 'year') {
    archives.push(
      await createArchive(deps, { ...options, kind: 'summary', period: archives[0]!.period }),
    );
  }
  const retention = await applyRetention(
    deps.mirror.db,
    {
      ...deps.config.archive,
      destinations: resolveDestinations(deps.config, options),
      workDir: deps.config.archive.workDir ?? tmpdir(),
    },
    { now: (deps.clock ?? systemClock).now() },
  );
  return { archives, retention };
}
