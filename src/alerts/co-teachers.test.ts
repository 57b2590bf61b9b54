import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JournalBuilder } from '../../test/fixtures/checks/builder.js';
import { createTestMirror, type TestMirror } from '../../test/helpers/mirrors.js';
import { loadDirectory } from './directory.js';
import { loadOpenFindings } from './open-findings.js';
import { AddressBook } from './recipients.js';
import { routeFindings } from './routing.js';

/**
 * A lesson taught by two teachers (the platform's `Lesson.teachers` lists both) is the
 * responsibility of both: a `topic-missing` or `mark-late` finding about it reaches each of them,
 * not only the first one listed, which is all the finding itself names.
 */
describe('alerts: a lesson with two teachers', () => {
  let m: TestMirror;
  const b = new JournalBuilder('880000');
  let first = '';
  let second = '';
  let lesson = '';
  let cls = '';

  beforeAll(async () => {
    m = await createTestMirror('sqlite');
    cls = b.klass('5А', 5);
    const subject = b.subject('Английский язык');
    first = b.teacher();
    second = b.teacher();
    lesson = b.lesson(cls, subject, '2026-10-05', { teacherIds: [first, second] });
    await b.write(m.db);
    await m.db.run(
      `INSERT INTO findings (key, rule, severity, school_id, class_id, subject_id, teacher_id, student_id, lesson_id,
         date, deadline, message, details, first_run_id, last_run_id, first_seen_at, last_seen_at, resolved_at, resolved_run_id)
       VALUES ('f-topic', 'topic-missing', 'warning', ?, ?, ?, ?, NULL, ?, '2026-10-05', NULL, 'Не указана тема урока',
         NULL, 'run-1', 'run-1', 1, 1, NULL, NULL)`,
      [b.schoolId, cls, subject, first, lesson],
    );
  });
  afterAll(async () => {
    await m?.dispose();
  });

  it('routes the finding to both teachers of the lesson', async () => {
    const findings = await loadOpenFindings(m.db, b.schoolId, Date.now());
    expect(findings.map((f) => [f.key, f.teacherId, f.teacherIds])).toEqual([
      ['f-topic', first, [first, second]],
    ]);
    const dir = await loadDirectory(m.db, b.schoolId);
    const routing = routeFindings(findings, dir, new AddressBook({}, dir), {
      audiences: {},
      subjectTeachers: true,
    });
    expect(routing.recipients.map((r) => r.recipient.personId).sort()).toEqual(
      [first, second].sort(),
    );
    expect(routing.recipients.every((r) => r.items[0]?.section.kind === 'own')).toBe(true);
  });
});
