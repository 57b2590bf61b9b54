import type Database from 'better-sqlite3';
import { createReadStream, existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import { createInterface } from 'node:readline';
import { openSqlite } from '../mirror/sqlite-open.js';
import { CsvRecordCounter, csvLine, BOM, parseCsv } from './csv.js';
import { extractArchive } from './extract.js';
import { hashFile } from './files.js';
import {
  CHECKSUMS,
  MANIFEST_CSV,
  MANIFEST_JSON,
  manifestSchema,
  parseChecksums,
  type Manifest,
} from './manifest.js';
import { SIDECAR_SUFFIX } from './pack.js';

/**
 * `ezh archive verify`: re-hashes every member and re-counts every export file and the
 * snapshot against the manifest. Each problem names the member it is about, so a damaged
 * medium can be told apart from a damaged file.
 */

export interface VerifyProblem {
  /** The member (path inside the archive) or the archive file itself. */
  file: string;
  message: string;
}

export interface VerifyReport {
  ok: boolean;
  problems: VerifyProblem[];
  manifest: Manifest | null;
  /** Members checked. */
  files: number;
  /** Rows counted over all tables. */
  rows: number;
}

export async function verifyArchive(
  file: string,
  options: { workDir?: string } = {},
): Promise<VerifyReport> {
  const problems: VerifyProblem[] = [];
  const name = basename(file);
  if (!existsSync(file)) {
    return {
      ok: false,
      problems: [{ file: name, message: 'not found' }],
      manifest: null,
      files: 0,
      rows: 0,
    };
  }
  const sidecar = file + SIDECAR_SUFFIX;
  if (existsSync(sidecar)) {
    const expected = readFileSync(sidecar, 'utf8').split(/\s+/)[0];
    const actual = (await hashFile(file)).sha256;
    if (expected !== actual) {
      problems.push({
        file: name,
        message: `SHA-256 ${actual} differs from ${basename(sidecar)} (${expected})`,
      });
    }
  }
  let extracted;
  try {
    extracted = await extractArchive(file, options.workDir);
  } catch (err) {
    problems.push({ file: name, message: `cannot be unpacked: ${(err as Error).message}` });
    return { ok: false, problems, manifest: null, files: 0, rows: 0 };
  }
  try {
    const report = await verifyTree(extracted.root);
    problems.push(...report.problems);
    return { ...report, ok: problems.length === 0, problems };
  } finally {
    extracted.dispose();
  }
}

/** Checks an unpacked archive (its top-level directory). */
export async function verifyTree(root: string): Promise<VerifyReport> {
  const problems: VerifyProblem[] = [];
  const actual = new Map<string, { sha256: string; size: number }>();
  const walk = (dir: string): string[] =>
    readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
      e.isDirectory() ? walk(join(dir, e.name)) : [join(dir, e.name)],
    );
  for (const abs of walk(root)) {
    actual.set(relative(root, abs).split('\\').join('/'), await hashFile(abs));
  }

  let manifest: Manifest | null = null;
  if (!actual.has(MANIFEST_JSON)) problems.push({ file: MANIFEST_JSON, message: 'missing' });
  else {
    try {
      const parsed = manifestSchema.safeParse(
        JSON.parse(readFileSync(join(root, MANIFEST_JSON), 'utf8')),
      );
      if (parsed.success) manifest = parsed.data;
      else {
        problems.push({
          file: MANIFEST_JSON,
          message: `not a valid manifest: ${parsed.error.issues[0]?.message ?? ''}`,
        });
      }
    } catch (err) {
      problems.push({ file: MANIFEST_JSON, message: `not valid JSON: ${(err as Error).message}` });
    }
  }

  // SHA256SUMS covers manifest.json; manifest.json covers everything else.
  const sums = actual.has(CHECKSUMS)
    ? parseChecksums(readFileSync(join(root, CHECKSUMS), 'utf8'))
    : null;
  if (!sums) problems.push({ file: CHECKSUMS, message: 'missing' });
  else {
    const m = actual.get(MANIFEST_JSON);
    if (m && sums.get(MANIFEST_JSON) !== m.sha256) {
      problems.push({ file: MANIFEST_JSON, message: `SHA-256 differs from ${CHECKSUMS}` });
    }
  }
  if (!manifest) return { ok: false, problems, manifest, files: actual.size, rows: 0 };

  const listed = new Set<string>([MANIFEST_JSON, CHECKSUMS]);
  for (const f of manifest.files) {
    listed.add(f.path);
    const a = actual.get(f.path);
    if (!a) problems.push({ file: f.path, message: 'missing' });
    else if (a.sha256 !== f.sha256) problems.push({ file: f.path, message: 'SHA-256 mismatch' });
    else if (a.size !== f.size) {
      problems.push({ file: f.path, message: `size ${a.size}, manifest says ${f.size}` });
    }
    if (sums && sums.get(f.path) !== f.sha256) {
      problems.push({ file: CHECKSUMS, message: `entry for ${f.path} differs from the manifest` });
    }
  }
  if (sums && sums.size !== manifest.files.length + 1) {
    problems.push({ file: CHECKSUMS, message: 'lists other files than the manifest' });
  }
  for (const path of actual.keys()) {
    if (!listed.has(path)) problems.push({ file: path, message: 'not listed in the manifest' });
  }

  const rows = await checkCounts(root, manifest, actual, problems);
  return { ok: problems.length === 0, problems, manifest, files: actual.size, rows };
}

async function checkCounts(
  root: string,
  manifest: Manifest,
  actual: ReadonlyMap<string, unknown>,
  problems: VerifyProblem[],
): Promise<number> {
  let total = 0;
  const tallies = new Map<string, { live: number; deleted: number }>();
  const versions = new Map<string, number>();
  for (const t of manifest.tables) {
    total += t.rows;
    if (actual.has(t.csv)) {
      try {
        const { records, header } = await countCsv(join(root, t.csv));
        if (records - 1 !== t.rows) {
          problems.push({ file: t.csv, message: `${records - 1} rows, manifest says ${t.rows}` });
        }
        if (header !== BOM + csvLine(t.columns.map((c) => c.name))) {
          problems.push({ file: t.csv, message: 'header differs from the manifest columns' });
        }
      } catch (err) {
        problems.push({ file: t.csv, message: (err as Error).message });
      }
    }
    if (actual.has(t.jsonl)) {
      try {
        const tally = { live: 0, deleted: 0 };
        let n = 0;
        for await (const line of createInterface({
          input: createReadStream(join(root, t.jsonl), 'utf8'),
          crlfDelay: Infinity,
        })) {
          if (line === '') continue;
          const obj = JSON.parse(line) as Record<string, unknown>;
          n++;
          if ('deleted_at' in obj) {
            if (obj.deleted_at === null) tally.live++;
            else tally.deleted++;
          }
          if (t.table === 'record_versions') {
            versions.set(String(obj.entity), (versions.get(String(obj.entity)) ?? 0) + 1);
          }
        }
        tallies.set(t.table, tally);
        if (n !== t.rows) {
          problems.push({ file: t.jsonl, message: `${n} rows, manifest says ${t.rows}` });
        }
      } catch (err) {
        problems.push({ file: t.jsonl, message: `unreadable: ${(err as Error).message}` });
      }
    }
  }
  const hasVersions = manifest.tables.some((t) => t.table === 'record_versions');
  for (const e of manifest.entities) {
    const tally = tallies.get(e.table);
    const t = manifest.tables.find((x) => x.table === e.table);
    if (tally && t && (tally.live !== e.live || tally.deleted !== e.deleted)) {
      problems.push({
        file: t.jsonl,
        message: `live/deleted ${tally.live}/${tally.deleted}, manifest says ${e.live}/${e.deleted}`,
      });
    }
    if (hasVersions && (versions.get(e.entity) ?? 0) !== e.versions) {
      problems.push({
        file: 'export/record_versions.jsonl',
        message: `${versions.get(e.entity) ?? 0} versions of ${e.entity}, manifest says ${e.versions}`,
      });
    }
  }
  checkManifestCsv(root, manifest, problems);
  if (manifest.snapshot.file && actual.has(manifest.snapshot.file)) {
    checkSnapshot(join(root, manifest.snapshot.file), manifest, problems);
  }
  return total;
}

async function countCsv(path: string): Promise<{ records: number; header: string }> {
  const counter = new CsvRecordCounter();
  let header = '';
  for await (const chunk of createReadStream(path, 'utf8')) {
    if (header === '' || !header.endsWith('\r\n')) {
      const text = header + (chunk as string);
      const end = text.indexOf('\r\n');
      header = end >= 0 ? text.slice(0, end + 2) : text;
    }
    counter.push(chunk as string);
  }
  return { records: counter.finish(), header };
}

function checkManifestCsv(root: string, manifest: Manifest, problems: VerifyProblem[]): void {
  const path = join(root, MANIFEST_CSV);
  if (!existsSync(path)) return;
  const rows = parseCsv(readFileSync(path, 'utf8')).slice(1);
  for (const t of manifest.tables) {
    for (const f of [t.csv, t.jsonl]) {
      const row = rows.find((r) => r[0] === f);
      if (!row || row[3] !== 'bulk' || Number(row[4]) !== t.rows) {
        problems.push({ file: MANIFEST_CSV, message: `entry for ${f} missing or wrong` });
      }
    }
  }
}

function checkSnapshot(path: string, manifest: Manifest, problems: VerifyProblem[]): void {
  const file = manifest.snapshot.file!;
  let db: Database.Database | undefined;
  try {
    db = openSqlite(path, 'file', { readonly: true, fileMustExist: true });
    const check = db.pragma('quick_check', { simple: true });
    if (check !== 'ok') problems.push({ file, message: `integrity check: ${String(check)}` });
    for (const t of manifest.tables) {
      const n = (
        db.prepare(`SELECT count(*) AS n FROM "${t.table.replace(/"/g, '""')}"`).get() as {
          n: number;
        }
      ).n;
      if (n !== t.rows) {
        problems.push({ file, message: `${t.table}: ${n} rows, manifest says ${t.rows}` });
      }
    }
  } catch (err) {
    problems.push({ file, message: `unreadable: ${(err as Error).message}` });
  } finally {
    db?.close();
  }
}
