import { testRule } from '../../../test/fixtures/checks/rule-tester.js';
import { at, type JournalBuilder } from '../../../test/fixtures/checks/builder.js';

/** Monday 12.10.2026; the entry deadline is Tue 13.10 12:00, the attendance deadline Sun 18.10 23:59. */
function lessonIn(
  b: JournalBuilder,
  opts: { grade?: number; topic?: string | null; subject?: string; date?: string } = {},
) {
  const cls = b.klass('5А', opts.grade ?? 5);
  const subject = b.subject(opts.subject ?? 'Математика');
  const lesson = b.lesson(cls, subject, opts.date ?? '2026-10-12', {
    topic: opts.topic,
    teacherId: b.teacher(),
  });
  return { cls, subject, lesson };
}

testRule('topic-missing', [
  {
    name: 'a real topic: not found',
    build: (b) => (lessonIn(b, { topic: 'Сложение дробей' }), []),
  },
  { name: 'no topic: found', build: (b) => [{ lesson: lessonIn(b, { topic: null }).lesson }] },
  {
    name: 'three characters after trimming: found',
    build: (b) => [{ lesson: lessonIn(b, { topic: '  абв  ' }).lesson }],
  },
  { name: 'four characters: not found', build: (b) => (lessonIn(b, { topic: 'абвг' }), []) },
  {
    name: 'placeholder in another case («Тема Урока», «УРОК»): found',
    build: (b) => [
      { lesson: lessonIn(b, { topic: ' Тема Урока ' }).lesson },
      { lesson: lessonIn(b, { topic: 'УРОК' }).lesson },
    ],
  },
  {
    name: 'deadline not yet passed as of the run (exactly at the deadline)',
    asOf: '2026-10-13T12:00:00',
    build: (b) => (lessonIn(b, { topic: null }), []),
  },
  {
    name: 'a minute after the deadline: found',
    asOf: '2026-10-13T12:01:00',
    build: (b) => [{ lesson: lessonIn(b, { topic: null }).lesson }],
  },
  {
    name: 'a deleted lesson: not found',
    build: (b) => {
      const { lesson } = lessonIn(b, { topic: null });
      b.deleted('lessons', lesson, at('2026-10-20T10:00:00'));
      return [];
    },
  },
  {
    name: 'zero-width spaces only: found (invisible characters are nothing)',
    build: (b) => [
      { lesson: lessonIn(b, { topic: '\u200b\u200b\u200b\u200b\u200b\u200b' }).lesson },
      { lesson: lessonIn(b, { topic: '\u2060\ufeff\u200d\u00ad\u3164' }).lesson },
    ],
  },
  {
    name: 'dashes, dots or symbols only: found (no letter or digit)',
    build: (b) => [
      { lesson: lessonIn(b, { topic: '— — — — —' }).lesson },
      { lesson: lessonIn(b, { topic: '-----------' }).lesson },
      { lesson: lessonIn(b, { topic: '........' }).lesson },
    ],
  },
  {
    name: 'a placeholder with an invisible character or odd spaces: found',
    build: (b) => [
      { lesson: lessonIn(b, { topic: 'урок\u200b' }).lesson },
      { lesson: lessonIn(b, { topic: 'тема\u00a0\u00a0урока' }).lesson },
      { lesson: lessonIn(b, { topic: '\u202eТема урока\u202c' }).lesson },
      { lesson: lessonIn(b, { topic: 'у\u200bр\u200bо\u200bк' }).lesson },
    ],
  },
  {
    name: 'three letters padded with invisible characters: found',
    build: (b) => [{ lesson: lessonIn(b, { topic: 'абв\u200b\u200b\u200b\u200b' }).lesson }],
  },
  {
    name: 'a real topic with an invisible character or full-width digits inside: not found',
    build: (b) => (
      lessonIn(b, { topic: 'Сложение\u200bдробей' }),
      lessonIn(b, { topic: 'Глава ３' }),
      []
    ),
  },
  {
    name: 'grade 1 lessons need topics too',
    build: (b) => [{ lesson: lessonIn(b, { grade: 1, topic: '-' }).lesson }],
  },
]);

testRule('homework-missing', [
  {
    name: 'homework given: not found',
    build: (b) => {
      const l = lessonIn(b);
      b.work(l.lesson, l.cls, { text: 'Стр. 25, упр. 3' });
      return [];
    },
  },
  { name: 'no homework: found', build: (b) => [{ lesson: lessonIn(b).lesson }] },
  {
    name: 'homework too short after trimming: found',
    build: (b) => {
      const l = lessonIn(b);
      b.work(l.lesson, l.cls, { text: ' —  ' });
      return [{ lesson: l.lesson }];
    },
  },
  {
    name: 'the minimum length (4) decides: a text of 3 found, of 4 not, the longer of two counts',
    build: (b) => {
      const [short, enough, two] = [lessonIn(b), lessonIn(b), lessonIn(b)];
      b.work(short.lesson, short.cls, { text: '  упр \u00a0' });
      b.work(enough.lesson, enough.cls, { text: 'упр.' });
      b.work(two.lesson, two.cls, { text: 'упр' });
      b.work(two.lesson, two.cls, { text: '§ 12' });
      return [{ lesson: short.lesson }];
    },
  },
  {
    name: 'a deleted homework does not count',
    build: (b) => {
      const l = lessonIn(b);
      const w = b.work(l.lesson, l.cls);
      b.deleted('works', w, at('2026-10-20T10:00:00'));
      return [{ lesson: l.lesson }];
    },
  },
  {
    name: 'a text on a non-homework work does not count',
    build: (b) => {
      const l = lessonIn(b);
      b.work(l.lesson, l.cls, { type: 'LessonTestWork', text: 'Контрольная работа №1' });
      return [{ lesson: l.lesson }];
    },
  },
  { name: 'grade 1: never expected', build: (b) => (lessonIn(b, { grade: 1 }), []) },
  {
    name: 'deadline not yet passed as of the run',
    asOf: '2026-10-13T11:59:00',
    build: (b) => (lessonIn(b), []),
  },
  {
    name: 'exempt subject by name: skipped',
    params: { exemptSubjects: ['Физическая культура'] },
    build: (b) => (
      lessonIn(b, { subject: 'Физическая культура' }),
      [{ lesson: lessonIn(b).lesson }]
    ),
  },
]);

/** The platform stores every student's entry: the rule is decided as written. */
const EVERY = { storage: 'everyStudent' };

testRule('attendance-not-kept', [
  {
    name: 'an attendance entry exists: not found',
    build: (b) => {
      const l = lessonIn(b);
      b.attendance(l.lesson, l.cls, b.student(l.cls), 'Attend');
      return [];
    },
  },
  {
    name: 'no entries after the week ended: found',
    asOf: '2026-10-19T00:00:00',
    params: EVERY,
    build: (b) => [{ lesson: lessonIn(b).lesson }],
  },
  {
    name: 'no entries, Sunday 23:59 exactly: not yet',
    asOf: '2026-10-18T23:59:00',
    params: EVERY,
    build: (b) => (lessonIn(b), []),
  },
  {
    name: 'a Sunday lesson has the same day as its deadline',
    asOf: '2026-10-18T23:59:30',
    params: EVERY,
    build: (b) => [{ lesson: lessonIn(b, { date: '2026-10-18' }).lesson }],
  },
  {
    name: 'only a deleted entry: found',
    params: EVERY,
    build: (b) => {
      const l = lessonIn(b);
      const a = b.attendance(l.lesson, l.cls, b.student(l.cls), 'Absent');
      b.deleted('attendance', a, at('2026-10-13T10:00:00'));
      return [{ lesson: l.lesson }];
    },
  },
  {
    name: "auto: most of the school's entries say present (every student kept): a lesson without any is found",
    build: (b) => {
      const l = lessonIn(b);
      const s = b.student(l.cls);
      for (const date of ['2026-10-05', '2026-10-06', '2026-10-07', '2026-10-08', '2026-10-09']) {
        const other = b.lesson(l.cls, l.subject, date, { teacherId: b.teacher() });
        b.attendance(other, l.cls, s, 'Attend');
      }
      return [{ lesson: l.lesson }];
    },
  },
  {
    name: 'auto: a platform that keeps only absences (a lone Attend left by an undone absence): not found',
    build: (b) => {
      const l = lessonIn(b);
      const students = ['А', 'Б', 'В', 'Г'].map((x) => b.student(l.cls, `Иванов ${x}`));
      for (const date of ['2026-10-05', '2026-10-06', '2026-10-07', '2026-10-08', '2026-10-09']) {
        const other = b.lesson(l.cls, l.subject, date, { teacherId: b.teacher() });
        for (const s of students) b.attendance(other, l.cls, s, 'Absent');
      }
      const last = b.lesson(l.cls, l.subject, '2026-10-02', { teacherId: b.teacher() });
      b.attendance(last, l.cls, students[0]!, 'Attend');
      return [];
    },
  },
  {
    name: 'auto: too few entries to tell (a fresh mirror): not found',
    build: (b) => {
      const l = lessonIn(b);
      const other = b.lesson(l.cls, l.subject, '2026-10-13', { teacherId: b.teacher() });
      b.attendance(other, l.cls, b.student(l.cls), 'Attend');
      return [];
    },
  },
  {
    name: 'exceptionsOnly: never found',
    params: { storage: 'exceptionsOnly' },
    build: (b) => (lessonIn(b), []),
  },
]);
