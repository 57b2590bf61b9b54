import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { at, JournalBuilder, ZONE } from '../../test/fixtures/checks/builder.js';
import { createTestMirror, ENGINES, type TestMirror } from '../../test/helpers/mirrors.js';
import { classProgress, type ClassProgress, type StudentProgress } from './progress.js';
import { placeText } from './rating.js';
import { DEFAULT_POLICY, type GradingPolicy } from './scope.js';

/**
 * Rule-style tests of the analytics layer: each case a small hand-made journal in a school of its
 * own, read back through the real SQL on both engines as of the case's instant.
 * The quarter: 01.09–25.10.2026 (Tuesday to Sunday): week 1 is 01–06.09, week 2 07–13.09, …
 */
interface Case {
  name: string;
  /** Moscow local time; default 2026-09-20T12:00 (the Sunday of week 3). */
  asOf?: string;
  policy?: Partial<GradingPolicy>;
  range?: 'year';
  build(b: JournalBuilder): { cls: string };
  check(p: ClassProgress, b: JournalBuilder): void;
}

/** A 5А with a quarter and one subject taught on the given dates. */
function quarterOf(b: JournalBuilder, dates: string[], subjectName = 'Математика') {
  const cls = b.klass('5А', 5);
  b.period(cls);
  const subject = b.subject(subjectName);
  const lessons = dates.map((d, i) => b.lesson(cls, subject, d, { number: i + 1 }));
  return { cls, subject, lessons };
}

const student = (p: ClassProgress, name: string): StudentProgress => {
  const s = p.students.find((x) => x.name === name);
  if (!s) throw new Error(`no student ${name}`);
  return s;
};

const cases: Case[] = [
  {
    name: 'plain and weighted averages: weights from work types, a missing weight counts 1',
    build: (b) => {
      const q = quarterOf(b, ['2026-09-02', '2026-09-09', '2026-09-16']);
      const control = b.workType('LessonControlWork', { weight: 2 });
      const answer = b.workType('LessonAnswer', { weight: 1 });
      const s = b.student(q.cls, 'Иванов Иван');
      b.mark(q.lessons[0]!, q.cls, s, '5', { workTypeId: control });
      b.mark(q.lessons[1]!, q.cls, s, '3', { workTypeId: answer });
      b.mark(q.lessons[2]!, q.cls, s, '4');
      return q;
    },
    check: (p) => {
      const x = student(p, 'Иванов Иван').subjects[0]!;
      expect(x.now).toMatchObject({ marks: 3, averaged: 3, plainSum: 12, weightSum: 4 });
      expect(x.average).toBeCloseTo(17 / 4, 9); // weighted: (5·2 + 3 + 4) / 4
      // The dynamics: running averages week by week.
      expect(x.weeks.slice(0, 3).map((w) => w.average)).toEqual([5, 13 / 3, 17 / 4]);
      expect(x.weeks.slice(0, 3).map((w) => w.own.marks)).toEqual([1, 1, 1]);
    },
  },
  {
    name: 'the plain average when the school does not weigh',
    policy: { weighted: false },
    build: (b) => {
      const q = quarterOf(b, ['2026-09-02', '2026-09-09']);
      const control = b.workType('LessonControlWork', { weight: 2 });
      const s = b.student(q.cls, 'Иванов Иван');
      b.mark(q.lessons[0]!, q.cls, s, '5', { workTypeId: control });
      b.mark(q.lessons[1]!, q.cls, s, '4');
      return q;
    },
    check: (p) => expect(student(p, 'Иванов Иван').subjects[0]!.average).toBe(4.5),
  },
  {
    name: 'not counted: «н/а», period marks, marks outside the average (counted as marks only), deleted and later marks',
    build: (b) => {
      const q = quarterOf(b, ['2026-09-02', '2026-09-09', '2026-09-16', '2026-09-17']);
      const period = b.workType('PeriodMark', { isFinal: true });
      const s = b.student(q.cls, 'Иванов Иван');
      b.mark(q.lessons[0]!, q.cls, s, '4');
      b.mark(q.lessons[0]!, q.cls, s, 'н/а', { markSystem: 'markna' });
      b.mark(q.lessons[1]!, q.cls, s, '2', { workTypeId: period });
      b.mark(q.lessons[1]!, q.cls, s, '5', { countsInAverage: false });
      const gone = b.mark(q.lessons[2]!, q.cls, s, '2');
      b.deleted('marks', gone, at('2026-09-18T10:00:00'));
      // Entered after the instant of the view: not there yet.
      b.mark(q.lessons[3]!, q.cls, s, '2', { seenAt: at('2026-09-21T10:00:00') });
      return q;
    },
    check: (p) => {
      const x = student(p, 'Иванов Иван').subjects[0]!;
      expect(x.now).toMatchObject({ marks: 2, averaged: 1, plainSum: 4 });
      expect(x.average).toBe(4);
    },
  },
  {
    name: 'as of an earlier instant: the deleted mark still counts',
    asOf: '2026-09-17T12:00:00',
    build: (b) => {
      const q = quarterOf(b, ['2026-09-02', '2026-09-16']);
      const s = b.student(q.cls, 'Иванов Иван');
      b.mark(q.lessons[0]!, q.cls, s, '4');
      const gone = b.mark(q.lessons[1]!, q.cls, s, '2');
      b.deleted('marks', gone, at('2026-09-18T10:00:00'));
      return q;
    },
    check: (p) => expect(student(p, 'Иванов Иван').subjects[0]!.average).toBe(3),
  },
  {
    name: 'absences per week, by subject',
    build: (b) => {
      const q = quarterOf(b, ['2026-09-02', '2026-09-09', '2026-09-10']);
      const s = b.student(q.cls, 'Иванов Иван');
      b.attendance(q.lessons[1]!, q.cls, s, 'Absent');
      b.attendance(q.lessons[2]!, q.cls, s, 'Ill');
      b.attendance(q.lessons[0]!, q.cls, s, 'Late');
      return q;
    },
    check: (p) => {
      const s = student(p, 'Иванов Иван');
      expect(s.absences).toBe(2);
      expect(s.subjects[0]!.weeks.slice(0, 3).map((w) => w.absences)).toEqual([0, 2, 0]);
    },
  },
  {
    name: 'ties: competition ranking 1, 2, 2, 4 on averages as shown (two decimals); no marks, no place',
    build: (b) => {
      const q = quarterOf(b, ['2026-09-02', '2026-09-09', '2026-09-16']);
      const marks: Record<string, string[]> = {
        'Андреев А': ['5', '4'],
        'Борисов Б': ['4', '4'],
        'Васильев В': ['5', '3'],
        'Григорьев Г': ['3', '3'],
        'Денисов Д': [],
      };
      for (const [name, values] of Object.entries(marks)) {
        const s = b.student(q.cls, name);
        values.forEach((v, i) => b.mark(q.lessons[i]!, q.cls, s, v));
      }
      return q;
    },
    check: (p) => {
      const places = p.students.map((s) => [s.name, s.place && placeText(s.place)]);
      expect(places).toEqual([
        ['Андреев А', '1'],
        ['Борисов Б', '2–3'],
        ['Васильев В', '2–3'],
        ['Григорьев Г', '4'],
        ['Денисов Д', null],
      ]);
      expect(student(p, 'Борисов Б').place).toEqual({ place: 2, tied: 2, of: 4 });
    },
  },
  {
    name: 'overall: the mean of subject averages; the change since last week',
    build: (b) => {
      const q = quarterOf(b, ['2026-09-09', '2026-09-16']);
      const rus = b.subject('Русский язык');
      const r1 = b.lesson(q.cls, rus, '2026-09-10');
      const a = b.student(q.cls, 'Андреев А');
      const v = b.student(q.cls, 'Васильев В');
      // Last week (2): Андреев 5 and 5, Васильев 4 and 4. This week (3): Андреев «2», Васильев «5».
      b.mark(q.lessons[0]!, q.cls, a, '5');
      b.mark(r1, q.cls, a, '5');
      b.mark(q.lessons[0]!, q.cls, v, '4');
      b.mark(r1, q.cls, v, '4');
      b.mark(q.lessons[1]!, q.cls, a, '2');
      b.mark(q.lessons[1]!, q.cls, v, '5');
      return q;
    },
    check: (p) => {
      const a = student(p, 'Андреев А');
      const v = student(p, 'Васильев В');
      expect(a.overall).toBeCloseTo((3.5 + 5) / 2, 9);
      expect(v.overall).toBeCloseTo((4.5 + 4) / 2, 9);
      expect([a.place?.place, a.change]).toEqual([1, 0]);
      const math = (s: StudentProgress) =>
        s.subjects.find((x) => x.average !== null && x.weeks[2]!.own.marks > 0)!;
      expect([math(v).place?.place, math(v).change]).toEqual([1, 1]);
      expect([math(a).place?.place, math(a).change]).toEqual([2, -1]);
    },
  },
  {
    name: 'forecast: the average rounded by the profile (4.6: «5» by math, «4» by lyceum)',
    policy: { profile: 'lyceum' },
    build: (b) => {
      const q = quarterOf(b, [
        '2026-09-02',
        '2026-09-03',
        '2026-09-09',
        '2026-09-10',
        '2026-09-16',
      ]);
      const s = b.student(q.cls, 'Иванов Иван');
      ['5', '5', '5', '4', '4'].forEach((v, i) => b.mark(q.lessons[i]!, q.cls, s, v));
      return q;
    },
    check: (p) => {
      const f = student(p, 'Иванов Иван').subjects[0]!.forecast!;
      expect(f.average).toBeCloseTo(4.6, 9);
      expect([f.mark, f.risk]).toEqual([4, false]);
    },
  },
  {
    name: 'forecast «2» carries the risk flag',
    build: (b) => {
      const q = quarterOf(b, ['2026-09-02', '2026-09-09', '2026-09-16']);
      const s = b.student(q.cls, 'Иванов Иван');
      ['2', '3', '2'].forEach((v, i) => b.mark(q.lessons[i]!, q.cls, s, v));
      return q;
    },
    check: (p) => {
      const f = student(p, 'Иванов Иван').subjects[0]!.forecast!;
      expect([f.mark, f.risk, f.reason]).toEqual([2, true, 'two']);
    },
  },
  {
    name: 'forecast «н/а»: one mark, one scheduled lesson left, norm 3',
    asOf: '2026-10-20T12:00:00',
    build: (b) => {
      const q = quarterOf(b, ['2026-09-02', '2026-09-09', '2026-10-19', '2026-10-22']);
      const s = b.student(q.cls, 'Иванов Иван');
      b.mark(q.lessons[0]!, q.cls, s, '5');
      const t = b.student(q.cls, 'Петров Пётр');
      ['4', '4'].forEach((v, i) => b.mark(q.lessons[i]!, q.cls, t, v));
      return q;
    },
    check: (p) => {
      const f = student(p, 'Иванов Иван').subjects[0]!.forecast!;
      expect(f).toMatchObject({ mark: 'н/а', risk: true, reason: 'na', norm: 3, lessonsLeft: 1 });
      expect(f.lessonsEstimated).toBe(false);
      // Two marks and one lesson left: the norm is still reachable, at a mark per lesson.
      const g = student(p, 'Петров Пётр').subjects[0]!.forecast!;
      expect([g.mark, g.reason]).toEqual([4, 'slow']);
    },
  },
  {
    name: 'lessons left estimated from the pace when the mirror holds no schedule ahead',
    build: (b) => {
      // Weeks 1–3 (20 of 55 days): 3 lessons held → ~5 more by 25.10.
      const q = quarterOf(b, ['2026-09-02', '2026-09-09', '2026-09-16']);
      const s = b.student(q.cls, 'Иванов Иван');
      b.mark(q.lessons[0]!, q.cls, s, '4');
      return q;
    },
    check: (p) => {
      const f = student(p, 'Иванов Иван').subjects[0]!.forecast!;
      expect(f).toMatchObject({ lessonsHeld: 3, lessonsLeft: 5, lessonsEstimated: true });
      expect([f.mark, f.reason]).toEqual([4, 'slow']); // 1 + ⌊5/3⌋ = 2 < 3
    },
  },
  {
    name: 'the year: the dynamics run across periods; the period forecast is left out',
    asOf: '2026-11-20T12:00:00',
    range: 'year',
    build: (b) => {
      const q = quarterOf(b, ['2026-09-02', '2026-11-11']);
      b.period(q.cls, { name: '2 четверть', number: 2, start: '2026-11-05', finish: '2026-12-27' });
      const s = b.student(q.cls, 'Иванов Иван');
      b.mark(q.lessons[0]!, q.cls, s, '5');
      b.mark(q.lessons[1]!, q.cls, s, '3');
      return q;
    },
    check: (p) => {
      expect([p.period, p.start, p.finish]).toEqual([null, '2026-09-01', '2026-12-27']);
      const x = student(p, 'Иванов Иван').subjects[0]!;
      expect([x.average, x.forecast]).toEqual([4, null]);
      expect(x.weeks[0]!.average).toBe(5);
    },
  },
  {
    name: 'an exempt student or one on a long absence is not flagged for too few marks',
    asOf: '2026-10-20T12:00:00',
    build: (b) => {
      const q = quarterOf(b, ['2026-09-02', '2026-09-09', '2026-10-19']);
      const s = b.student(q.cls, 'Иванов Иван');
      b.exempt(s, { kind: 'long_absence', from: '2026-09-10', to: '2026-10-10' });
      b.mark(q.lessons[0]!, q.cls, s, '4');
      b.student(q.cls, 'Петров Пётр');
      return q;
    },
    check: (p) => {
      const f = student(p, 'Иванов Иван').subjects[0]!.forecast!;
      expect([f.mark, f.risk, student(p, 'Иванов Иван').risks]).toEqual([4, false, 0]);
      expect(student(p, 'Петров Пётр').subjects[0]!.forecast!.reason).toBe('na');
    },
  },
  {
    name: "a split subject: each student's lessons are the class's and their own group's",
    build: (b) => {
      const cls = b.klass('5А', 5);
      b.period(cls);
      const eng = b.subject('Английский язык');
      const g1 = b.subgroup(cls, 'Английский язык, гр. 1');
      const g2 = b.subgroup(cls, 'Английский язык, гр. 2');
      // Group 1 has two lessons by the as-of day, group 2 three; one lesson of the whole class.
      const l1 = b.lesson(cls, eng, '2026-09-02', { groupId: g1 });
      b.lesson(cls, eng, '2026-09-09', { groupId: g1 });
      for (const d of ['2026-09-03', '2026-09-10', '2026-09-17']) {
        b.lesson(cls, eng, d, { groupId: g2 });
      }
      b.lesson(cls, eng, '2026-09-16');
      const s1 = b.student(cls, 'Иванов Иван');
      b.enrol(g1, s1);
      const s2 = b.student(cls, 'Петров Пётр');
      b.enrol(g2, s2);
      b.mark(l1, cls, s1, '5');
      return { cls };
    },
    check: (p) => {
      expect(student(p, 'Иванов Иван').subjects[0]!.forecast!.lessonsHeld).toBe(3);
      expect(student(p, 'Петров Пётр').subjects[0]!.forecast!.lessonsHeld).toBe(4);
    },
  },
];

describe.each(ENGINES)('analytics on %s', (engine) => {
  let m: TestMirror;
  const built: { b: JournalBuilder; cls: string }[] = [];
  beforeAll(async () => {
    m = await createTestMirror(engine);
    for (const [i, c] of cases.entries()) {
      const b = new JournalBuilder(String(810000 + i * 10));
      const { cls } = c.build(b);
      await b.write(m.db);
      built.push({ b, cls });
    }
  });
  afterAll(async () => {
    await m?.dispose();
  });

  it.each(cases.map((c, i) => [c.name, i] as const))('%s', async (_name, i) => {
    const c = cases[i]!;
    const { b, cls } = built[i]!;
    const scope = {
      db: m.db,
      schoolId: b.schoolId,
      zone: ZONE,
      asOf: at(c.asOf ?? '2026-09-20T12:00:00'),
    };
    const p = await classProgress(
      scope,
      { id: cls, name: '5А', grade: 5 },
      { ...DEFAULT_POLICY, ...c.policy },
      { range: c.range, exemptions: b.exemptions },
    );
    expect(p).not.toBeNull();
    c.check(p!, b);
  });
});
