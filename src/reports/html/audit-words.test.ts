import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES, createTestMirror, type TestMirror } from '../../../test/helpers/mirrors.js';
import {
  CLASS_ID,
  MATH_LESSONS,
  SCHOOL_ID,
  ZONE,
  seedChecks,
  seedSchool,
} from '../../../test/fixtures/reports/school-fixture.js';
import { upsertRecords } from '../../mirror/mirror-writer.js';
import { localToInstant } from '../../platform/time.js';
import { loadAudit } from '../data/audit.js';
import type { SchoolInfo } from '../data/school.js';
import { studentNoun, withStudentWords } from '../data/student-words.js';
import { renderAuditHtml } from './audit-html.js';

/**
 * The справка names a student «обучающийся» or in their gender (persons.sex), never the checks'
 * «ученик» for a girl, and a finding about a group lesson names the subgroup
 * («5А / Математика, гр. 1»), read from lessons.group_id on both engines.
 */

const at = (local: string): number => localToInstant(local, ZONE);
const school: SchoolInfo = {
  id: SCHOOL_ID,
  name: 'Школа № 1',
  zone: ZONE,
  director: null,
  deputyDirector: null,
};

it('words for a student by sex', () => {
  expect(studentNoun('Female').nom).toBe('обучающаяся');
  expect(studentNoun('Male').nom).toBe('обучающийся');
  expect(studentNoun(null).nom).toBe('обучающийся');
  expect(
    withStudentWords('Отметка «2» не исправлена: 5А, Математика, ученик Борисова Мария', 'Female'),
  ).toBe('Отметка «2» не исправлена: 5А, Математика, обучающаяся Борисова Мария');
  expect(withStudentWords('Отметка у отсутствовавшего ученика («н» и отметка)', null)).toBe(
    'Отметка у отсутствовавшего обучающегося («н» и отметка)',
  );
  expect(withStudentWords('Отметка у отсутствовавшего ученика', 'Female')).toBe(
    'Отметка у отсутствовавшей обучающейся',
  );
});

describe.each(ENGINES)('справка: student words and subgroups (%s)', (engine) => {
  let mirror: TestMirror;
  beforeAll(async () => {
    mirror = await createTestMirror(engine);
    await seedSchool(mirror.db);
    await seedChecks(mirror.db);
    const ctx = {
      source: 'dnevnik',
      schoolId: SCHOOL_ID,
      zone: ZONE,
      observedAt: at('2026-09-21T12:00:00'),
      syncRunId: null,
    };
    await mirror.db.transaction(async (tx) => {
      await upsertRecords(
        tx,
        'classes',
        [
          {
            id: '5001',
            schoolId: SCHOOL_ID,
            name: 'гр. 1',
            fullName: null,
            grade: 5,
            letter: null,
            kind: 'subgroup',
            parentIds: [CLASS_ID],
            studyYear: 2026,
            status: null,
          },
        ],
        ctx,
      );
      await upsertRecords(tx, 'lessons', [{ ...MATH_LESSONS[14]!, groupId: '5001' }], ctx);
    });
    await mirror.db.run(`UPDATE persons SET sex = 'Female' WHERE id = '1002'`);
    await mirror.db.run(
      `INSERT INTO findings (key, rule, severity, school_id, class_id, subject_id, teacher_id, student_id, lesson_id, date, deadline, message, details,
         first_run_id, last_run_id, first_seen_at, last_seen_at, resolved_at, resolved_run_id)
       VALUES ('g1', 'two-not-corrected', 'warning', ?, ?, '301', '2001', '1002', ?, '2026-09-24', NULL,
         'Отметка «2» не исправлена за 3 урока: 5А, Математика, урок 24.09.2026, ученик Борисова Мария Олеговна', NULL,
         'run2', 'run2', 0, 0, NULL, NULL)`,
      [SCHOOL_ID, CLASS_ID, MATH_LESSONS[14]!.id],
    );
  });
  afterAll(async () => mirror?.dispose());

  it('names the subgroup and the student in her gender', async () => {
    const data = await loadAudit(
      mirror.db,
      school,
      at('2026-10-20T13:00:00'),
      at('2026-10-21T00:00:00'),
    );
    const f = data.findings.find((x) => x.message.includes('Борисова'))!;
    expect(f.className).toBe('5А / Математика, гр. 1');
    expect(f.message).toBe(
      'Отметка «2» не исправлена за 3 урока: 5А / Математика, гр. 1, урок 24.09.2026, обучающаяся Борисова Мария Олеговна',
    );
    const html = renderAuditHtml(data).html;
    expect(html).toContain('обучающаяся Борисова Мария Олеговна');
    expect(html).not.toContain('ученик Борисова');
  });
});
