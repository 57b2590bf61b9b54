import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type {
  AttendanceRecord,
  ClassRecord,
  LessonRecord,
  MarkRecord,
  WorkRecord,
} from '../../connectors/records.js';
import { createTestMirror, ENGINES, type TestMirror } from '../../../test/helpers/mirrors.js';
import { upsertRecords, type WriteContext } from '../mirror-writer.js';
import { SubgroupLessons1763900000016 } from './0016-subgroup-lessons.js';

const CLASS = '1820010010000000000';
const GROUP = '1820010010000000001';
const ctx: WriteContext = {
  source: 'dnevnik',
  schoolId: '1000',
  zone: 'Europe/Moscow',
  observedAt: Date.parse('2026-10-01T06:00:00Z'),
  syncRunId: 'sync-1',
};

const group = (id: string, kind: ClassRecord['kind'], parentIds: string[]): ClassRecord => ({
  id,
  schoolId: '1000',
  name: kind === 'subgroup' ? 'Английский язык, гр. 1' : '5А',
  fullName: null,
  grade: 5,
  letter: kind === 'subgroup' ? null : 'А',
  kind,
  parentIds,
  studyYear: 2026,
  status: null,
});
const lesson = (id: string, classId: string): LessonRecord => ({
  id,
  classId,
  groupId: null,
  subjectId: '42',
  date: '2026-09-15',
  startsAt: null,
  number: 1,
  topic: 'Present Simple',
  status: null,
  teacherIds: ['7'],
});

/**
 * A mirror written before subgroups were first-class kept a subgroup's lessons, and what a fetch
 * of the subgroup saw, under the subgroup's id: migration 0016 moves them to the class.
 */
describe.each(ENGINES)('migration 0016 on %s', (engine) => {
  let m: TestMirror;
  beforeAll(async () => {
    m = await createTestMirror(engine);
  });
  afterAll(async () => {
    await m?.dispose();
  });

  it('moves rows kept under a subgroup to its class, the lesson naming the subgroup', async () => {
    await m.db.transaction(async (tx) => {
      await upsertRecords(
        tx,
        'classes',
        [group(CLASS, 'class', []), group(GROUP, 'subgroup', [CLASS])],
        ctx,
      );
      await upsertRecords(tx, 'lessons', [lesson('L1', GROUP), lesson('L2', CLASS)], ctx);
      const work: WorkRecord = {
        id: 'W1',
        lessonId: 'L1',
        classId: GROUP,
        subjectId: '42',
        type: 'DefaultNewLessonWork',
        workTypeId: null,
        text: null,
        targetDate: null,
        sentDate: null,
        createdBy: null,
        periodNumber: null,
        periodType: null,
        displayInJournal: true,
      };
      await upsertRecords(tx, 'works', [work], ctx);
      const mark: MarkRecord = {
        id: 'M1',
        classId: GROUP,
        lessonId: 'L1',
        workId: 'W1',
        studentId: 'S1',
        subjectId: '42',
        value: '5',
        markSystem: 'mark5',
        mood: null,
        workTypeId: null,
        countsInAverage: true,
        number: null,
        enteredAt: null,
      };
      await upsertRecords(tx, 'marks', [mark], ctx);
      const entry: AttendanceRecord = {
        id: 'L1:S1',
        lessonId: 'L1',
        studentId: 'S1',
        classId: GROUP,
        subjectId: '42',
        status: 'Absent',
        createdAt: null,
        comment: null,
      };
      await upsertRecords(tx, 'attendance', [entry], ctx);
    });
    const migration = new SubgroupLessons1763900000016();
    const qr = m.dataSource.createQueryRunner();
    try {
      // Back to the schema before 0016 (the rows above are as an older ezh wrote them), then up.
      await migration.down(qr);
      await migration.up(qr);
    } finally {
      await qr.release();
    }

    const lessons = await m.db.query<{ id: string; class_id: string; group_id: string | null }>(
      'SELECT id, class_id, group_id FROM lessons ORDER BY id',
    );
    expect(lessons).toEqual([
      { id: 'L1', class_id: CLASS, group_id: GROUP },
      { id: 'L2', class_id: CLASS, group_id: null },
    ]);
    for (const table of ['works', 'marks', 'attendance']) {
      const rows = await m.db.query<{ class_id: string }>(`SELECT class_id FROM ${table}`);
      expect(rows, table).toEqual([{ class_id: CLASS }]);
    }
  });
});
