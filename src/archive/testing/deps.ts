import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { configSchema, type Config } from '../../config/schema.js';
import type { Mirror } from '../../mirror/data-source.js';
import { ManualClock } from '../../platform/clock.js';
import { createLogger } from '../../platform/logger.js';
import type { ArchiveDeps } from '../create.js';
import type { DocumentRenderer } from '../documents.js';

/** Archive dependencies for tests: config with the given archive section, silent logger, manual clock. */
export function testArchiveDeps(
  mirror: Mirror,
  archive: Record<string, unknown>,
  options: { renderer?: DocumentRenderer | null; now?: number } = {},
): ArchiveDeps & { config: Config; clock: ManualClock } {
  return {
    mirror,
    config: configSchema.parse({ archive }),
    logger: createLogger({ level: 'silent' }),
    clock: new ManualClock(options.now ?? Date.UTC(2026, 9, 28, 9)),
    renderer: options.renderer ?? null,
  };
}

/** A renderer that writes tiny PDF-like files, recording what it was asked for. */
export function fakeRenderer(calls: string[] = []): DocumentRenderer {
  const pdf = (dir: string, name: string) => {
    mkdirSync(dir, { recursive: true });
    const path = join(dir, name);
    writeFileSync(path, `%PDF-1.7\n% ${name}\n%%EOF\n`);
    return path;
  };
  return {
    renderJournals: async (classes, period, outDir, archive) => {
      calls.push(
        `journals:${classes.map((c) => c.name).join(',')}:${period.kind === 'period' ? period.name : period.label}`,
      );
      if (archive) calls.push(`copy:${archive.fileName}:${archive.dataSha256 ?? 'none'}`);
      return classes.map((c) => pdf(outDir, `journal-${c.id}.pdf`));
    },
    renderAudit: async (asOf, outDir) => {
      calls.push(`audit:${new Date(asOf).toISOString()}`);
      return pdf(outDir, 'audit.pdf');
    },
  };
}
