import { addDays } from '../../platform/time.js';
import { emptyData, type FakeData } from './fake-connector.js';

/**
 * A small deterministic school for unit tests: 2 classes, 3 subjects, lessons on weekdays from
 * September 1 to `until`, a mark per lesson for the first student, attendance for every student.
 */
export const FAKE_SCHOOL_ID = '1000002283077';

export function fakeSchool(until = '2026-10-20'): FakeData {
  const d = emptyData();
  d.schools.push({
    id: FAKE_SCHOOL_ID,
    name: 'Школа 1',
    fullName: null,
    city: null,
    municipality: null,
    timeZone: 'Europe/Moscow',
  });
  const subjects = ['10', '11', '12'];
  for (const id of subjects) {
    d.subjects.push({ id, schoolId: FAKE_SCHOOL_ID, name: `Предмет ${id}`, knowledgeArea: null });
  }
  d.workTypes.push({
    id: '7',
    schoolId: FAKE_SCHOOL_ID,
    kind: 'LessonAnswer',
    title: 'Ответ',
    abbr: null,
    weight: 1,
    isFinal: false,
  });
  d.persons.push(person('900', 'teacher'));
  for (const [ci, name] of ['5А', '6Б'].entries()) {
    const classId = `20${ci}`;
    d.classes.push({
      id: classId,
      schoolId: FAKE_SCHOOL_ID,
      name,
      fullName: null,
      grade: 5 + ci,
      letter: null,
      kind: 'class',
      parentIds: [],
      studyYear: 2026,
      status: null,
    });
    for (const [n, [start, finish]] of [
      ['2026-09-01', '2026-10-26'],
      ['2026-11-05', '2026-12-28'],
      ['2027-01-09', '2027-03-20'],
      ['2027-03-30', '2027-05-31'],
    ].entries()) {
      d.reportingPeriods.push({
        id: `${classId}:p${n}`,
        periodId: `p${n}`,
        classId,
        type: 'quarter',
        number: n + 1,
        name: `${n + 1} четверть`,
        start: start!,
        finish: finish!,
        year: 2026,
      });
    }
    const students = [`${classId}01`, `${classId}02`, `${classId}03`];
    for (const s of students) {
      d.persons.push(person(s, 'student'));
      d.enrollments.push({ id: `${classId}:${s}`, classId, personId: s, status: 'active' });
    }
    let n = 0;
    for (let date = '2026-09-01'; date <= until; date = addDays(date, 1)) {
      const dow = new Date(`${date}T00:00:00Z`).getUTCDay();
      if (dow === 0 || dow === 6) continue;
      for (const subjectId of subjects) {
        const lessonId = `${classId}${String(++n).padStart(5, '0')}`;
        d.lessons.push({
          id: lessonId,
          classId,
          groupId: null,
          subjectId,
          date,
          startsAt: null,
          number: 1,
          topic: `Тема ${n}`,
          status: null,
          teacherIds: ['900'],
        });
        d.works.push({
          id: `w${lessonId}`,
          lessonId,
          classId,
          subjectId,
          type: 'Homework',
          workTypeId: null,
          text: 'Упр. 1',
          targetDate: null,
          sentDate: null,
          createdBy: '900',
          periodNumber: null,
          periodType: null,
          displayInJournal: true,
        });
        d.marks.push({
          id: `m${lessonId}`,
          classId,
          lessonId,
          workId: null,
          studentId: students[0]!,
          subjectId,
          value: String(2 + (n % 4)),
          markSystem: 'mark5',
          mood: null,
          enteredAt: `${date}T14:30:00.250Z`,
          workTypeId: '7',
          countsInAverage: true,
          number: null,
        });
        for (const s of students) {
          d.attendance.push({
            id: `${lessonId}:${s}`,
            lessonId,
            studentId: s,
            classId,
            subjectId,
            status: 'Attend',
            createdAt: null,
            comment: null,
          });
        }
      }
    }
  }
  return d;
}

function person(id: string, role: 'student' | 'teacher') {
  return {
    id,
    schoolId: FAKE_SCHOOL_ID,
    role,
    lastName: `Фамилия${id}`,
    firstName: 'Имя',
    middleName: null,
    fullName: `Фамилия${id} Имя`,
    consent: null,
    userId: null,
    sex: null,
    birthday: '2014-01-01',
    email: null,
    phone: null,
  };
}
