import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  rmSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createArchive } from '../../src/archive/create.js';
import { makeWorkDir } from '../../src/archive/files.js';
import { createArchiveJob, duePeriodArchives } from '../../src/archive/job.js';
import { listArchives } from '../../src/archive/registry.js';
import { applyRetention } from '../../src/archive/retention.js';
import { runArchive } from '../../src/archive/run.js';
import { fakeRenderer, testArchiveDeps } from '../../src/archive/testing/deps.js';
import { buildArchiveFixture, SCHOOL } from '../../src/archive/testing/fixture.js';
import { verifyArchive } from '../../src/archive/verify.js';
import { createTestMirror, type TestMirror } from '../helpers/mirrors.js';

const DAY = 86_400_000;
const dir = mkdtempSync(join(tmpdir(), 'ezh-archive-ret-'));
const dests = [join(dir, 'disk'), join(dir, 'usb')];
let mirror: TestMirror;

beforeAll(async () => {
  mirror = await createTestMirror('sqlite');
  await buildArchiveFixture(mirror.db, { marks: 50 });
});

afterAll(async () => {
  await mirror.dispose();
  rmSync(dir, { recursive: true, force: true });
});

describe('archive retention and schedules', () => {
  it('keeps the newest keepLast regular archives on every destination', async () => {
    const deps = testArchiveDeps(mirror, {
      destinations: dests,
      keepLast: 2,
      workDir: join(dir, 'work'),
    });
    const made: string[] = [];
    for (let i = 0; i < 3; i++) {
      const run = await runArchive(deps, { kind: 'regular' });
      made.push(run.archives[0]!.fileName);
      deps.clock.advance(DAY);
    }
    for (const d of dests) {
      const names = readdirSync(d)
        .filter((n) => n.endsWith('.tar.gz'))
        .sort();
      expect(names).toEqual([made[1], made[2]].sort());
      expect(existsSync(join(d, `${made[0]}.sha256`))).toBe(false);
    }
    const rows = await listArchives(mirror.db);
    expect(rows.find((r) => r.fileName === made[0])?.status).toBe('pruned');
    expect(rows.filter((r) => r.status === 'complete')).toHaveLength(2);
  });

  it('makes a summary-sheet archive with every year-end archive, and never prunes either early', async () => {
    const calls: string[] = [];
    const deps = testArchiveDeps(
      mirror,
      { destinations: dests, keepLast: 1, workDir: join(dir, 'work') },
      { renderer: fakeRenderer(calls) },
    );
    const run = await runArchive(deps, { kind: 'year' });
    expect(run.archives.map((a) => [a.kind, a.period])).toEqual([
      ['year', '2026/2027'],
      ['summary', '2026/2027'],
    ]);
    expect(calls).toContain('journals:5А:2026/2027');
    // The journals' certification pages name the archive and its data snapshot's SHA-256.
    const copy = calls.find((c) => c.startsWith('copy:'))!.split(':');
    expect(copy[1]).toBe(run.archives[0]!.fileName);
    expect(copy[2]).toMatch(/^[0-9a-f]{64}$/);
    const summary = await verifyArchive(run.archives[1]!.paths[0]!);
    expect(summary.problems).toEqual([]);
    expect(summary.manifest!.tables.map((t) => t.table)).toEqual([
      'classes',
      'enrollments',
      'final_marks',
      'persons',
      'reporting_periods',
      'schools',
      'subjects',
      'teacher_assignments',
    ]);
    expect(summary.manifest!.documents.status).toBe('not-applicable');
    expect(run.retention.pruned.map((p) => p.archive.kind)).not.toContain('year');
  });

  it('removes leftovers of killed runs only once they are stale', async () => {
    const stale = join(dests[0]!, 'ezh-all-regular-20260101T000000000Z.tar.gz.partial');
    const fresh = join(dests[0]!, 'ezh-all-regular-20260102T000000000Z.tar.gz.partial');
    writeFileSync(stale, 'x');
    writeFileSync(fresh, 'x');
    const old = new Date(Date.now() - 2 * 3600_000);
    utimesSync(stale, old, old);
    const policy = { keepLast: 10, keepYears: 5, keepSummaryYears: 25, destinations: dests };
    const dry = await applyRetention(mirror.db, policy, { now: Date.now(), dryRun: true });
    expect(dry.staleFiles).toEqual([stale]);
    expect(existsSync(stale)).toBe(true);
    await applyRetention(mirror.db, policy, { now: Date.now() });
    expect(existsSync(stale)).toBe(false);
    expect(existsSync(fresh)).toBe(true);
    rmSync(fresh);
  });

  it('never removes the work folder of a run that is still going, however old', async () => {
    const workDir = join(dir, 'work-live');
    const live = makeWorkDir(workDir);
    const old = new Date(Date.now() - 2 * 3600_000);
    utimesSync(live.path, old, old);
    const policy = { keepLast: 10, keepYears: 5, keepSummaryYears: 25, destinations: dests };
    const result = await applyRetention(mirror.db, { ...policy, workDir }, { now: Date.now() });
    expect(result.staleFiles).toEqual([]);
    expect(existsSync(live.path)).toBe(true);
    live.dispose();
  });

  it('archives each ended period once from the daily period-end job', async () => {
    const deps = testArchiveDeps(
      mirror,
      { destinations: dests, workDir: join(dir, 'work') },
      { now: Date.UTC(2026, 9, 28, 1) },
    );
    const due = await duePeriodArchives(mirror.db, SCHOOL, deps.clock.now(), 'Europe/Moscow', 14);
    expect(due).toEqual([{ kind: 'period', period: '1 четверть' }]);
    const runs = await createArchiveJob(deps, { trigger: 'period-end', schoolId: SCHOOL });
    expect(runs.map((r) => r.archives[0]!.period)).toEqual(['1 четверть']);
    deps.clock.advance(DAY);
    expect(await createArchiveJob(deps, { trigger: 'period-end', schoolId: SCHOOL })).toEqual([]);
    // The last period of the year ended: the year archive (and its summary) is due.
    deps.clock.set(Date.UTC(2026, 11, 30, 1));
    expect(
      await duePeriodArchives(mirror.db, SCHOOL, deps.clock.now(), 'Europe/Moscow', 14),
    ).toEqual([
      { kind: 'period', period: '2 четверть' },
      { kind: 'year', period: '2026/2027' },
    ]);
  });

  it('records a failed archive for the ICT engineer and leaves no partial file', async () => {
    const blocked = join(dir, 'not-a-dir');
    writeFileSync(blocked, 'a file where a directory should be');
    mkdirSync(join(dir, 'ok'), { recursive: true });
    const deps = testArchiveDeps(mirror, {
      destinations: [join(dir, 'ok'), blocked],
      workDir: join(dir, 'work'),
    });
    deps.clock.set(Date.UTC(2027, 0, 15));
    await expect(createArchive(deps, { kind: 'regular' })).rejects.toThrow(/not a directory/);
    expect(readdirSync(join(dir, 'ok'))).toEqual([]);
    const failed = (await listArchives(mirror.db)).filter((r) => r.status === 'failed');
    expect(failed).toHaveLength(1);
    const events = await mirror.db.query<{ kind: string; severity: string; message: string }>(
      `SELECT kind, severity, message FROM operator_events WHERE kind = 'archive_failed'`,
    );
    expect(events).toHaveLength(1);
    expect(events[0]!.message).toContain(failed[0]!.fileName);
  });

  it('the archive job keeps the as-of it was given, as `ezh archive create --as-of` does', async () => {
    // `ezh jobs run archive --as-of …` used to be ignored by the job (issue 18: doors disagreeing).
    const deps = testArchiveDeps(
      mirror,
      { destinations: [join(dir, 'as-of')], workDir: join(dir, 'work') },
      { now: Date.UTC(2027, 0, 20, 9) },
    );
    const asOf = Date.UTC(2027, 0, 10, 9);
    const [viaJob] = await createArchiveJob(deps, { trigger: 'weekly', schoolId: SCHOOL, asOf });
    deps.clock.advance(60_000);
    const viaCli = await createArchive(deps, { kind: 'regular', schoolId: SCHOOL, asOf });
    expect([viaJob!.archives[0]!.asOf, viaCli.asOf]).toEqual([asOf, asOf]);
  });
});
