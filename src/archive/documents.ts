import { copyFileSync, chmodSync, rmSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { SqlExecutor } from '../mirror/sql.js';
import { ensurePrivateDir } from '../platform/private-files.js';
import { FILE_MODE } from './files.js';
import type { DocumentsEntry } from './manifest.js';

/**
 * Printed documents of an archive. Rendering (Handlebars → Chromium → PDF) belongs to
 * `src/reports`; the archive takes it as injected functions so that it works, and says so,
 * where no browser is installed. Which documents an archive carries derives from the document
 * registry (today: the compliance note in every archive, and the printed journal of every class
 * in period and year archives).
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

/** What the archive is made of: the documents it carries are decided from this by their renderer. */
export interface ArchiveOccasion {
  /** The instant the archive records. */
  asOf: number;
  /** Classes of a period or year archive, in grade order (`archiveClasses`); none for a regular one. */
  classes: ArchiveClass[];
  /** The period or the year whose journals the archive keeps; null: a regular (weekly) archive. */
  journals: JournalPeriod | null;
  /** The archive they are printed into: copies that name their archive (the journals) name it. */
  archive?: ArchiveIdentity;
}

/** A printed file and where in the archive's `documents/` it goes (null: `documents/` itself). */
export interface RenderedDocument {
  path: string;
  folder: string | null;
}

/**
 * Prints the documents an archive carries. Which ones is the document registry's business
 * (`archive` of each document, wired by `src/app/archive-documents.ts`); the archive only files
 * what it is given, in the order given.
 */
export interface DocumentRenderer {
  render(occasion: ArchiveOccasion, outDir: string): Promise<RenderedDocument[]>;
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
    const printed = await input.renderer.render(
      {
        asOf: input.asOf,
        classes: input.classes,
        journals: input.journals,
        ...(input.archive ? { archive: input.archive } : {}),
      },
      input.scratchDir,
    );
    const rendered = printed.map((p) => ({
      from: p.path,
      to: `documents/${p.folder ? `${p.folder}/` : ''}${basename(p.path)}`,
    }));
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
