import { beforeAll, describe, expect, it } from 'vitest';
import type { Journal } from './model.js';
import { Sandbox } from './sandbox.js';

/** The sandbox models the platform's mark variety (issue 17 item 5; variety.ts). */
describe('sandbox mark variety (small)', () => {
  let sb: Sandbox;
  let journals: { name: string; j: Journal }[];
  beforeAll(() => {
    sb = new Sandbox({ size: 'small', seed: 1 });
    journals = sb.schools[0]!.classes.map((c) => ({ name: c.name, j: sb.journal(c.id) }));
  });
  const of = (name: string) => journals.find((x) => x.name === name)!.j;

  it('has «5/4» double marks: two marks of one student on one work', () => {
    for (const name of ['2А', '5А', '10А']) {
      const seen = new Map<string, number>();
      for (const m of of(name).marks) {
        const k = `${m.workId}|${m.studentId}`;
        seen.set(k, (seen.get(k) ?? 0) + 1);
      }
      expect([...seen.values()].filter((n) => n > 1).length, name).toBeGreaterThanOrEqual(2);
    }
  });

  it('has «осв», «н/а» current marks and a «н/а» period mark', () => {
    const systems = (name: string) => new Set(of(name).marks.map((m) => m.markSystem ?? 'mark5'));
    expect(systems('5А')).toEqual(new Set(['mark5', 'test', 'markdismiss', 'markna']));
    expect(of('2А').finalMarks.filter((f) => f.markSystem === 'markna')).toHaveLength(1);
  });

  it('puts 10А on the 10-point system and ОДНКНР of 5А on pass/fail', () => {
    const ten = of('10А');
    expect(ten.marks.filter((m) => (m.markSystem ?? 'mark5') === 'mark5')).toEqual([]);
    expect(ten.marks.some((m) => Number(m.value) > 5)).toBe(true);
    expect(new Set(ten.finalMarks.map((f) => f.markSystem))).toEqual(new Set(['mark10']));
    const odnk = sb.schools[0]!.subjects.find((s) => s.key === 'odnk')!.id;
    const pf = of('5А').marks.filter((m) => m.subjectId === odnk);
    expect(new Set(pf.map((m) => m.value))).toEqual(new Set(['зач', 'незач']));
  });

  it('has year marks without a period (PeriodFinalMark) and exam marks (Exam) in 10А', () => {
    const ten = of('10А');
    const placeless = ten.finalMarks.filter((f) => f.periodId === null);
    const works = new Map(ten.finalWorks.map((w) => [w.id, w.type]));
    const types = new Set(placeless.map((f) => works.get(f.workId)));
    expect(types).toEqual(new Set(['PeriodFinalMark', 'Exam']));
    expect(placeless.length).toBeGreaterThan(ten.finalMarks.length / 4);
  });

  it('has lessons taught by two teachers', () => {
    expect(
      of('10А').lessons.filter((l) => (l.coTeacherIds ?? []).length > 0).length,
    ).toBeGreaterThan(10);
  });
});
