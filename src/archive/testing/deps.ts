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
  // What the registry's documents do today (app/archive-documents.ts): the journal of each class
  // in period and year archives, then the compliance note in every archive.
  return {
    render: async ({ asOf, classes, journals, archive }, outDir) => {
      const out: { path: string; folder: string | null }[] = [];
      if (journals && classes.length > 0) {
        calls.push(
          `journals:${classes.map((c) => c.name).join(',')}:${journals.kind === 'period' ? journals.name : journals.label}`,
        );
        if (archive) calls.push(`copy:${archive.fileName}:${archive.dataSha256 ?? 'none'}`);
        for (const c of classes) {
          out.push({ path: pdf(outDir, `journal-${c.id}.pdf`), folder: 'journals' });
        }
      }
      calls.push(`audit:${new Date(asOf).toISOString()}`);
      out.push({ path: pdf(outDir, 'audit.pdf'), folder: null });
      return out;
    },
  };
}
