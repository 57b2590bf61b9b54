import { copyFileSync, chmodSync, rmSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { SqlExecutor } from '../mirror/sql.js';
import { ensurePrivateDir } from '../platform/private-files.js';
import { FILE_MODE } from './files.js';
import type { DocumentsEntry } from './manifest.js';

/**
 * Printed documents of an archive. Rendering (Handlebars → Chromium → PDF) belongs to
 * `src/reports`; the archive takes it as injected functions so that it works, and says so,
 * where no browser is installed. Regular (weekly) archives carry the compliance note only;
 * period and year archives also carry the printed journal of every class.
 */

export interface ArchiveClass {
  id: string;
  name: string;
}

/** The archive's file name and the SHA-256 of its data snapshot (null: no single snapshot file). */
export interface ArchiveIdentity {
  fileName: string;
  dataSha256: string | null;
}

export type JournalPeriod = { kind: 'period'; name: string } | { kind: 'year'; label: string };

export interface DocumentRenderer {
  /** Printed journals of these classes for the period or the year; returns the PDF paths written. */
  renderJournals(
    classes: ArchiveClass[],
    period: JournalPeriod,
    outDir: string,
    /** The archive they are printed into: their certification pages name it. */
    archive?: ArchiveIdentity,
  ): Promise<string[]>;
  /** The compliance note («справка по итогам проверки ЭЖ») as of this instant; returns the PDF path. */
  renderAudit(asOf: number, outDir: string): Promise<string>;
}

/**
 * Classes (not groups) of the school that are not deleted, in grade order. For a period archive,
 * only the classes that have a period of that name: grades on half-years have no «1 четверть».
 */
export async function archiveClasses(
  db: SqlExecutor,
  schoolId: string | null,
  periodName: string | null = null,
): Promise<ArchiveClass[]> {
  const params: unknown[] = [];
  if (schoolId) params.push(schoolId);
  if (periodName) params.push(periodName);
  const rows = await db.query<{ id: string; name: string }>(
    `SELECT id, name FROM classes c WHERE deleted_at IS NULL AND kind = 'class'
     ${schoolId ? 'AND school_id = ?' : ''}
     ${
       periodName
         ? `AND EXISTS (SELECT 1 FROM reporting_periods p
                        WHERE p.class_id = c.id AND p.name = ? AND p.deleted_at IS NULL)`
         : ''
     }
     ORDER BY grade, name, id`,
    params,
  );
  return rows.map((r) => ({ id: String(r.id), name: String(r.name) }));
}

export interface RenderDocumentsInput {
  renderer: DocumentRenderer | null | undefined;
  classes: ArchiveClass[];
  journals: JournalPeriod | null;
  asOf: number;
  /** Scratch directory for the renderer's output. */
  scratchDir: string;
  /** The archive's root directory; documents go under `documents/`. */
  rootDir: string;
  /** What the printed journals' certification pages name as their electronic copy. */
  archive?: ArchiveIdentity;
}

/**
 * Renders and copies documents into the archive. A missing renderer or a rendering failure does
 * not lose the data archive: the documents are recorded as `absent` with the reason, and the
 * caller decides (config `archive.requireDocuments`) whether that fails the run.
 */
export async function addDocuments(input: RenderDocumentsInput): Promise<DocumentsEntry> {
  if (!input.renderer) {
    return {
      status: 'absent',
      reason: 'no document renderer available (Chromium not configured)',
      files: [],
    };
  }
  const files: string[] = [];
  try {
    ensurePrivateDir(input.scratchDir);
    const rendered: { from: string; to: string }[] = [];
    if (input.journals && input.classes.length > 0) {
      const paths = await input.renderer.renderJournals(
        input.classes,
        input.journals,
        input.scratchDir,
        input.archive,
      );
      for (const p of paths) rendered.push({ from: p, to: `documents/journals/${basename(p)}` });
    }
    const audit = await input.renderer.renderAudit(input.asOf, input.scratchDir);
    rendered.push({ from: audit, to: `documents/${basename(audit)}` });
    for (const r of rendered) {
      const target = join(input.rootDir, r.to);
      ensurePrivateDir(join(target, '..'));
      copyFileSync(r.from, target);
      chmodSync(target, FILE_MODE);
      files.push(r.to);
    }
  } catch (err) {
    // Half a set of documents would pass for a complete one: leave none.
    rmSync(join(input.rootDir, 'documents'), { recursive: true, force: true });
    return {
      status: 'absent',
      reason: `document rendering failed: ${(err as Error).message}`,
      files: [],
    };
  }
  return { status: 'included', reason: null, files: files.sort() };
}
