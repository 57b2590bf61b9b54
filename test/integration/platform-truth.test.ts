import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runChecks } from '../../src/checks/engine.js';
import { startSandbox, type SandboxServer } from '../../src/sandbox/index.js';
import { localInstant } from '../../src/sandbox/local-time.js';
import type { LessonRow } from '../../src/sandbox/model.js';
import { mirrorDigest } from '../../src/sync/testing/mirror-digest.js';
import { createTestMirror, type TestMirror } from '../helpers/mirrors.js';
import { sandboxConfig, syncSandboxSchool } from '../helpers/sandbox-sync.js';

/**
 * What the platform does and the sandbox models (reference §7): `Mark.date` is when the mark was
 * set, in UTC, and `edu-groups/{g}/marks/{from}/{to}` windows marks by their lesson's date. These
 * run the real connector, sync engine and checks against the sandbox's HTTP API.
 */
describe('platform truth: entry moments and windows by lesson date', () => {
  let sb: SandboxServer;
  let m: TestMirror;
  const school = () => sb.schools[0]!;
  const config = () => sandboxConfig(sb);
  const sync = (options: { full?: boolean } = {}) =>
    syncSandboxSchool(m.db, config(), sb.clock, school().id, options);
  const markRow = async (id: string) =>
    (
      await m.db.query<{ id: string; deleted_at: number | null; entered_at: number | null }>(
        'SELECT id, deleted_at, entered_at FROM marks WHERE id = ?',
        [id],
      )
    )[0];
  const lateMarks = async () => {
    const s = school();
    const run = await runChecks(m.db, {
      school: { id: s.id, timeZone: s.timeZone, finalMarkDeadlines: s.finalMarkDeadlines },
      asOf: sb.now(),
      rules: ['mark-late'],
      persist: false,
    });
    return new Set(run.findings.map((f) => f.keyParts.mark));
  };

  /** A grade ≥ 2 class, one of its students present all year, and its lessons of `day`. */
  function classAndLessons(day: (d: number) => boolean) {
    const model = sb.sandbox.schools[0]!;
    for (const cls of model.classes.filter((c) => c.grade >= 2)) {
      const journal = sb.sandbox.journal(cls.id);
      const lessons = journal.lessons.filter((l) => day(l.day) && l.deletedAt === null);
      const student = cls.students.find((s) => s.leaveDay === null);
      if (lessons.length > 0 && student) return { cls, student, lessons };
    }
    throw new Error('no class with such lessons');
  }

  beforeAll(async () => {
    sb = await startSandbox({ size: 'small', seed: 31 });
    m = await createTestMirror('sqlite');
    expect((await sync({ full: true })).status).toBe('succeeded');
  });
  afterAll(async () => {
    await m?.dispose();
    await sb?.close();
  });

  it('a mark entered 11:50 and first synced 13:00 is on time; one entered 12:30 is late', async () => {
    const off = school().offsetHours;
    // The next school day's lessons: their deadline is the day after, 12:00 school time.
    const hasLessons = (day: number) =>
      sb.sandbox.schools[0]!.classes.some((c) =>
        sb.sandbox.journal(c.id).lessons.some((l) => l.day === day),
      );
    let today = Math.floor((sb.now() + off * 3_600_000) / 86_400_000) + 1;
    while (!hasLessons(today)) today += 1;
    const { cls, student, lessons } = classAndLessons((d) => d === today);
    const [onTime, late] = [lessons[0]!, lessons[1] ?? lessons[0]!];
    const other = cls.students.filter((s) => s.leaveDay === null && s.id !== student.id)[0]!;
    sb.advanceTo(localInstant(today, 18 * 60, off));
    await sync();
    sb.advanceTo(localInstant(today + 1, 11 * 60 + 50, off));
    const onTimeId = sb.enterMark(onTime.id, student.id, '5');
    sb.advanceTo(localInstant(today + 1, 12 * 60 + 30, off));
    const lateId = sb.enterMark(late.id, other.id, '4');
    sb.advanceTo(localInstant(today + 1, 13 * 60, off));
    await sync();

    // The platform's `Mark.date` (UTC) is the entry moment, to the millisecond.
    expect((await markRow(onTimeId))?.entered_at).toBe(localInstant(today + 1, 11 * 60 + 50, off));
    const found = await lateMarks();
    expect(found.has(onTimeId)).toBe(false);
    expect(found.has(lateId)).toBe(true);
  });

  it("a mark set on Monday for last Friday's lesson survives the syncs of Monday's window", async () => {
    const off = school().offsetHours;
    const today = Math.floor((sb.now() + off * 3_600_000) / 86_400_000);
    // The last Friday before today (day 0 = 1970-01-01, a Thursday: Friday is day % 7 === 1).
    let friday = today - 1;
    while (friday % 7 !== 1) friday--;
    const { cls, student, lessons } = classAndLessons((d) => d === friday);
    const lesson: LessonRow = lessons[0]!;
    // Monday after that Friday, during the school day.
    const monday = friday + 3;
    if (sb.now() < localInstant(monday, 10 * 60, off)) {
      sb.advanceTo(localInstant(monday, 10 * 60, off));
    }
    const fridayMark = sb.enterMark(lesson.id, student.id, '4');
    sb.advance(60 * 60_000);
    await sync({ full: true });
    expect((await markRow(fridayMark))?.deleted_at).toBeNull();

    // Monday's window changes (more marks entered today), and is synced again: the Friday mark
    // is not in Monday's window on the platform, and must not be inferred deleted from it.
    const todays = classAndLessons(
      (d) => d === Math.floor((sb.now() + off * 3_600_000) / 86_400_000),
    );
    if (todays.cls.id === cls.id) sb.enterMark(todays.lessons[0]!.id, student.id, '5');
    sb.advance(60 * 60_000);
    await sync();
    await sync();
    expect((await markRow(fridayMark))?.deleted_at).toBeNull();

    // And the mirror equals a fresh full read of the platform at the same moment.
    const fresh = await createTestMirror('sqlite');
    try {
      await syncSandboxSchool(fresh.db, config(), sb.clock, school().id, { full: true });
      expect(await mirrorDigest(m.db, school().id)).toEqual(
        await mirrorDigest(fresh.db, school().id),
      );
    } finally {
      await fresh.dispose();
    }
  });
});

describe('platform truth: attendance stored as exceptions only', () => {
  let sb: SandboxServer;
  let m: TestMirror;
  const RULES = ['attendance-not-kept', 'absent-with-mark', 'control-work-unmarked'];

  beforeAll(async () => {
    sb = await startSandbox({ size: 'small', seed: 7, attendance: 'exceptions-only' });
    m = await createTestMirror('sqlite');
    const s = sb.schools[0]!;
    expect((await syncSandboxSchool(m.db, sandboxConfig(sb), sb.clock, s.id)).status).toBe(
      'succeeded',
    );
  });
  afterAll(async () => {
    await m?.dispose();
    await sb?.close();
  });

  it('gives no false attendance-not-kept, and the absence rules still equal the answer key', async () => {
    const s = sb.schools[0]!;
    const statuses = await m.db.query<{ status: string }>(
      'SELECT DISTINCT status FROM attendance ORDER BY status',
    );
    expect(statuses.map((r) => r.status)).not.toContain('Attend');
    const run = await runChecks(m.db, {
      school: { id: s.id, timeZone: s.timeZone, finalMarkDeadlines: s.finalMarkDeadlines },
      asOf: sb.now(),
      rules: RULES,
      persist: false,
    });
    const sig = (rule: string, parts: Record<string, string | null>) =>
      `${rule} ${Object.entries(parts)
        .filter(([, v]) => v !== null)
        .sort()
        .map(([k, v]) => `${k}=${v}`)
        .join(' ')}`;
    const found = run.findings.map((f) => sig(f.rule, f.keyParts)).sort();
    const expected = sb
      .answerKey(sb.now())
      .findings.filter((f) => RULES.includes(f.rule))
      .map(({ rule, ...parts }) => sig(rule, parts))
      .sort();
    expect(found.filter((f) => f.startsWith('attendance-not-kept'))).toEqual([]);
    expect(found).toEqual(expected);
    expect(found.length).toBeGreaterThan(0);
  });
});

describe('platform truth: a mirror synced once, late, and one synced all along', () => {
  let sb: SandboxServer;
  let along: TestMirror;
  let late: TestMirror;

  beforeAll(async () => {
    sb = await startSandbox({ size: 'small', seed: 5 });
    along = await createTestMirror('sqlite');
    late = await createTestMirror('sqlite');
  });
  afterAll(async () => {
    await along?.dispose();
    await late?.dispose();
    await sb?.close();
  });

  it('give the same findings as of the same instant, mark-late included', async () => {
    const s = sb.schools[0]!;
    const config = sandboxConfig(sb);
    // One mirror syncs every six hours for three days while the teachers work ...
    for (let i = 0; i < 12; i++) {
      await syncSandboxSchool(along.db, config, sb.clock, s.id);
      sb.advance(6 * 60 * 60_000);
    }
    // (Its last sync reads every window, so that both mirrors hold the platform as it is now.)
    await syncSandboxSchool(along.db, config, sb.clock, s.id, { full: true });
    // ... the other is installed only now and syncs once.
    await syncSandboxSchool(late.db, config, sb.clock, s.id);
    const findings = async (m: TestMirror) => {
      const run = await runChecks(m.db, {
        school: { id: s.id, timeZone: s.timeZone, finalMarkDeadlines: s.finalMarkDeadlines },
        asOf: sb.now(),
        persist: false,
      });
      return run.findings.map((f) => `${f.rule} ${JSON.stringify(f.keyParts)}`).sort();
    };
    const a = await findings(along);
    const b = await findings(late);
    expect(a.filter((f) => f.startsWith('mark-late')).length).toBeGreaterThanOrEqual(2);
    expect(b).toEqual(a);
  }, 600_000);
});
