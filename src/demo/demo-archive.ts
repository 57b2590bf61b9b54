import { join } from 'node:path';
import { runArchive } from '../archive/index.js';
import type { AppContext } from '../app/context.js';
import { reportsDocumentRenderer } from '../app/archive-documents.js';
import type { Clock } from '../platform/clock.js';

/**
 * The demo's archive: the finished first quarter (printed journals of every class, the latest
 * compliance note, the mirror snapshot and the vendor-neutral export), written to
 * `<outDir>/archive/` only, never to the destinations of a school's configuration.
 */
export async function demoArchive(
  app: AppContext,
  opts: { outDir: string; asOf: number; clock: Clock; schoolId: string; period?: string },
): Promise<string[]> {
  const mirror = await app.mirror();
  const schoolId = opts.schoolId;
  const renderer = await reportsDocumentRenderer(app, schoolId);
  try {
    const result = await runArchive(
      { mirror, config: app.config, logger: app.logger, clock: opts.clock, renderer },
      {
        kind: 'period',
        period: opts.period ?? '1 четверть',
        schoolId,
        destinations: [join(opts.outDir, 'archive')],
        onlyGivenDestinations: true,
        asOf: opts.asOf,
      },
    );
    return result.archives.flatMap((a) => a.paths);
  } finally {
    await renderer.close?.();
  }
}
