import { testRule } from '../../../test/fixtures/checks/rule-tester.js';
import type { JournalBuilder } from '../../../test/fixtures/checks/builder.js';

/**
 * Mark variety (issue 17 item 5): what the platform sends besides one five-point mark per work:
 * several marks on one work (`number`), «н/а» (`markna`) and «осв» (`markdismiss`), 10-point and
 * pass/fail (`test`) systems, final marks without a reporting period. Each rule must treat them
 * as a school would (docs/rules.md, "Mark variety").
 */

/** A class with a quarter 01.09–25.10.2026, a student, a subject and lessons. */
function quarter(b: JournalBuilder, lessons = ['2026-09-07', '2026-09-14', '2026-10-19']) {
  const cls = b.klass('7Б', 7);
  const student = b.student(cls);
  const subject = b.subject('Физическая культура');
  const teacher = b.teacher();
  const period = b.period(cls);
  const lessonIds = lessons.map((d, i) =>
    b.lesson(cls, subject, d, { teacherId: teacher, number: i + 1 }),
  );
  return { cls, student, subject, period, lessons: lessonIds };
}

testRule('mark-accumulation', [
  {
    name: '«н/а» and «осв» are not marks: two marks and two of them are below the norm of 3',
    build: (b) => {
      const q = quarter(b);
      b.mark(q.lessons[0]!, q.cls, q.student, '5');
      b.mark(q.lessons[1]!, q.cls, q.student, '4');
      b.mark(q.lessons[1]!, q.cls, q.student, 'н/а', { markSystem: 'markna' });
      b.mark(q.lessons[2]!, q.cls, q.student, 'осв', { markSystem: 'markdismiss' });
      return [{ class: q.cls, student: q.student, subject: q.subject, period: q.period }];
    },
  },
  {
    name: 'a double mark «5/4» on one work counts twice; 10-point and pass/fail marks count',
    build: (b) => {
      const q = quarter(b);
      const work = b.work(q.lessons[0]!, q.cls, { type: 'LessonDictation', text: null });
      b.mark(q.lessons[0]!, q.cls, q.student, '5', { workId: work, number: 1 });
      b.mark(q.lessons[0]!, q.cls, q.student, '4', { workId: work, number: 2 });
      b.mark(q.lessons[1]!, q.cls, q.student, '8', { markSystem: 'mark10' });
      const other = quarter(b);
      b.mark(other.lessons[0]!, other.cls, other.student, '7', { markSystem: 'mark10' });
      b.mark(other.lessons[1]!, other.cls, other.student, 'зач', { markSystem: 'test' });
      b.mark(other.lessons[2]!, other.cls, other.student, 'незач', { markSystem: 'test' });
      return [];
    },
  },
  {
    name: 'marks on the works of year and exam marks (`PeriodFinalMark`, `Exam`) are not current marks',
    build: (b) => {
      const q = quarter(b);
      b.mark(q.lessons[0]!, q.cls, q.student, '5');
      b.mark(q.lessons[1]!, q.cls, q.student, '4');
      for (const type of ['PeriodFinalMark', 'Exam']) {
        const work = b.work(q.lessons[2]!, q.cls, { type, text: null });
        b.mark(q.lessons[2]!, q.cls, q.student, '5', { workId: work });
      }
      return [{ class: q.cls, student: q.student, subject: q.subject, period: q.period }];
    },
  },
]);

testRule('absent-with-mark', [
  {
    name: '«н» with «н/а» or «осв» in the cell: not a mark, not found; with a «5»: found',
    build: (b) => {
      const q = quarter(b);
      const na = b.student(q.cls, 'Неаттестованный Иван');
      const dismissed = b.student(q.cls, 'Освобождённый Илья');
      b.attendance(q.lessons[0]!, q.cls, na, 'Absent');
      b.mark(q.lessons[0]!, q.cls, na, 'н/а', { markSystem: 'markna' });
      b.attendance(q.lessons[0]!, q.cls, dismissed, 'Pass');
      b.mark(q.lessons[0]!, q.cls, dismissed, 'осв', { markSystem: 'markdismiss' });
      b.attendance(q.lessons[0]!, q.cls, q.student, 'Absent');
      b.mark(q.lessons[0]!, q.cls, q.student, '5');
      return [{ lesson: q.lessons[0]!, student: q.student }];
    },
  },
]);

testRule('final-mark-objectivity', [
  {
    name: 'a double mark «2/2» on one work counts twice: 2, 2, 5 average 3, a «3» is objective',
    build: (b) => {
      const q = quarter(b);
      const work = b.work(q.lessons[0]!, q.cls, { type: 'LessonDictation', text: null });
      b.mark(q.lessons[0]!, q.cls, q.student, '2', { workId: work, number: 1 });
      b.mark(q.lessons[0]!, q.cls, q.student, '2', { workId: work, number: 2 });
      b.mark(q.lessons[1]!, q.cls, q.student, '5');
      b.finalMark(q.cls, q.student, q.subject, q.period, '3');
      return [];
    },
  },
  {
    name: 'a 10-point class is not compared to the five-point scale; «н/а» and «осв» are not averaged',
    build: (b) => {
      const q = quarter(b);
      b.mark(q.lessons[0]!, q.cls, q.student, '9', { markSystem: 'mark10' });
      b.mark(q.lessons[1]!, q.cls, q.student, '10', { markSystem: 'mark10' });
      b.finalMark(q.cls, q.student, q.subject, q.period, '9', { markSystem: 'mark10' });
      const other = quarter(b);
      b.mark(other.lessons[0]!, other.cls, other.student, '5');
      b.mark(other.lessons[1]!, other.cls, other.student, 'н/а', { markSystem: 'markna' });
      b.mark(other.lessons[2]!, other.cls, other.student, 'осв', { markSystem: 'markdismiss' });
      b.finalMark(other.cls, other.student, other.subject, other.period, '5');
      return [];
    },
  },
]);

testRule('final-mark-missing', [
  {
    name: 'a year or exam mark without a period is no quarter mark; «н/а» and «осв» are period marks',
    build: (b) => {
      const q = quarter(b);
      b.finalMark(q.cls, q.student, q.subject, null, '5', { date: '2026-10-25T00:00:00' });
      const na = b.student(q.cls, 'Неаттестованный Иван');
      b.finalMark(q.cls, na, q.subject, q.period, 'н/а', { markSystem: 'markna' });
      const dismissed = b.student(q.cls, 'Освобождённый Илья');
      b.finalMark(q.cls, dismissed, q.subject, q.period, 'осв', { markSystem: 'markdismiss' });
      return [{ class: q.cls, student: q.student, subject: q.subject, period: q.period }];
    },
  },
]);

testRule('final-mark-early', [
  {
    name: 'a final mark without a period is not judged against a quarter',
    build: (b) => {
      const q = quarter(b);
      b.finalMark(q.cls, q.student, q.subject, null, '5', { date: '2026-09-01T00:00:00' });
      return [];
    },
  },
]);

testRule('two-not-corrected', [
  {
    name: 'a 10-point «2» is not a five-point «2»; «зач» or «н/а» does not correct a «2»',
    build: (b) => {
      const q = quarter(b, ['2026-09-07', '2026-09-09', '2026-09-14', '2026-09-16']);
      b.mark(q.lessons[0]!, q.cls, q.student, '2', { markSystem: 'mark10' });
      const other = quarter(b, ['2026-09-07', '2026-09-09', '2026-09-14', '2026-09-16']);
      const two = b.mark(other.lessons[0]!, other.cls, other.student, '2');
      b.mark(other.lessons[1]!, other.cls, other.student, 'зач', { markSystem: 'test' });
      b.mark(other.lessons[2]!, other.cls, other.student, 'н/а', { markSystem: 'markna' });
      return [{ mark: two }];
    },
  },
]);

testRule('control-work-unmarked', [
  {
    name: '«осв» or «н/а» on the control work is an entry for the student: not found',
    build: (b) => {
      const q = quarter(b);
      const kind = b.workType('LessonControlWork');
      const work = b.work(q.lessons[0]!, q.cls, {
        type: 'LessonControlWork',
        workTypeId: kind,
        text: null,
      });
      b.mark(q.lessons[0]!, q.cls, q.student, 'осв', {
        workId: work,
        workTypeId: kind,
        markSystem: 'markdismiss',
      });
      const na = b.student(q.cls, 'Неаттестованный Иван');
      b.mark(q.lessons[0]!, q.cls, na, 'н/а', {
        workId: work,
        workTypeId: kind,
        markSystem: 'markna',
      });
      return [];
    },
  },
]);
