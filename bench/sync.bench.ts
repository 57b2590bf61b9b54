import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openMirror } from '../src/mirror/data-source.js';
import type { SqliteDb } from '../src/mirror/sql.js';
import type { SandboxSize } from '../src/sandbox/school.js';
import { measure, round } from './lib/measure.js';
import { rawCopy } from './lib/raw-copy.js';
import type { BenchResult, Figure } from './lib/results.js';
import { startSandboxProcess } from './lib/sandbox-process.js';
import { benchSync } from './lib/sync-run.js';
import { timedDb } from './lib/timed-db.js';

/**
 * bench/sync: a sandbox school synced in full into a fresh SQLite mirror through the real
 * Dnevnik.ru connector over HTTP (the sandbox in a child process), then synced again with no
 * change. Figures: requests per class per week of the year, records/s, the mirror's write rate
 * (records / time inside write transactions) as a ratio to raw prepared-statement inserts into a
 * fresh file in the same run, and the repeat sync's time as a ratio of the first. Two baselines,
 * as in `bench/mirror-upsert`:
 * - the same rows the mirror writes: each record's row and its history row (the target, >= 0.5,
 *   is judged here: it measures what the sync's write path costs beyond writing its rows);
 * - the records' rows alone (reported too: the difference is what keeping history costs).
 */

const WEEK_MS = 7 * 86_400_000;

async function measureSync(size: SandboxSize) {
  const sb = await startSandboxProcess({ size, seed: 1 });
  const dir = mkdtempSync(join(tmpdir(), 'ezh-bench-sync-'));
  try {
    const schoolId = sb.schools[0]!.id;
    const mirror = await openMirror({
      type: 'sqlite',
      path: join(dir, 'ezh.sqlite'),
      schema: 'public',
    });
    const db = timedDb(mirror.db);
    const before = await sb.requestCount();
    const first = await measure(() => benchSync(db, sb, schoolId));
    const firstRequests = (await sb.requestCount()) - before;
    const firstWriteMs = db.writeMs();
    if (first.result.status !== 'succeeded') {
      throw new Error(`sync ${first.result.status}: ${first.result.error}`);
    }
    const repeat = await measure(() => benchSync(db, sb, schoolId));
    const repeatRequests = (await sb.requestCount()) - before - firstRequests;

    const q = (sql: string) => mirror.db.query<Record<string, unknown>>(sql);
    const classes = Number(
      (await q(`SELECT count(*) AS n FROM classes WHERE kind = 'class'`))[0]!.n,
    );
    const span = (
      await q('SELECT min(start_date) AS a, max(finish_date) AS b FROM reporting_periods')
    )[0]!;
    const weeks = Math.ceil(
      (Date.parse(String(span.b)) - Date.parse(String(span.a)) + 86_400_000) / WEEK_MS,
    );
    const versions = Number((await q('SELECT count(*) AS n FROM record_versions'))[0]!.n);
    const records = first.result.streams.reduce((n, s) => n + s.inserted + s.changed, 0);

    const fresh = (name: string) =>
      openMirror({ type: 'sqlite', path: join(dir, name), schema: 'public' });
    const from = (mirror.db as SqliteDb).raw;
    const raw = await fresh('raw.sqlite');
    const live = rawCopy(from, (raw.db as SqliteDb).raw);
    await raw.close();
    const rawHistory = await fresh('raw-history.sqlite');
    const same = rawCopy(from, (rawHistory.db as SqliteDb).raw, { history: true });
    await rawHistory.close();
    await mirror.close();
    return {
      size,
      classes,
      weeks,
      records,
      versions,
      firstMs: first.ms,
      firstWriteMs,
      firstRequests,
      peakRssMb: first.peakRssMb,
      repeatMs: repeat.ms,
      repeatRequests,
      rawRows: live.records,
      rawMs: live.ms,
      rawSameRecords: same.records,
      rawSameVersions: same.versions,
      rawSameMs: same.ms,
    };
  } finally {
    await sb.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function run(): Promise<BenchResult> {
  const sizes = [];
  for (const size of ['small', 'large'] as const) sizes.push(await measureSync(size));
  const m = sizes[sizes.length - 1]!;
  const perClassWeek = m.firstRequests / (m.classes * m.weeks);
  // Rates in records/s; a record is one mirrored row, and in the same-rows baseline its history
  // row too (a first sync writes one version per record: `historyVersions` in `sizes`).
  const rawSameRate = m.rawSameRecords / (m.rawSameMs / 1000);
  const rawLiveRate = m.rawRows / (m.rawMs / 1000);
  const writeRate = m.records / (m.firstWriteMs / 1000);
  const writeRatio = writeRate / rawSameRate;
  const liveRatio = writeRate / rawLiveRate;
  const repeatRatio = m.repeatMs / m.firstMs;
  const small = sizes[0]!;
  const figures: Figure[] = [
    { name: 'requests, first full sync', value: m.firstRequests, unit: 'requests' },
    {
      name: `requests per class per week (${m.classes} classes x ${m.weeks} weeks)`,
      value: round(perClassWeek, 3),
      unit: 'ratio',
      target: '<= 3 (+ a constant)',
      met: perClassWeek <= 3,
    },
    {
      name: 'records synced, end to end',
      value: round(m.records / (m.firstMs / 1000), 0),
      unit: 'records/s',
    },
    {
      name: 'raw prepared inserts, records + history rows',
      value: round(rawSameRate, 0),
      unit: 'records/s',
    },
    {
      name: 'raw prepared inserts, records alone',
      value: round(rawLiveRate, 0),
      unit: 'records/s',
    },
    {
      name: 'mirror write rate (inside write transactions)',
      value: round(writeRate, 0),
      unit: 'records/s',
      baseline: round(rawSameRate, 0),
      ratio: round(writeRatio, 3),
    },
    {
      name: 'write rate ratio (ezh / raw inserts of the same rows)',
      value: round(writeRatio, 3),
      unit: 'ratio',
      target: '>= 0.5',
      met: writeRatio >= 0.5,
    },
    {
      name: 'ratio to raw inserts of the records alone (what history costs)',
      value: round(liveRatio, 3),
      unit: 'ratio',
      baseline: round(rawLiveRate, 0),
    },
    {
      name: 'repeat sync, no change: time / first sync time',
      value: round(repeatRatio, 3),
      unit: 'ratio',
      baseline: round(m.firstMs, 0),
      target: '<= 0.1',
      met: repeatRatio <= 0.1,
    },
    { name: 'repeat sync requests', value: m.repeatRequests, unit: 'requests' },
    {
      name: `growth ${small.size} -> ${m.size}: time / records`,
      value: round(m.firstMs / small.firstMs / (m.records / small.records), 2),
      unit: 'ratio',
    },
    {
      name: `growth ${small.size} -> ${m.size}: peak RSS`,
      value: round(m.peakRssMb / small.peakRssMb, 2),
      unit: 'ratio',
    },
  ];
  return {
    name: 'sync',
    description: `the ${m.size} sandbox school (${m.classes} classes, ${m.weeks} weeks) synced in full over HTTP into a fresh SQLite mirror, then again with no change`,
    figures,
    sizes: sizes.map((s) => ({
      size: s.size,
      classes: s.classes,
      weeks: s.weeks,
      records: s.records,
      historyVersions: s.versions,
      requests: s.firstRequests,
      requestsPerClassWeek: round(s.firstRequests / (s.classes * s.weeks), 3),
      firstMs: round(s.firstMs, 0),
      writeMs: round(s.firstWriteMs, 0),
      rawSameRowsMs: round(s.rawSameMs, 0),
      rawSameHistoryRows: s.rawSameVersions,
      rawRecordsOnlyMs: round(s.rawMs, 0),
      writeRatio: round(s.records / s.firstWriteMs / (s.rawSameRecords / s.rawSameMs), 3),
      writeRatioRecordsOnly: round(s.records / s.firstWriteMs / (s.rawRows / s.rawMs), 3),
      repeatMs: round(s.repeatMs, 0),
      repeatRequests: s.repeatRequests,
      peakRssMb: round(s.peakRssMb, 0),
    })),
    notes: [
      'the sandbox runs in a child process; its CPU time is not ezh but shares the 2 cores',
      `connector limiter ${1000} requests/s, HTTP concurrency 8, sync job concurrency 4`,
    ],
  };
}
