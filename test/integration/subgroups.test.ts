import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runChecks } from '../../src/checks/engine.js';
import { findClass } from '../../src/reports/data/classes.js';
import { loadJournal } from '../../src/reports/data/journal.js';
import { loadPerformance } from '../../src/reports/data/performance.js';
import type { SchoolInfo } from '../../src/reports/data/school.js';
import { startSandbox, type SandboxServer } from '../../src/sandbox/index.js';
import type { ClassModel, FindingKey } from '../../src/sandbox/model.js';
import { viewAt } from '../../src/sandbox/rows.js';
import { createTestMirror, type TestMirror } from '../helpers/mirrors.js';
import { sandboxConfig, syncSandboxSchool } from '../helpers/sandbox-sync.js';

/**
 * Subgroups as the platform has them (reference §7): a class's lessons include its subgroups'
 * lessons, each naming the subgroup; `edu-groups` lists the subgroups with their class in
 * `parentIds`. Their lessons, marks and attendance must count wherever the class's do, and a
 * mark's class must not depend on which fetch saw it.
 */
describe('subgroups: synced, checked, printed and reported with their class', () => {
  let sb: SandboxServer;
  let m: TestMirror;
  const school = () => sb.schools[0]!;
  const sync = (full = false) =>
    syncSandboxSchool(m.db, sandboxConfig(sb), sb.clock, school().id, { full });
  const info = (): SchoolInfo => ({
    id: school().id,
    name: 'school',
    zone: school().timeZone,
    director: null,
    deputyDirector: null,
  });
  const classNamed = (name: string): ClassModel =>
    sb.sandbox.schools[0]!.classes.find((c) => c.name === name)!;
  const liveGroupLessons = (cls: ClassModel, groupId: string) =>
    sb.sandbox
      .journal(cls.id)
      .lessons.filter((l) => l.groupId === groupId && viewAt(l, sb.now()) !== null);

  beforeAll(async () => {
    sb = await startSandbox({ size: 'small', seed: 1 });
    m = await createTestMirror('sqlite');
    expect((await sync(true)).status).toBe('succeeded');
  });
  afterAll(async () => {
    await m?.dispose();
    await sb?.close();
  });

  it('keeps a subgroup’s lessons, marks and attendance under its class, the lesson naming the subgroup', async () => {
    const cls = classNamed('5А');
    const [g1, g2] = cls.groups;
    const lessons = await m.db.query<{ class_id: string; n: number }>(
      'SELECT class_id, count(*) AS n FROM lessons WHERE group_id = ? AND deleted_at IS NULL GROUP BY class_id',
      [g1!.id],
    );
    expect(lessons.map((r) => [r.class_id, Number(r.n)])).toEqual([
      [cls.id, liveGroupLessons(cls, g1!.id).length],
    ]);
    // Nothing is kept under a subgroup's id: every row's class is a class.
    for (const table of ['lessons', 'works', 'marks', 'attendance', 'final_marks']) {
      const rows = await m.db.query<{ n: number }>(
        `SELECT count(*) AS n FROM ${table} t JOIN classes c ON c.id = t.class_id WHERE c.kind <> 'class'`,
      );
      expect(Number(rows[0]!.n), table).toBe(0);
    }
    const groupMarks = await m.db.query<{ n: number }>(
      'SELECT count(*) AS n FROM marks t JOIN lessons l ON l.id = t.lesson_id WHERE l.group_id IN (?, ?) AND t.class_id = ?',
      [g1!.id, g2!.id, cls.id],
    );
    expect(Number(groupMarks[0]!.n)).toBeGreaterThan(0);
    // The subgroups' rosters: each subgroup's members, as its own enrollments.
    const members = await m.db.query<{ person_id: string }>(
      "SELECT person_id FROM enrollments WHERE class_id = ? AND deleted_at IS NULL AND status = 'active' ORDER BY person_id",
      [g2!.id],
    );
    expect(members.map((r) => r.person_id)).toEqual(
      cls.students
        .filter((s) => g2!.studentIds.includes(s.id) && s.leaveDay === null)
        .map((s) => s.id)
        .sort(),
    );
    // A subgroup's windows are never read on their own (its lessons come with its class's).
    const windows = await m.db.query<{ n: number }>(
      'SELECT count(*) AS n FROM sync_checkpoints WHERE class_id = ? AND window_from IS NOT NULL',
      [g1!.id],
    );
    expect(Number(windows[0]!.n)).toBe(0);
  });

  it('a mark’s class stays the same whichever fetch saw it: the class’s sync, then the whole school’s', async () => {
    const cls = classNamed('5А');
    const fresh = await createTestMirror('sqlite');
    try {
      // By the sandbox's ids (not `group_id`): the same question of any version of the mirror.
      const lessonIds = cls.groups.flatMap((g) => liveGroupLessons(cls, g.id).map((l) => l.id));
      const marksOfGroups = async () =>
        (
          await fresh.db.query<{
            id: string;
            class_id: string;
            version: number;
            lesson_id: string;
          }>('SELECT id, class_id, version, lesson_id FROM marks ORDER BY id')
        )
          .filter((r) => lessonIds.includes(r.lesson_id))
          .map(({ id, class_id, version }) => ({ id, class_id, version }));
      const syncFresh = (className?: string) =>
        syncSandboxSchool(fresh.db, sandboxConfig(sb), sb.clock, school().id, {
          full: true,
          ...(className ? { className } : {}),
        });
      expect((await syncFresh('5А')).status).toBe('succeeded');
      const first = await marksOfGroups();
      expect(first.length).toBeGreaterThan(0);
      expect(new Set(first.map((r) => r.class_id))).toEqual(new Set([cls.id]));
      expect((await syncFresh()).status).toBe('succeeded');
      // Same class, and no version written for a mark nobody changed.
      expect(await marksOfGroups()).toEqual(first);
    } finally {
      await fresh.dispose();
    }
  });

  it('checks subgroup lessons as the answer key does, and narrows to a subgroup named on --class', async () => {
    const s = school();
    const run = await runChecks(m.db, {
      school: { id: s.id, timeZone: s.timeZone, finalMarkDeadlines: s.finalMarkDeadlines },
      asOf: sb.now(),
      persist: false,
    });
    const cls = classNamed('10А');
    const groupLessons = new Set(
      sb.sandbox
        .journal(cls.id)
        .lessons.filter((l) => l.groupId !== null)
        .map((l) => l.id),
    );
    const groupWorks = new Set(
      sb.sandbox
        .journal(cls.id)
        .works.filter((w) => w.lessonId && groupLessons.has(w.lessonId))
        .map((w) => w.id),
    );
    const onGroups = (k: { lesson: string | null; work: string | null }) =>
      (k.lesson !== null && groupLessons.has(k.lesson)) ||
      (k.work !== null && groupWorks.has(k.work));
    const line = (k: Omit<Partial<FindingKey>, 'rule'> & { rule: string }) =>
      `${k.rule}|${k.lesson ?? ''}|${k.work ?? ''}|${k.student ?? ''}`;
    const expected = sb.sandbox
      .answerKey(sb.now(), { schoolId: s.id })
      .findings.filter(onGroups)
      .map(line)
      .sort();
    const found = run.findings
      .map((f) => ({ rule: f.rule, ...f.keyParts }))
      .filter(onGroups)
      .map(line)
      .sort();
    expect(expected.length).toBeGreaterThan(0);
    expect(found).toEqual(expected);
    // control-work-unmarked on a subgroup's control work names its members only.
    const g1 = cls.groups.find((g) => g.name === 'Английский язык, гр. 1')!;
    const label = '10А / Английский язык, гр. 1';
    const narrowed = await runChecks(m.db, {
      school: { id: s.id, timeZone: s.timeZone, finalMarkDeadlines: s.finalMarkDeadlines },
      asOf: sb.now(),
      persist: false,
      classFilter: [label],
    });
    const g1Lessons = new Set(liveGroupLessons(cls, g1.id).map((l) => l.id));
    expect(narrowed.findings.length).toBeGreaterThan(0);
    for (const f of narrowed.findings) {
      if (f.lessonId) expect(g1Lessons.has(f.lessonId), f.message).toBe(true);
      if (f.studentId) expect(g1.studentIds.includes(f.studentId), f.message).toBe(true);
    }
    // The name alone is in 5А and 10А: ambiguous, said so.
    await expect(
      runChecks(m.db, {
        school: { id: s.id, timeZone: s.timeZone },
        asOf: sb.now(),
        persist: false,
        classFilter: ['Английский язык, гр. 1'],
      }),
    ).rejects.toThrow(/several subgroups/);
  });

  it('prints a split subject as its own spreads per subgroup, with the subgroup’s students', async () => {
    const cls = classNamed('5А');
    const data = await loadJournal(m.db, {
      school: info(),
      schoolClass: await findClass(m.db, school().id, '5А'),
      period: '1 четверть',
    });
    const names = data.subjects.map((s) => s.name);
    expect(names).toContain('Английский язык, гр. 1');
    expect(names).toContain('Английский язык, гр. 2');
    expect(names).not.toContain('Английский язык');
    // A group's spread lists its members who were in the class in the period: a student who left
    // mid-period keeps their group's marks on paper, with their «выбыл».
    const inJournal = new Set(data.students.map((s) => s.id));
    const leavers = cls.students.filter(
      (s) =>
        s.leaveDay !== null &&
        inJournal.has(s.id) &&
        cls.groups.some((g) => g.studentIds.includes(s.id)),
    );
    expect(leavers.length).toBeGreaterThan(0);
    for (const g of cls.groups) {
      const spread = data.subjects.find((s) => s.name === g.name)!;
      expect(spread.students!.map((s) => s.id).sort()).toEqual(
        cls.students
          .filter((s) => g.studentIds.includes(s.id) && inJournal.has(s.id))
          .map((s) => s.id)
          .sort(),
      );
      for (const s of spread.students!) {
        if (leavers.some((l) => l.id === s.id)) expect(s.movement.join()).toMatch(/выбыл/);
      }
      expect(spread.lessons.length).toBeGreaterThan(0);
      expect(spread.lessons.some((l) => Object.keys(l.cells).length > 0)).toBe(true);
    }
    await expect(findClass(m.db, school().id, '5А / Английский язык, гр. 1')).rejects.toThrow(
      /subgroup of 5А/,
    );
  });

  it('counts subgroup marks in the performance report of their class', async () => {
    const data = await loadPerformance(m.db, info(), '1 четверть');
    const english = data.rows.find((r) => r.className === '5А' && r.subject === 'Английский язык');
    expect(english).toBeDefined();
    expect(english!.weightSum).toBeGreaterThan(0);
  });
});
