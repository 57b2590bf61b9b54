import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openMirror } from '../src/mirror/data-source.js';
import { canonicalJson, sha1 } from '../src/mirror/hash.js';
import { upsertRecords, VERSION_COLUMNS, type WriteContext } from '../src/mirror/mirror-writer.js';
import type { SqliteDb } from '../src/mirror/sql.js';
import { COMMON_COLUMNS, TABLES } from '../src/mirror/tables.js';
import { syntheticMarks } from './lib/marks.js';
import { measure, round } from './lib/measure.js';
import type { BenchResult } from './lib/results.js';

/**
 * bench/mirror-upsert: N marks upserted into a fresh SQLite mirror through the mirror's own write
 * path (lookup of existing rows, canonical hashing, history versions, batches of one transaction
 * per 10,000 records), against raw prepared-statement inserts with the same driver into fresh
 * files of the same schema, in the same run. Two baselines:
 * - the same rows ezh writes: each mark and its history row (the target, >= 0.5, is judged here:
 *   it measures what the write path costs beyond writing its rows);
 * - the marks alone (reported too: it shows what keeping history costs).
 */

const ctx: WriteContext = {
  source: 'dnevnik',
  schoolId: '1000002283077',
  zone: 'Europe/Moscow',
  observedAt: Date.UTC(2026, 10, 23),
  syncRunId: 'bench',
};

async function freshMirror(dir: string, name: string) {
  return openMirror({ type: 'sqlite', path: join(dir, name), schema: 'public' });
}

export async function measureUpsert(count: number) {
  const dir = mkdtempSync(join(tmpdir(), 'ezh-bench-upsert-'));
  try {
    const marks = syntheticMarks(count);
    const spec = TABLES.marks;
    const columns = [...COMMON_COLUMNS.map((c) => c.name), ...spec.columns.map((c) => c.name)];

    // Baseline: raw prepared-statement inserts of the same rows, one transaction.
    const rawMirror = await freshMirror(dir, 'raw.sqlite');
    const raw = (rawMirror.db as SqliteDb).raw;
    const insert = raw.prepare(
      `INSERT INTO marks (${columns.join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`,
    );
    const rowCtx = { zone: ctx.zone };
    const baseline = await measure(() => {
      raw.transaction(() => {
        for (const m of marks) {
          insert.run(
            ctx.source,
            m.id,
            ctx.schoolId,
            'h',
            1,
            ctx.observedAt,
            ctx.observedAt,
            null,
            ...(spec.toRow(m, rowCtx) as (string | number | null)[]),
          );
        }
      })();
    });
    await rawMirror.close();

    // Baseline 2: raw prepared inserts of exactly the rows ezh writes, marks and history rows
    // (payload texts prepared before timing: only the inserts are measured).
    const sameMirror = await freshMirror(dir, 'raw-same.sqlite');
    const same = (sameMirror.db as SqliteDb).raw;
    const insertMark = same.prepare(
      `INSERT INTO marks (${columns.join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`,
    );
    const insertVersion = same.prepare(
      `INSERT INTO record_versions (${VERSION_COLUMNS.join(', ')}) VALUES (${VERSION_COLUMNS.map(() => '?').join(', ')})`,
    );
    const payloads = marks.map((m) => canonicalJson(m));
    const hashes = payloads.map(sha1);
    const sameRows = await measure(() => {
      same.transaction(() => {
        marks.forEach((m, i) => {
          insertMark.run(
            ctx.source,
            m.id,
            ctx.schoolId,
            hashes[i],
            1,
            ctx.observedAt,
            ctx.observedAt,
            null,
            ...(spec.toRow(m, rowCtx) as (string | number | null)[]),
          );
          insertVersion.run(
            'marks',
            ctx.source,
            m.id,
            1,
            ctx.schoolId,
            'insert',
            ctx.observedAt,
            hashes[i],
            payloads[i],
            ctx.syncRunId,
          );
        });
      })();
    });
    await sameMirror.close();

    // ezh: the mirror's write path, with history.
    const mirror = await freshMirror(dir, 'ezh.sqlite');
    const batch = 10_000;
    const ezh = await measure(async () => {
      for (let i = 0; i < marks.length; i += batch) {
        const part = marks.slice(i, i + batch);
        await mirror.db.transaction((tx) => upsertRecords(tx, 'marks', part, ctx));
      }
    });
    // A repeat with no change: only last_seen_at moves.
    const repeat = await measure(async () => {
      for (let i = 0; i < marks.length; i += batch) {
        const part = marks.slice(i, i + batch);
        await mirror.db.transaction((tx) => upsertRecords(tx, 'marks', part, ctx));
      }
    });
    const versions = await mirror.db.query<{ n: number }>(
      'SELECT count(*) AS n FROM record_versions',
    );
    await mirror.close();
    return { count, baseline, sameRows, ezh, repeat, versions: Number(versions[0]?.n ?? 0) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function run(): Promise<BenchResult> {
  const sizes = [];
  for (const n of [25_000, 100_000]) sizes.push(await measureUpsert(n));
  const main = sizes[sizes.length - 1]!;
  const ratio = main.sameRows.ms / main.ezh.ms;
  const marksOnly = main.baseline.ms / main.ezh.ms;
  return {
    name: 'mirror-upsert',
    description: `${main.count} marks upserted into a fresh SQLite mirror (better-sqlite3) with history, vs raw prepared-statement inserts of the same rows (marks + history rows) and of the marks alone`,
    figures: [
      {
        name: 'raw prepared inserts, marks + history rows',
        value: round(main.count / (main.sameRows.ms / 1000), 0),
        unit: 'marks/s',
      },
      {
        name: 'raw prepared inserts, marks alone',
        value: round(main.count / (main.baseline.ms / 1000), 0),
        unit: 'marks/s',
      },
      {
        name: 'ezh upsert with history',
        value: round(main.count / (main.ezh.ms / 1000), 0),
        unit: 'marks/s',
      },
      {
        name: 'write rate ratio (ezh / raw inserts of the same rows)',
        value: round(ratio, 3),
        unit: 'ratio',
        target: '>= 0.5',
        met: ratio >= 0.5,
      },
      {
        name: 'ratio to raw inserts of the marks alone (what history costs)',
        value: round(marksOnly, 3),
        unit: 'ratio',
      },
      {
        name: 'repeat upsert, no change (ezh)',
        value: round(main.count / (main.repeat.ms / 1000), 0),
        unit: 'marks/s',
      },
      { name: 'history versions written', value: main.versions, unit: 'rows' },
    ],
    sizes: sizes.map((s) => ({
      marks: s.count,
      rawSameRowsMs: round(s.sameRows.ms, 0),
      rawMarksOnlyMs: round(s.baseline.ms, 0),
      ezhMs: round(s.ezh.ms, 0),
      repeatMs: round(s.repeat.ms, 0),
      ratio: round(s.sameRows.ms / s.ezh.ms, 3),
      ratioMarksOnly: round(s.baseline.ms / s.ezh.ms, 3),
      peakRssMb: round(s.ezh.peakRssMb, 0),
    })),
  };
}
