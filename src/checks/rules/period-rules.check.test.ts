import { testRule } from '../../../test/fixtures/checks/rule-tester.js';
import { at, type JournalBuilder } from '../../../test/fixtures/checks/builder.js';

/** A class with a quarter 01.09–25.10.2026 (ends 26.10 00:00), a student, a subject and lessons. */
function quarter(
  b: JournalBuilder,
  opts: {
    grade?: number;
    lessons?: string[];
    type?: 'quarter' | 'half_year';
    finish?: string;
  } = {},
) {
  const cls = b.klass('7Б', opts.grade ?? 7);
  const student = b.student(cls);
  const subject = b.subject('История');
  const teacher = b.teacher();
  const period = b.period(cls, { type: opts.type, finish: opts.finish });
  const lessons = (opts.lessons ?? ['2026-09-07', '2026-09-14', '2026-10-19']).map((d, i) =>
    b.lesson(cls, subject, d, { teacherId: teacher, number: i + 1 }),
  );
  return { cls, student, subject, period, lessons };
}

const weeklyDates = (from: string, count: number, stepDays = 7): string[] =>
  Array.from({ length: count }, (_, i) =>
    new Date(Date.parse(`${from}T00:00:00Z`) + i * stepDays * 86_400_000)
      .toISOString()
      .slice(0, 10),
  );

/**
 * `subject` of `quarter(b)`'s class taught in two subgroups, one lesson a week each from the given
 * dates: the quarter's student in «гр. 1», another student (`other`) in «гр. 2».
 */
function splitInTwo(
  b: JournalBuilder,
  q: ReturnType<typeof quarter>,
  subject: string,
  from: readonly [string, string],
) {
  const g1 = b.subgroup(q.cls, 'гр. 1');
  const g2 = b.subgroup(q.cls, 'гр. 2');
  const other = b.student(q.cls, 'Сидоров Пётр');
  b.enrol(g1, q.student);
  b.enrol(g2, other);
  const teacher = b.teacher('Смирнова Ольга Петровна');
  const series = (group: string, start: string) =>
    weeklyDates(start, 8).map((d) =>
      b.lesson(q.cls, subject, d, { teacherId: teacher, groupId: group }),
    );
  return { other, first: series(g1, from[0]), second: series(g2, from[1]) };
}

testRule('final-mark-missing', [
  {
    name: 'a period mark is there: not found',
    build: (b) => {
      const q = quarter(b);
      b.finalMark(q.cls, q.student, q.subject, q.period, '4');
      return [];
    },
  },
  {
    name: 'missing after the end of the period: found',
    build: (b) => {
      const q = quarter(b);
      return [{ class: q.cls, student: q.student, subject: q.subject, period: q.period }];
    },
  },
  {
    name: 'the last minute of the period: not yet',
    asOf: '2026-10-25T23:59:00',
    build: (b) => (quarter(b), []),
  },
  {
    name: "the order's deadline: not passed on its day",
    asOf: '2026-10-30T23:00:00',
    finalMarkDeadlines: { '1 четверть': '2026-10-30' },
    build: (b) => (quarter(b), []),
  },
  {
    name: "the order's deadline: passed the next day",
    asOf: '2026-10-31T00:01:00',
    finalMarkDeadlines: { '1 четверть': '2026-10-30' },
    build: (b) => {
      const q = quarter(b);
      return [{ class: q.cls, student: q.student, subject: q.subject, period: q.period }];
    },
  },
  {
    name: 'exempt for the subject: skipped; exempt for another subject or long absence only: found',
    build: (b) => {
      const q = quarter(b);
      b.exempt(q.student, { subjectId: q.subject, from: '2026-10-01', to: '2026-12-31' });
      const other = b.student(q.cls, 'Сидоров Пётр');
      b.exempt(other, { subjectId: 'another-subject' });
      const third = b.student(q.cls, 'Кузнецов Олег');
      b.exempt(third, { kind: 'long_absence' });
      return [
        { class: q.cls, student: other, subject: q.subject, period: q.period },
        { class: q.cls, student: third, subject: q.subject, period: q.period },
      ];
    },
  },
  {
    name: 'an exemption that ended before the period does not apply',
    build: (b) => {
      const q = quarter(b);
      b.exempt(q.student, { to: '2026-08-31' });
      return [{ class: q.cls, student: q.student, subject: q.subject, period: q.period }];
    },
  },
  {
    name: 'an archived enrollment and a deleted period mark',
    build: (b) => {
      const q = quarter(b);
      b.student(q.cls, 'Выбывший Ученик', 'archived');
      const f = b.finalMark(q.cls, q.student, q.subject, q.period, '5');
      b.deleted('finalMarks', f, at('2026-11-01T00:00:00'));
      return [{ class: q.cls, student: q.student, subject: q.subject, period: q.period }];
    },
  },
  {
    name: 'a subject taught only outside the period is not expected',
    build: (b) => (quarter(b, { lessons: ['2026-11-10'] }), []),
  },
  { name: 'grade 1 has no period marks', build: (b) => (quarter(b, { grade: 1 }), []) },
]);

testRule('final-mark-early', [
  {
    name: 'dated before the last lesson of the period: found',
    build: (b) => {
      const q = quarter(b);
      return [
        {
          mark: b.finalMark(q.cls, q.student, q.subject, q.period, '4', {
            date: '2026-10-18T10:00:00',
          }),
        },
      ];
    },
  },
  {
    name: 'dated on the day of the last lesson: not found',
    build: (b) => {
      const q = quarter(b);
      b.finalMark(q.cls, q.student, q.subject, q.period, '4', { date: '2026-10-19T00:00:00' });
      return [];
    },
  },
  {
    name: 'a deleted last lesson does not count; a mark without a date is skipped',
    build: (b) => {
      const q = quarter(b);
      b.deleted('lessons', q.lessons[2]!, at('2026-10-20T00:00:00'));
      b.finalMark(q.cls, q.student, q.subject, q.period, '4', { date: '2026-10-18T00:00:00' });
      b.finalMark(q.cls, b.student(q.cls, 'Сидоров Пётр'), q.subject, q.period, '4', {
        date: null,
      });
      return [];
    },
  },
]);

testRule('mark-accumulation', [
  {
    name: 'three current marks in a quarter: not found',
    build: (b) => {
      const q = quarter(b);
      for (const l of q.lessons) b.mark(l, q.cls, q.student, '4');
      return [];
    },
  },
  {
    name: 'two current marks: found; a mark on a final work type and a deleted mark do not count',
    build: (b) => {
      const q = quarter(b);
      const final = b.workType('PeriodMark', { isFinal: true });
      b.mark(q.lessons[0]!, q.cls, q.student, '4');
      b.mark(q.lessons[1]!, q.cls, q.student, 'н/а', { markSystem: 'markna' });
      b.mark(q.lessons[2]!, q.cls, q.student, '5', { workTypeId: final });
      const gone = b.mark(q.lessons[2]!, q.cls, q.student, '3');
      b.deleted('marks', gone, at('2026-10-20T00:00:00'));
      return [{ class: q.cls, student: q.student, subject: q.subject, period: q.period }];
    },
  },
  {
    name: 'long absence and exempt students are skipped',
    build: (b) => {
      const q = quarter(b);
      b.exempt(q.student, { kind: 'long_absence' });
      b.exempt(b.student(q.cls, 'Сидоров Пётр'), { subjectId: q.subject });
      return [];
    },
  },
  {
    name: 'a period not yet ended: not found',
    asOf: '2026-10-25T23:00:00',
    build: (b) => (quarter(b), []),
  },
  {
    name: 'half-year norm is 5: four marks found',
    build: (b) => {
      const q = quarter(b, { type: 'half_year' });
      for (const l of q.lessons) b.mark(l, q.cls, q.student, '4');
      b.mark(q.lessons[0]!, q.cls, q.student, '5');
      return [{ class: q.cls, student: q.student, subject: q.subject, period: q.period }];
    },
  },
  {
    name: 'by hours: one lesson a week needs 3 marks (3 given: not found)',
    params: { mode: 'byHours' },
    build: (b) => {
      const q = quarter(b, { lessons: weeklyDates('2026-09-01', 8) });
      for (const l of q.lessons.slice(0, 3)) b.mark(l, q.cls, q.student, '4');
      return [];
    },
  },
  {
    name: 'by hours: two lessons a week need 5 marks (3 given: found)',
    params: { mode: 'byHours' },
    build: (b) => {
      const q = quarter(b, {
        lessons: [...weeklyDates('2026-09-01', 8), ...weeklyDates('2026-09-03', 8)],
      });
      for (const l of q.lessons.slice(0, 3)) b.mark(l, q.cls, q.student, '4');
      return [{ class: q.cls, student: q.student, subject: q.subject, period: q.period }];
    },
  },
  {
    // The class has two lessons a week (norm 5), the student one (norm 6): his 5 marks are
    // under his own norm though not under the class's.
    name: 'by hours, norms that fall with hours (6, 5, 4): a subgroup of one lesson a week needs 6 (5 given: found)',
    params: { mode: 'byHours', byHours: { one: 6, two: 5, threeOrMore: 4 } },
    build: (b) => {
      const q = quarter(b, { lessons: [] });
      const g1 = b.subgroup(q.cls, 'гр. 1');
      const g2 = b.subgroup(q.cls, 'гр. 2');
      b.enrol(g1, q.student);
      const teacher = b.teacher('Смирнова Ольга Петровна');
      const first = weeklyDates('2026-09-01', 8).map((d) =>
        b.lesson(q.cls, q.subject, d, { teacherId: teacher, groupId: g1 }),
      );
      for (const d of weeklyDates('2026-09-02', 8)) {
        b.lesson(q.cls, q.subject, d, { teacherId: teacher, groupId: g2 });
      }
      for (const l of first.slice(0, 5)) b.mark(l, q.cls, q.student, '4');
      return [{ class: q.cls, student: q.student, subject: q.subject, period: q.period }];
    },
  },
  {
    // English split in two: each subgroup has one lesson a week, the class two. A student's
    // hours are those of the lessons he attends: the class's plus his own subgroup's.
    name: "by hours, a subject taught in two subgroups: a student's hours are his subgroup's (3 marks for one lesson a week: not found; 2: found)",
    params: { mode: 'byHours' },
    build: (b) => {
      const q = quarter(b, { lessons: [] });
      const english = b.subject('Английский язык');
      const { other, first, second } = splitInTwo(b, q, english, ['2026-09-01', '2026-09-02']);
      for (const l of first.slice(0, 3)) b.mark(l, q.cls, q.student, '4');
      for (const l of second.slice(0, 2)) b.mark(l, q.cls, other, '4');
      return [{ class: q.cls, student: other, subject: english, period: q.period }];
    },
  },
  {
    // One whole-class lesson a week and one of each subgroup: two a week for each student (5
    // marks), not the class's three (7).
    name: "by hours, whole-class lessons and subgroups: the class's and his own count, not the other subgroup's (4 marks for 5: found; 5: not found)",
    params: { mode: 'byHours' },
    build: (b) => {
      const q = quarter(b, { lessons: weeklyDates('2026-09-01', 8) });
      const { other } = splitInTwo(b, q, q.subject, ['2026-09-03', '2026-09-04']);
      for (const l of q.lessons.slice(0, 4)) b.mark(l, q.cls, q.student, '4');
      for (const l of q.lessons.slice(0, 5)) b.mark(l, q.cls, other, '4');
      return [{ class: q.cls, student: q.student, subject: q.subject, period: q.period }];
    },
  },
]);

testRule('final-mark-objectivity', [
  {
    name: 'average 4.5 gives 5 (math): 5 not found, 4 found',
    build: (b) => {
      const q = quarter(b);
      b.mark(q.lessons[0]!, q.cls, q.student, '5');
      b.mark(q.lessons[1]!, q.cls, q.student, '4');
      b.finalMark(q.cls, q.student, q.subject, q.period, '5');
      const other = b.student(q.cls, 'Сидоров Пётр');
      b.mark(q.lessons[0]!, q.cls, other, '5');
      b.mark(q.lessons[1]!, q.cls, other, '4');
      return [{ mark: b.finalMark(q.cls, other, q.subject, q.period, '4') }];
    },
  },
  {
    name: 'weighted: 5 (weight 1) and 2 (weight 2) average 3.0, so 4 is found',
    build: (b) => {
      const q = quarter(b);
      const control = b.workType('LessonControlWork', { weight: 2 });
      b.mark(q.lessons[0]!, q.cls, q.student, '5');
      b.mark(q.lessons[1]!, q.cls, q.student, '2', { workTypeId: control });
      return [{ mark: b.finalMark(q.cls, q.student, q.subject, q.period, '4') }];
    },
  },
  {
    name: 'plain average: the same marks average 3.5, so 4 is right',
    params: { weighted: false },
    build: (b) => {
      const q = quarter(b);
      const control = b.workType('LessonControlWork', { weight: 2 });
      b.mark(q.lessons[0]!, q.cls, q.student, '5');
      b.mark(q.lessons[1]!, q.cls, q.student, '2', { workTypeId: control });
      b.finalMark(q.cls, q.student, q.subject, q.period, '4');
      return [];
    },
  },
  {
    name: 'lyceum profile: average 4.6 gives 4, so 5 is found',
    params: { profile: 'lyceum' },
    build: (b) => {
      const q = quarter(b, { lessons: weeklyDates('2026-09-07', 5) });
      ['5', '5', '4', '4', '5'].forEach((v, i) => b.mark(q.lessons[i]!, q.cls, q.student, v));
      return [{ mark: b.finalMark(q.cls, q.student, q.subject, q.period, '5') }];
    },
  },
  {
    name: 'a mark that does not count in the average is excluded',
    build: (b) => {
      const q = quarter(b);
      b.mark(q.lessons[0]!, q.cls, q.student, '5');
      b.mark(q.lessons[1]!, q.cls, q.student, '2', { countsInAverage: false });
      b.finalMark(q.cls, q.student, q.subject, q.period, '5');
      return [];
    },
  },
  {
    name: 'no current marks, or a non-numeric period mark: skipped',
    build: (b) => {
      const q = quarter(b);
      b.finalMark(q.cls, q.student, q.subject, q.period, '2');
      const other = b.student(q.cls, 'Сидоров Пётр');
      b.mark(q.lessons[0]!, q.cls, other, '5');
      b.finalMark(q.cls, other, q.subject, q.period, 'н/а', { markSystem: 'markna' });
      return [];
    },
  },
]);
