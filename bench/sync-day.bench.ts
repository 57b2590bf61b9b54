import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openMirror } from '../src/mirror/data-source.js';
import type { SqlDb } from '../src/mirror/sql.js';
import { round } from './lib/measure.js';
import type { BenchResult, Figure } from './lib/results.js';
import { startSandboxProcess } from './lib/sandbox-process.js';
import { syncAt, type TimedSync } from './lib/sync-at.js';

/**
 * bench/sync-day: what a school day of hourly syncs costs on a sandbox school while its
 * teachers keep working (the sandbox's timeline: marks, attendance and topics appear when they
 * were entered, corrections and deletions later). In one run, on one mirror:
 * 1. a full first sync at the sandbox's T0 (07:00 of a day in term; Monday by default): the baseline;
 * 2. one incremental run as daytime runs did before issue 24 (recent zone + current period,
 *    classes, attendance per subject, lessons read again for it): the old cost of a run (its
 *    data is then already in the mirror: the run's requests are what is compared);
 * 3. the day: hourly runs 07:00-21:00 (mode `hourly`, the schedule's), the sandbox's clock moved
 *    to each run's moment first; requests per class and the delay from an entry to the mirror;
 * 4. the nightly reconciliation at 02:30;
 * 5. a day without changes: hourly runs with the sandbox's clock stopped (a few measured).
 */

const HOUR = 3_600_000;
/**
 * `small` by default (4 classes; a full first sync and a day of 15 runs fit in minutes on a busy
 * machine); `EZH_BENCH_DAY_SIZE=large` for the 48-class school (about 3 full syncs' time).
 */
const SIZE = process.env.EZH_BENCH_DAY_SIZE === 'large' ? 'large' : 'small';
/**
 * The large school's start: a Monday in term (3rd quarter), 07:00 local; `EZH_BENCH_DAY_START`
 * (a local date-time at 07:00) measures another day of that week, e.g. `2026-03-06T07:00:00`,
 * its Friday: a daytime run reads the current week, so later days carry more lessons.
 */
const START = process.env.EZH_BENCH_DAY_START ?? '2026-03-02T07:00:00';
/** Hourly runs of the day without changes that are measured (each alike; the day is 15 of them). */
const QUIET_RUNS = 3;
/** A run's requests by the stream its scopes were booked on (a scope's calls go to its first stream). */
const byStream = (r: TimedSync): Record<string, number> =>
  Object.fromEntries(
    r.summary.streams.filter((s) => s.requests > 0).map((s) => [s.stream, s.requests]),
  );
const progress = (what: string, r: TimedSync) =>
  process.stderr.write(
    `  sync-day: ${what}: ${r.requests} requests ${JSON.stringify(byStream(r))}, ${Math.round(r.ms)} ms\n`,
  );
const DAY = 24 * HOUR;
/** The daytime schedule's hours (`jobs.schedules.incrementalSync`: `0 7-21 * * 1-6`). */
const HOURS = Array.from({ length: 15 }, (_, i) => 7 + i);

interface Delays {
  count: number;
  p50Min: number;
  p95Min: number;
  maxMin: number;
}

function delays(values: number[]): Delays {
  const v = [...values].sort((a, b) => a - b);
  const at = (q: number) =>
    v.length === 0 ? 0 : v[Math.min(v.length - 1, Math.floor(q * v.length))]!;
  return {
    count: v.length,
    p50Min: round(at(0.5) / 60_000, 1),
    p95Min: round(at(0.95) / 60_000, 1),
    maxMin: round((v[v.length - 1] ?? 0) / 60_000, 1),
  };
}

/**
 * Entries (marks by their entry moment, attendance by its creation) made during the day that the
 * mirror first saw after the full sync: delay = first seen − entered, split by whether their
 * lesson is in the current week (read hourly) or an older one (read by the nightly run).
 */
async function entryDelays(
  db: SqlDb,
  from: number,
  to: number,
  weekStart: string,
): Promise<{ currentWeek: Delays; olderWeeks: Delays }> {
  const rows = await db.query<{ seen: number; entered: number; day: string }>(
    `SELECT m.first_seen_at AS seen, m.entered_at AS entered, l.date AS day
       FROM marks m JOIN lessons l ON l.id = m.lesson_id
      WHERE m.entered_at > ? AND m.entered_at <= ? AND m.first_seen_at > ?
     UNION ALL
     SELECT a.first_seen_at, a.created_at, l.date
       FROM attendance a JOIN lessons l ON l.id = a.lesson_id
      WHERE a.created_at > ? AND a.created_at <= ? AND a.first_seen_at > ?`,
    [from, to, from, from, to, from],
  );
  const current: number[] = [];
  const older: number[] = [];
  for (const r of rows) {
    (r.day.slice(0, 10) >= weekStart ? current : older).push(Number(r.seen) - Number(r.entered));
  }
  return { currentWeek: delays(current), olderWeeks: delays(older) };
}

const localDate = (instant: number, offsetHours: number) =>
  new Date(instant + offsetHours * HOUR).toISOString().slice(0, 10);

export async function run(): Promise<BenchResult> {
  // The large school's own start is after its year: it starts on a term Monday here. The small
  // school starts on a Monday in term by itself.
  const sb = await startSandboxProcess(
    SIZE === 'large' ? { size: 'large', seed: 1, startLocal: START } : { size: 'small', seed: 1 },
  );
  const dir = mkdtempSync(join(tmpdir(), 'ezh-bench-sync-day-'));
  try {
    const school = sb.schools[0]!;
    const schoolId = school.id;
    const mirror = await openMirror({
      type: 'sqlite',
      path: join(dir, 'ezh.sqlite'),
      schema: 'public',
    });
    const db = mirror.db;
    const t0 = sb.now;
    // T0 is 07:00 local on a Monday: the day's runs are at T0 + (hour - 7) h.
    const dayStart = t0 - 7 * HOUR;
    // The Monday of T0's week: entries of lessons from then on are the current week's.
    const weekStart = localDate(
      t0 - ((new Date(t0 + school.offsetHours * HOUR).getUTCDay() + 6) % 7) * DAY,
      school.offsetHours,
    );

    const full = await syncAt(db, sb, schoolId, t0);
    progress('full first sync', full);
    const classes = Number(
      (await db.query<{ n: number }>(`SELECT count(*) AS n FROM classes WHERE kind = 'class'`))[0]!
        .n,
    );
    const oldRun = await syncAt(db, sb, schoolId, t0, {}, 'per-subject');
    progress('incremental run as before', oldRun);

    const day: TimedSync[] = [];
    for (const h of HOURS) {
      const at = dayStart + h * HOUR;
      await sb.advanceTo(at);
      day.push(await syncAt(db, sb, schoolId, at, { currentWeek: true }));
      progress(`hourly run ${h}:00`, day[day.length - 1]!);
    }
    const nightAt = dayStart + DAY + 2.5 * HOUR;
    await sb.advanceTo(nightAt);
    const night = await syncAt(db, sb, schoolId, nightAt, { reconcile: true });
    progress('nightly reconciliation', night);
    const seen = await entryDelays(db, t0, dayStart + 21 * HOUR, weekStart);

    // A day without changes: the platform's clock stays at 02:30, ezh's moves through the day.
    const quiet: TimedSync[] = [];
    for (const h of HOURS.slice(0, QUIET_RUNS)) {
      quiet.push(await syncAt(db, sb, schoolId, dayStart + DAY + h * HOUR, { currentWeek: true }));
      progress(`quiet hourly run ${h}:00`, quiet[quiet.length - 1]!);
    }
    await mirror.close();

    const sum = (runs: TimedSync[], f: (r: TimedSync) => number) =>
      runs.reduce((n, r) => n + f(r), 0);
    const dayRequests = sum(day, (r) => r.requests);
    const dayMs = sum(day, (r) => r.ms);
    // Every run of the quiet day is alike: the day is HOURS.length of the runs measured.
    const quietRequests = (sum(quiet, (r) => r.requests) / quiet.length) * HOURS.length;
    const quietMs = (sum(quiet, (r) => r.ms) / quiet.length) * HOURS.length;
    const quietRunMs = Math.max(...quiet.map((r) => r.ms));
    const perClass = (n: number) => round(n / classes, 2);
    const dayPerClass = dayRequests / classes;
    const unchanged = (runs: TimedSync[]) =>
      sum(runs, (r) => r.summary.streams.reduce((n, s) => n + s.unchanged, 0));
    const written = (runs: TimedSync[]) =>
      sum(runs, (r) =>
        r.summary.streams.reduce((n, s) => n + s.inserted + s.changed + s.deleted, 0),
      );

    const figures: Figure[] = [
      { name: `full first sync (${classes} classes)`, value: full.requests, unit: 'requests' },
      { name: 'full first sync, per class', value: perClass(full.requests), unit: 'requests' },
      { name: 'full first sync, time', value: round(full.ms, 0), unit: 'ms' },
      {
        name: 'one daytime run as before (incremental, attendance per subject), per class',
        value: perClass(oldRun.requests),
        unit: 'requests',
      },
      {
        name: 'school day of hourly syncs (15 runs, 07:00-21:00), per class',
        value: round(dayPerClass, 2),
        unit: 'requests',
        baseline: perClass(15 * oldRun.requests),
        ratio: round(dayRequests / (15 * oldRun.requests), 3),
        target: '<= 40',
        met: dayPerClass <= 40,
      },
      {
        name: 'school day of hourly syncs: requests / full sync',
        value: round(dayRequests / full.requests, 3),
        unit: 'ratio',
        baseline: full.requests,
      },
      {
        name: 'school day of hourly syncs: time / full sync time',
        value: round(dayMs / full.ms, 3),
        unit: 'ratio',
        baseline: round(full.ms, 0),
      },
      {
        name: 'entry -> mirror delay, current week, p95',
        value: seen.currentWeek.p95Min,
        unit: 'min',
        target: '<= 60',
        met: seen.currentWeek.count > 0 && seen.currentWeek.maxMin <= 60,
      },
      {
        name: 'entry -> mirror delay, current week, max',
        value: seen.currentWeek.maxMin,
        unit: 'min',
      },
      {
        name: 'entry -> mirror delay, older weeks (nightly), max',
        value: seen.olderWeeks.maxMin,
        unit: 'min',
      },
      {
        name: 'nightly reconciliation, per class',
        value: perClass(night.requests),
        unit: 'requests',
      },
      {
        name: 'day without changes: one hourly run, time / full sync time',
        value: round(quietRunMs / full.ms, 4),
        unit: 'ratio',
        baseline: round(full.ms, 0),
        target: '<= 0.1',
        met: quietRunMs / full.ms <= 0.1,
      },
      {
        name: 'day without changes: 15 hourly runs, time / full sync time',
        value: round(quietMs / full.ms, 3),
        unit: 'ratio',
        baseline: round(full.ms, 0),
      },
      {
        name: 'day without changes: 15 hourly runs, requests / full sync',
        value: round(quietRequests / full.requests, 3),
        unit: 'ratio',
        baseline: full.requests,
      },
    ];
    return {
      name: process.env.EZH_BENCH_DAY_START ? `sync-day-${START.slice(0, 10)}` : 'sync-day',
      description: `the ${SIZE} sandbox school (${classes} classes): a full sync at T0 (${SIZE === 'large' ? START : 'Monday 07:00'}), then a school day of hourly runs while its teachers keep working, the nightly reconciliation, and a day without changes`,
      figures,
      sizes: [
        {
          classes,
          fullRequests: full.requests,
          fullMs: round(full.ms, 0),
          oldRunRequests: oldRun.requests,
          hourly: day.map((r, i) => ({
            hour: HOURS[i],
            requests: r.requests,
            byStream: byStream(r),
            ms: round(r.ms, 0),
            written: written([r]),
            unchanged: unchanged([r]),
          })),
          nightRequests: night.requests,
          nightByStream: byStream(night),
          nightMs: round(night.ms, 0),
          delays: seen,
          quietRequests,
          quietMs: round(quietMs, 0),
          quietWritten: written(quiet),
        },
      ],
      notes: [
        'the sandbox runs in a child process; its CPU time is not ezh but shares the 2 cores',
        'requests are counted by the sandbox; delays are first_seen_at - the entry moment the platform stamps (marks) or createdDate (attendance)',
        `the day without changes: the sandbox clock stays at 02:30 while ezh runs at 07:00, 08:00 …; ${QUIET_RUNS} runs measured, the day is 15 of them`,
        SIZE === 'large'
          ? `the large school starts at ${START} (its own start is after its year)`
          : 'the small school (its own start, Monday 9 Nov 07:00): EZH_BENCH_DAY_SIZE=large for the large one',
      ],
    };
  } finally {
    await sb.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
