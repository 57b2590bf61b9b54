import { testRule } from '../../../test/fixtures/checks/rule-tester.js';
import { at, type JournalBuilder } from '../../../test/fixtures/checks/builder.js';

function klass(b: JournalBuilder, grade = 5) {
  const cls = b.klass(grade === 1 ? '1А' : '5А', grade);
  const student = b.student(cls);
  const subject = b.subject('Русский язык');
  const teacher = b.teacher();
  const lessons = ['2026-10-05', '2026-10-07', '2026-10-12', '2026-10-14', '2026-10-19'].map(
    (d, i) => b.lesson(cls, subject, d, { teacherId: teacher, number: i + 1 }),
  );
  return { cls, student, subject, lessons };
}

testRule('grade1-mark', [
  {
    name: 'a mark in grade 1: found; in grade 2: not found',
    build: (b) => {
      const one = klass(b, 1);
      const two = klass(b, 2);
      b.mark(two.lessons[0]!, two.cls, two.student, '5');
      return [{ mark: b.mark(one.lessons[0]!, one.cls, one.student, '5') }];
    },
  },
  {
    name: 'a mark without a lesson is dated by the school-local day it was entered, not its UTC text',
    build: (b) => {
      const one = klass(b, 1);
      // 21:30 UTC on 05.10 is 00:30 on 06.10 in Moscow.
      return [
        {
          mark: b.mark(null, one.cls, one.student, '5', { enteredAt: '2026-10-05T21:30:00.250Z' }),
          date: '2026-10-06',
        },
      ];
    },
  },
  {
    name: 'a deleted mark in grade 1: not found',
    build: (b) => {
      const one = klass(b, 1);
      b.deleted(
        'marks',
        b.mark(one.lessons[0]!, one.cls, one.student, '5'),
        at('2026-10-06T00:00:00'),
      );
      return [];
    },
  },
]);

testRule('grade1-homework', [
  {
    name: 'homework in grade 1: found; an empty one and grade 2 homework: not found',
    build: (b) => {
      const one = klass(b, 1);
      const two = klass(b, 2);
      b.work(two.lessons[0]!, two.cls);
      b.work(one.lessons[1]!, one.cls, { text: '   ' });
      return [{ work: b.work(one.lessons[0]!, one.cls, { text: 'Прописи, стр. 5' }) }];
    },
  },
]);

testRule('control-work-unmarked', [
  {
    name: 'present without a mark: found; marked, absent and exempt students: not found',
    build: (b) => {
      const k = klass(b);
      const kind = b.workType('LessonControlWork');
      const work = b.work(k.lessons[0]!, k.cls, {
        type: 'LessonControlWork',
        workTypeId: kind,
        text: null,
      });
      b.mark(k.lessons[0]!, k.cls, k.student, '4', { workId: work, workTypeId: kind });
      const absent = b.student(k.cls, 'Отсутствующий Пётр');
      b.attendance(k.lessons[0]!, k.cls, absent, 'Ill');
      const late = b.student(k.cls, 'Опоздавший Олег');
      b.attendance(k.lessons[0]!, k.cls, late, 'Late');
      const exempt = b.student(k.cls, 'Освобождённый Илья');
      b.exempt(exempt, { subjectId: k.subject, from: '2026-10-01', to: '2026-10-31' });
      return [{ work, student: late }];
    },
  },
  {
    name: 'a deleted mark does not count',
    build: (b) => {
      const k = klass(b);
      const kind = b.workType('LessonTest');
      const work = b.work(k.lessons[0]!, k.cls, {
        type: 'LessonTest',
        workTypeId: kind,
        text: null,
      });
      b.deleted(
        'marks',
        b.mark(k.lessons[0]!, k.cls, k.student, '4', { workId: work }),
        at('2026-10-20T00:00:00'),
      );
      return [{ work, student: k.student }];
    },
  },
  {
    name: 'deadline (lesson day + 7, 12:00) not yet passed',
    asOf: '2026-10-12T12:00:00',
    build: (b) => {
      const k = klass(b);
      const kind = b.workType('LessonControlWork');
      b.work(k.lessons[0]!, k.cls, { type: 'LessonControlWork', workTypeId: kind, text: null });
      return [];
    },
  },
  {
    name: 'not a control kind, and grade 1: not found',
    build: (b) => {
      const k = klass(b);
      const answer = b.workType('LessonAnswer');
      b.work(k.lessons[0]!, k.cls, { type: 'LessonAnswer', workTypeId: answer, text: null });
      const one = klass(b, 1);
      const kind = b.workType('LessonControlWork');
      b.work(one.lessons[0]!, one.cls, { type: 'LessonControlWork', workTypeId: kind, text: null });
      return [];
    },
  },
  {
    // As many marks as students, one of them a leaver's: the current student is still unmarked.
    name: 'a student who left holds a mark: the current one without a mark is found',
    build: (b) => {
      const k = klass(b);
      const kind = b.workType('LessonTest');
      const work = b.work(k.lessons[0]!, k.cls, {
        type: 'LessonTest',
        workTypeId: kind,
        text: null,
      });
      const leaver = b.student(k.cls, 'Ушедший Денис', 'archived');
      b.mark(k.lessons[0]!, k.cls, leaver, '5', { workId: work, workTypeId: kind });
      return [{ work, student: k.student }];
    },
  },
  {
    name: "a subgroup's control work concerns its members only, on a lesson deleted since as well",
    build: (b) => {
      const k = klass(b);
      const kind = b.workType('LessonControlWork');
      const group = b.subgroup(k.cls, 'гр. 2');
      const member = b.student(k.cls, 'Участник Глеб');
      b.enrol(group, member);
      const lesson = b.lesson(k.cls, k.subject, '2026-10-06', { groupId: group });
      const work = b.work(lesson, k.cls, {
        type: 'LessonControlWork',
        workTypeId: kind,
        text: null,
      });
      b.deleted('lessons', lesson, at('2026-10-20T00:00:00'));
      return [{ work, student: member }];
    },
  },
  {
    name: 'controlKinds other than the platform’s: a work of the given kind is judged',
    params: { controlKinds: ['LessonAnswer'] },
    build: (b) => {
      const k = klass(b);
      const answer = b.workType('LessonAnswer');
      const work = b.work(k.lessons[0]!, k.cls, {
        type: 'LessonAnswer',
        workTypeId: answer,
        text: null,
      });
      const kind = b.workType('LessonControlWork');
      b.work(k.lessons[1]!, k.cls, { type: 'LessonControlWork', workTypeId: kind, text: null });
      return [{ work, student: k.student }];
    },
  },
]);

testRule('absent-with-mark', [
  {
    name: 'absent with a mark: found; Late with a mark: not found',
    build: (b) => {
      const k = klass(b);
      b.attendance(k.lessons[0]!, k.cls, k.student, 'Absent');
      b.mark(k.lessons[0]!, k.cls, k.student, '5');
      b.mark(k.lessons[0]!, k.cls, k.student, '4');
      const late = b.student(k.cls, 'Опоздавший Олег');
      b.attendance(k.lessons[0]!, k.cls, late, 'Late');
      b.mark(k.lessons[0]!, k.cls, late, '5');
      return [{ lesson: k.lessons[0]!, student: k.student }];
    },
  },
  {
    name: 'a homework mark is exempt (by work type kind or by work)',
    build: (b) => {
      const k = klass(b);
      const hwKind = b.workType('LessonHomework');
      b.attendance(k.lessons[0]!, k.cls, k.student, 'Pass');
      b.mark(k.lessons[0]!, k.cls, k.student, '5', { workTypeId: hwKind });
      const hw = b.work(k.lessons[0]!, k.cls);
      b.attendance(k.lessons[1]!, k.cls, k.student, 'Ill');
      b.mark(k.lessons[1]!, k.cls, k.student, '4', { workId: hw });
      return [];
    },
  },
  {
    name: 'two absences in one lesson, one with a homework’s mark: the other alone is found',
    build: (b) => {
      const k = klass(b);
      const hw = b.work(k.lessons[0]!, k.cls);
      b.attendance(k.lessons[0]!, k.cls, k.student, 'Absent');
      b.mark(k.lessons[0]!, k.cls, k.student, '4', { workId: hw });
      const other = b.student(k.cls, 'Второй Семён');
      b.attendance(k.lessons[0]!, k.cls, other, 'Ill');
      b.mark(k.lessons[0]!, k.cls, other, '3');
      // «н/а» beside «н» in another lesson: not a mark.
      b.attendance(k.lessons[1]!, k.cls, other, 'Absent');
      b.mark(k.lessons[1]!, k.cls, other, 'н/а', { markSystem: 'markna' });
      return [{ lesson: k.lessons[0]!, student: other }];
    },
  },
  {
    name: 'a lesson the mirror lacks (its fetch quarantined it): «н» beside a mark is found',
    build: (b) => {
      const k = klass(b);
      const missing = b.id();
      b.attendance(missing, k.cls, k.student, 'Absent');
      b.mark(missing, k.cls, k.student, '5');
      return [{ lesson: missing, student: k.student }];
    },
  },
  {
    name: 'a deleted mark: not found',
    build: (b) => {
      const k = klass(b);
      b.attendance(k.lessons[0]!, k.cls, k.student, 'Absent');
      b.deleted('marks', b.mark(k.lessons[0]!, k.cls, k.student, '5'), at('2026-10-06T00:00:00'));
      return [];
    },
  },
]);

testRule('two-not-corrected', [
  {
    name: 'a «2» with three later lessons and no better mark: found',
    build: (b) => {
      const k = klass(b);
      b.mark(k.lessons[2]!, k.cls, k.student, '2');
      return [{ mark: b.mark(k.lessons[0]!, k.cls, k.student, '2') }];
    },
  },
  {
    name: 'corrected by a «3» on the third lesson after: not found',
    build: (b) => {
      const k = klass(b);
      b.mark(k.lessons[0]!, k.cls, k.student, '2');
      b.mark(k.lessons[3]!, k.cls, k.student, '3');
      return [];
    },
  },
  {
    name: 'a better mark only on the fourth lesson after: found',
    build: (b) => {
      const k = klass(b);
      const two = b.mark(k.lessons[0]!, k.cls, k.student, '2');
      b.mark(k.lessons[4]!, k.cls, k.student, '5');
      return [{ mark: two }];
    },
  },
  {
    name: 'fewer than three lessons after it as of the run: not yet',
    asOf: '2026-10-13T12:00:00',
    build: (b) => {
      const k = klass(b);
      b.mark(k.lessons[0]!, k.cls, k.student, '2');
      return [];
    },
  },
  {
    name: 'a deleted lesson is not one of the three after: corrected on the fourth lesson by date',
    build: (b) => {
      const k = klass(b);
      b.mark(k.lessons[0]!, k.cls, k.student, '2');
      b.deleted('lessons', k.lessons[2]!, at('2026-10-01T00:00:00'));
      b.mark(k.lessons[4]!, k.cls, k.student, '4');
      return [];
    },
  },
  {
    name: 'another subject’s lessons do not count; a «2» on the last lessons: not yet',
    build: (b) => {
      const k = klass(b);
      const other = b.subject('Литература');
      for (const d of ['2026-10-20', '2026-10-21', '2026-10-22']) b.lesson(k.cls, other, d);
      b.mark(k.lessons[2]!, k.cls, k.student, '2');
      return [];
    },
  },
  {
    name: 'another student’s better mark and a deleted better mark do not correct it',
    build: (b) => {
      const k = klass(b);
      const two = b.mark(k.lessons[0]!, k.cls, k.student, '2');
      b.mark(k.lessons[1]!, k.cls, b.student(k.cls, 'Сидоров Пётр'), '5');
      b.deleted('marks', b.mark(k.lessons[2]!, k.cls, k.student, '4'), at('2026-10-15T00:00:00'));
      return [{ mark: two }];
    },
  },
]);
