import { testRule, type RuleCase } from '../../../test/fixtures/checks/rule-tester.js';
import { at, type JournalBuilder } from '../../../test/fixtures/checks/builder.js';

/** A grade-5 class, one student and a Monday lesson (12.10.2026): deadline Tue 13.10 12:00. */
function journal(b: JournalBuilder, grade = 5, lessonSeenAt?: number) {
  const cls = b.klass(grade === 1 ? '1А' : '5А', grade);
  const student = b.student(cls);
  const subject = b.subject();
  const teacher = b.teacher();
  const lesson = b.lesson(cls, subject, '2026-10-12', { teacherId: teacher, seenAt: lessonSeenAt });
  return { cls, student, subject, lesson };
}

const cases: RuleCase[] = [
  {
    name: 'entered a minute after the deadline: found',
    build: (b) => {
      const j = journal(b);
      return [
        { mark: b.mark(j.lesson, j.cls, j.student, '5', { enteredAt: '2026-10-13T12:01:00' }) },
      ];
    },
  },
  {
    name: 'entered a minute before the deadline: not found',
    build: (b) => {
      const j = journal(b);
      b.mark(j.lesson, j.cls, j.student, '5', { enteredAt: '2026-10-13T11:59:00' });
      return [];
    },
  },
  {
    name: 'entered exactly at the deadline: on time',
    build: (b) => {
      const j = journal(b);
      b.mark(j.lesson, j.cls, j.student, '5', { enteredAt: '2026-10-13T12:00:00' });
      return [];
    },
  },
  {
    name: 'entered before the deadline, first seen by a sync after it: on time',
    build: (b) => {
      const j = journal(b, 5, at('2026-10-12T08:00:00'));
      b.mark(j.lesson, j.cls, j.student, '5', {
        enteredAt: '2026-10-13T11:50:00',
        seenAt: at('2026-10-13T13:00:00'),
      });
      return [];
    },
  },
  {
    name: 'an entry moment in UTC: 09:01Z is 12:01 in Moscow, after the deadline',
    build: (b) => {
      const j = journal(b);
      b.mark(j.lesson, j.cls, j.student, '5', { enteredAt: '2026-10-13T08:59:00.000Z' });
      const other = b.student(j.cls, 'Сидоров Пётр');
      return [
        { mark: b.mark(j.lesson, j.cls, other, '5', { enteredAt: '2026-10-13T09:01:00.250Z' }) },
      ];
    },
  },
  {
    name: 'no platform entry time: first seen after the deadline, lesson watched before it: never claimed',
    build: (b) => {
      const j = journal(b);
      b.mark(j.lesson, j.cls, j.student, '4', { seenAt: at('2026-10-14T09:00:00') });
      return [];
    },
  },
  {
    name: 'control work mark within 7 days: not found; after 7 days 12:00: found',
    build: (b) => {
      const j = journal(b);
      const control = b.workType('LessonControlWork');
      b.mark(j.lesson, j.cls, j.student, '3', {
        workTypeId: control,
        enteredAt: '2026-10-19T12:00:00',
      });
      const other = b.student(j.cls, 'Сидоров Пётр');
      return [
        {
          mark: b.mark(j.lesson, j.cls, other, '3', {
            workTypeId: control,
            enteredAt: '2026-10-19T12:01:00',
          }),
        },
      ];
    },
  },
  {
    name: 'parameters: the control kinds and a written deadline shorter than the ordinary one',
    params: { controlKinds: ['LessonAnswer'], writtenDeadlineDays: 0, deadlineDays: 3 },
    build: (b) => {
      const j = journal(b);
      const answer = b.workType('LessonAnswer');
      const control = b.workType('LessonControlWork');
      // LessonAnswer is now the written kind: due on the lesson day at 12:00.
      const late = b.mark(j.lesson, j.cls, j.student, '5', {
        workTypeId: answer,
        enteredAt: '2026-10-12T12:01:00',
      });
      // LessonControlWork is now an ordinary kind: due three days later at 12:00.
      const other = b.student(j.cls, 'Сидоров Пётр');
      b.mark(j.lesson, j.cls, other, '4', {
        workTypeId: control,
        enteredAt: '2026-10-15T12:00:00',
      });
      const third = b.student(j.cls, 'Кузнецова Анна');
      const lateControl = b.mark(j.lesson, j.cls, third, '4', {
        workTypeId: control,
        enteredAt: '2026-10-15T12:01:00',
      });
      return [{ mark: late }, { mark: lateControl }];
    },
  },
  {
    name: 'parameters: a mark of the new control kind alone in its lesson, a minute late',
    params: { controlKinds: ['LessonAnswer'], writtenDeadlineDays: 0, deadlineDays: 3 },
    build: (b) => {
      const j = journal(b);
      const answer = b.workType('LessonAnswer');
      const late = b.mark(j.lesson, j.cls, j.student, '5', {
        workTypeId: answer,
        enteredAt: '2026-10-12T12:01:00',
      });
      return [{ mark: late }];
    },
  },
  {
    name: 'an ordinary work kind gets the one-day deadline',
    build: (b) => {
      const j = journal(b);
      const answer = b.workType('LessonAnswer');
      return [
        {
          mark: b.mark(j.lesson, j.cls, j.student, '5', {
            workTypeId: answer,
            enteredAt: '2026-10-15T10:00:00',
          }),
        },
      ];
    },
  },
  {
    name: 'grade 1 is not checked for lateness',
    build: (b) => {
      const j = journal(b, 1);
      b.mark(j.lesson, j.cls, j.student, '5', { enteredAt: '2026-10-20T10:00:00' });
      return [];
    },
  },
  {
    name: 'a mark deleted before the as-of is not found; deleted after it still is',
    build: (b) => {
      const j = journal(b);
      const gone = b.mark(j.lesson, j.cls, j.student, '2', { enteredAt: '2026-10-14T10:00:00' });
      b.deleted('marks', gone, at('2026-11-01T10:00:00'));
      const other = b.student(j.cls, 'Сидоров Пётр');
      const later = b.mark(j.lesson, j.cls, other, '2', { enteredAt: '2026-10-14T10:00:00' });
      b.deleted('marks', later, at('2026-12-01T10:00:00'));
      return [{ mark: later }];
    },
  },
  {
    name: 'a live late mark of a lesson deleted since is still found',
    build: (b) => {
      const j = journal(b);
      const late = b.mark(j.lesson, j.cls, j.student, '4', { enteredAt: '2026-10-14T10:00:00' });
      b.deleted('lessons', j.lesson, at('2026-11-01T10:00:00'));
      return [{ mark: late }];
    },
  },
  {
    name: 'a mark entered after the as-of instant is not yet late',
    asOf: '2026-10-14T08:00:00',
    build: (b) => {
      const j = journal(b);
      b.mark(j.lesson, j.cls, j.student, '5', { enteredAt: '2026-10-14T09:00:00' });
      return [];
    },
  },
  {
    name: 'a mark without a lesson is skipped',
    build: (b) => {
      const j = journal(b);
      b.mark(null, j.cls, j.student, '5', { enteredAt: '2026-11-10T09:00:00' });
      return [];
    },
  },
  {
    name: 'parameters: deadline on the lesson day at 18:00',
    params: { deadlineDays: 0, deadlineTime: '18:00' },
    build: (b) => {
      const j = journal(b);
      b.mark(j.lesson, j.cls, j.student, '5', { enteredAt: '2026-10-12T17:59:00' });
      const other = b.student(j.cls, 'Сидоров Пётр');
      return [{ mark: b.mark(j.lesson, j.cls, other, '5', { enteredAt: '2026-10-12T18:30:00' }) }];
    },
  },
];

testRule('mark-late', cases);
