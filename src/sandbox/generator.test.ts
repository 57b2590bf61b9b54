import { describe, expect, it } from 'vitest';
import { Sandbox } from './sandbox.js';
import { sha256 } from './test-helpers.js';
import { RULE_IDS } from './model.js';

/** The skeleton and the journal of the half-year class (the largest one). */
function fingerprint(sb: Sandbox): string {
  const school = sb.schools[0]!;
  return sha256(JSON.stringify([school, sb.journal(school.classes[3]!.id)]));
}

describe('sandbox generator', () => {
  it('generates the same school from the same seed, another from another seed', () => {
    const a = fingerprint(new Sandbox({ size: 'small', seed: 42 }));
    const b = fingerprint(new Sandbox({ size: 'small', seed: 42 }));
    const c = fingerprint(new Sandbox({ size: 'small', seed: 43 }));
    expect(a).toBe(b);
    expect(c).not.toBe(a);
  });

  it('regenerates an evicted class identically (lazy generation is order-independent)', () => {
    const sb = new Sandbox({ size: 'small', seed: 5, cacheClasses: 1 });
    const [c1, c2] = sb.schools[0]!.classes;
    const first = sha256(JSON.stringify(sb.journal(c2!.id)));
    sb.journal(c1!.id);
    expect(sha256(JSON.stringify(sb.journal(c2!.id)))).toBe(first);
  });

  it('builds the small school: a 1st grade, quarter classes and a half-year class in 2026/27', () => {
    const sb = new Sandbox({ size: 'small', seed: 1 });
    const school = sb.schools[0]!;
    expect(school.classes.map((c) => c.name)).toEqual(['1А', '2А', '5А', '10А']);
    expect(school.classes.map((c) => c.periods.length)).toEqual([4, 4, 4, 2]);
    expect(school.zone).toBe('Europe/Moscow');
    expect(new Date(sb.now()).toISOString()).toBe('2026-11-09T04:00:00.000Z');
    for (const c of school.classes) {
      for (const day of c.timetable) expect(day.length).toBeGreaterThanOrEqual(4);
      for (const day of c.timetable) expect(day.length).toBeLessThanOrEqual(7);
      expect(school.teachers.some((t) => t.id === c.classTeacherId)).toBe(true);
    }
    const grade1 = sb.journal(school.classes[0]!.id);
    expect(grade1.works.filter((w) => w.type === 'Homework').length).toBe(
      grade1.planted.filter((p) => p.rule === 'grade1-homework').length,
    );
    const counts = sb.counts();
    // 4 classes and their subgroups: English in 5А, English and informatics in 10А.
    expect(counts.classes).toBe(4 + 2 + 4);
    expect(counts.lessons).toBeGreaterThan(500);
    expect(counts.marks).toBeGreaterThan(counts.lessons);
    expect(counts.finalMarks).toBeGreaterThan(0);
    expect(RULE_IDS.length).toBe(13);
  });

  it('uses ids above 2^53 for groups, lessons, works and marks; safe ones for schools and persons', () => {
    const sb = new Sandbox({ size: 'small', seed: 1 });
    const school = sb.schools[0]!;
    const j = sb.journal(school.classes[1]!.id);
    const unsafe = (id: string) => BigInt(id) > BigInt(Number.MAX_SAFE_INTEGER);
    expect(
      [school.classes[1]!.id, j.lessons[0]!.id, j.works[0]!.id, j.marks[0]!.id].every(unsafe),
    ).toBe(true);
    expect(Number.isSafeInteger(Number(school.id))).toBe(true);
    expect(Number.isSafeInteger(Number(school.classes[1]!.students[0]!.id))).toBe(true);
    const all = [
      ...j.lessons.map((l) => l.id),
      ...j.works.map((w) => w.id),
      ...j.marks.map((m) => m.id),
    ];
    expect(new Set(all).size).toBe(all.length);
  });

  it('gives several schools their own ids, tokens and time zones', () => {
    const sb = new Sandbox({ size: 'small', seed: 1, schools: 3 });
    expect(new Set(sb.schools.map((s) => s.id)).size).toBe(3);
    expect(new Set(sb.schools.map((s) => s.token)).size).toBe(3);
    expect(sb.schools.map((s) => s.zone)).toEqual([
      'Europe/Moscow',
      'Asia/Yekaterinburg',
      'Asia/Novosibirsk',
    ]);
  });

  it('builds the large school skeleton (48 classes, ~1,200 students) and one class-year quickly', () => {
    const t0 = performance.now();
    const sb = new Sandbox({ size: 'large', seed: 1 });
    const skeletonMs = performance.now() - t0;
    const school = sb.schools[0]!;
    const students = school.classes.reduce((n, c) => n + c.students.length, 0);
    expect(school.classes.length).toBe(48);
    expect(new Set(school.classes.map((c) => c.grade)).size).toBe(11);
    expect(students).toBeGreaterThan(1100);
    expect(students).toBeLessThan(1300);
    const cls = school.classes.find((c) => c.grade === 9)!;
    const t1 = performance.now();
    const j = sb.journal(cls.id);
    const classMs = performance.now() - t1;
    console.info(
      `large: skeleton ${skeletonMs.toFixed(0)} ms, one class-year ${classMs.toFixed(0)} ms`,
    );
    expect(j.lessons.length).toBeGreaterThan(900);
    expect(j.attendance.length).toBeGreaterThan(j.lessons.length * 20);
    // Every period ended before T0: all period marks are in.
    expect(j.finalMarks.every((f) => f.appearAt < sb.now())).toBe(true);
    expect(classMs).toBeLessThan(10_000);
  });
});
