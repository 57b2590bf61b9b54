import { z } from 'zod';
import { csvLine } from './csv.js';

/**
 * What an archive says about itself. `manifest.json` is the machine-readable description
 * (hashes, counts, provenance); `manifest.csv` lists the export files in the spirit of a
 * OneRoster bulk manifest (file, entity, mode) so a spreadsheet user sees what is inside;
 * `SHA256SUMS` lets anyone check the members with `sha256sum -c` and covers manifest.json itself.
 */

export const ARCHIVE_FORMAT = 'ezh-archive';
export const ARCHIVE_FORMAT_VERSION = 1;
export const MANIFEST_JSON = 'manifest.json';
export const MANIFEST_CSV = 'manifest.csv';
export const CHECKSUMS = 'SHA256SUMS';
export const SNAPSHOT_FILE = 'snapshot/mirror.sqlite';

export const archiveKinds = ['regular', 'period', 'year', 'summary'] as const;
export type ArchiveKind = (typeof archiveKinds)[number];

const columnSchema = z.object({
  name: z.string(),
  type: z.enum(['text', 'integer', 'bigint', 'double precision']),
  nullable: z.boolean(),
});

const tableSchema = z.object({
  table: z.string(),
  rows: z.int().min(0),
  csv: z.string(),
  jsonl: z.string(),
  columns: z.array(columnSchema),
  primary: z.array(z.string()),
});

const entitySchema = z.object({
  entity: z.string(),
  table: z.string(),
  live: z.int().min(0),
  deleted: z.int().min(0),
  versions: z.int().min(0),
});

const documentSchema = z.object({
  /** included: every document is in `documents/`; absent: none (reason says why); not-applicable. */
  status: z.enum(['included', 'absent', 'not-applicable']),
  reason: z.string().nullable(),
  files: z.array(z.string()),
});

const fileSchema = z.object({
  path: z.string(),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  size: z.int().min(0),
});

export const manifestSchema = z.object({
  format: z.literal(ARCHIVE_FORMAT),
  formatVersion: z.literal(ARCHIVE_FORMAT_VERSION),
  ezhVersion: z.string(),
  kind: z.enum(archiveKinds),
  period: z.string().nullable(),
  school: z.string().nullable(),
  asOf: z.string(),
  createdAt: z.string(),
  source: z.object({ engine: z.enum(['sqlite', 'postgres']) }),
  snapshot: z.object({
    /** The SQLite snapshot file; null when the JSON lines export is the snapshot (PostgreSQL source). */
    file: z.string().nullable(),
    method: z.string(),
  }),
  tables: z.array(tableSchema),
  entities: z.array(entitySchema),
  documents: documentSchema,
  files: z.array(fileSchema),
});

export type Manifest = z.infer<typeof manifestSchema>;
export type ManifestTable = z.infer<typeof tableSchema>;
export type ManifestEntity = z.infer<typeof entitySchema>;
export type DocumentsEntry = z.infer<typeof documentSchema>;
export type ManifestFile = z.infer<typeof fileSchema>;

export const MANIFEST_CSV_HEADER = ['file', 'entity', 'format', 'mode', 'rows', 'note'];

/**
 * One line per export file (`bulk`: a full snapshot of the entity) and per expected document;
 * documents that could not be produced are listed with OneRoster's `absent` mode and the reason.
 */
export function manifestCsv(tables: readonly ManifestTable[], documents: DocumentsEntry): string {
  let out = csvLine(MANIFEST_CSV_HEADER);
  for (const t of tables) {
    out += csvLine([t.csv, t.table, 'csv', 'bulk', t.rows, '']);
    out += csvLine([t.jsonl, t.table, 'jsonl', 'bulk', t.rows, '']);
  }
  if (documents.status === 'included') {
    for (const f of documents.files) out += csvLine([f, 'document', 'pdf', 'bulk', '', '']);
  } else if (documents.status === 'absent') {
    out += csvLine(['documents/', 'document', 'pdf', 'absent', '', documents.reason ?? '']);
  }
  return out;
}

export function checksumsText(files: readonly ManifestFile[]): string {
  return files.map((f) => `${f.sha256}  ${f.path}\n`).join('');
}

export function parseChecksums(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of text.split('\n')) {
    const m = /^([0-9a-f]{64}) [ *](.+)$/.exec(line);
    if (m) out.set(m[2]!, m[1]!);
  }
  return out;
}
