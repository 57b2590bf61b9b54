import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type {
  AttendanceRecord,
  LessonRecord,
  MarkRecord,
  PersonRecord,
} from '../connectors/records.js';
import { createTestMirror, ENGINES, type TestMirror } from '../../test/helpers/mirrors.js';
import { upsertRecords, type WriteContext } from './mirror-writer.js';
import type { SqlExecutor } from './sql.js';
import { deleteMissing, deleteRows, findMissing } from './scope-deletion.js';

const BIG_ID = '1847814077665489232';

/**
 * A mark of the lesson `L<class>-<date>` (the platform windows marks by their lesson's date, so
 * deletions are inferred through lessons: `putMarks` writes each mark's lesson first).
 */
function mark(
  id: string,
  value: string,
  date = '2026-10-05T09:00:00',
  classId = BIG_ID,
): MarkRecord {
  return {
    id,
    classId,
    lessonId: `L${classId}-${date.slice(0, 10)}`,
    workId: '9007199254740993',
    studentId: '1000000000001',
    subjectId: '42',
    value,
    markSystem: 'mark5',
    mood: 'Good',
    workTypeId: '7',
    countsInAverage: true,
    number: 1,
    enteredAt: null,
  };
}

function lessonOf(m: MarkRecord): LessonRecord {
  return {
    id: m.lessonId!,
    classId: m.classId,
    groupId: null,
    subjectId: '42',
    date: m.lessonId!.slice(-10),
    startsAt: null,
    number: 1,
    topic: null,
    status: null,
    teacherIds: [],
  };
}

async function putMarks(tx: SqlExecutor, marks: MarkRecord[], c: WriteContext) {
  const lessons = new Map(marks.map((x) => [x.lessonId, lessonOf(x)]));
  await upsertRecords(tx, 'lessons', [...lessons.values()], c);
  return upsertRecords(tx, 'marks', marks, c);
}

const ctx = (observedAt: number): WriteContext => ({
  source: 'dnevnik',
  schoolId: '1000002283077',
  zone: 'Europe/Moscow',
  observedAt,
  syncRunId: 'run-1',
});
const guard = { maxShare: 0.2, minRows: 5 };

describe.each(ENGINES)('mirror writer on %s', (engine) => {
  let m: TestMirror;
  beforeAll(async () => {
    m = await createTestMirror(engine);
  });
  afterAll(async () => {
    await m?.dispose();
  });

  const versions = (id: string) =>
    m.db.query<{ version: number; change_kind: string; payload: string; observed_at: number }>(
      `SELECT version, change_kind, payload, observed_at FROM record_versions WHERE entity = 'marks' AND record_id = ? ORDER BY version`,
      [id],
    );
  const row = async (id: string) =>
    (await m.db.query<Record<string, unknown>>(`SELECT * FROM marks WHERE id = ?`, [id]))[0];

  it('keeps int64 ids exactly and writes version 1 on insert', async () => {
    const counts = await m.db.transaction((tx) => putMarks(tx, [mark(BIG_ID, '5')], ctx(1000)));
    expect(counts).toEqual({ inserted: 1, changed: 0, unchanged: 0, restored: 0 });
    const r = await row(BIG_ID);
    expect(r?.id).toBe(BIG_ID);
    expect(r?.class_id).toBe(BIG_ID);
    expect(r?.lesson_id).toBe(`L${BIG_ID}-2026-10-05`);
    expect(r?.work_id).toBe('9007199254740993');
    expect(r?.first_seen_at).toBe(1000);
    const v = await versions(BIG_ID);
    expect(v.map((x) => [x.version, x.change_kind])).toEqual([[1, 'insert']]);
    expect(JSON.parse(v[0]!.payload).id).toBe(BIG_ID);
  });

  it('writes no version for the same payload, but moves last_seen_at', async () => {
    const counts = await m.db.transaction((tx) => putMarks(tx, [mark(BIG_ID, '5')], ctx(2000)));
    expect(counts.unchanged).toBe(1);
    expect((await versions(BIG_ID)).length).toBe(1);
    const r = await row(BIG_ID);
    expect(r?.last_seen_at).toBe(2000);
    expect(r?.first_seen_at).toBe(1000);
  });

  it('writes version 2 with the new payload on a real change', async () => {
    const counts = await m.db.transaction((tx) => putMarks(tx, [mark(BIG_ID, '3')], ctx(3000)));
    expect(counts.changed).toBe(1);
    const v = await versions(BIG_ID);
    expect(v.map((x) => [x.version, x.change_kind])).toEqual([
      [1, 'insert'],
      [2, 'update'],
    ]);
    expect(JSON.parse(v[1]!.payload).value).toBe('3');
    expect((await row(BIG_ID))?.value).toBe('3');
  });

  it('marks rows missing from a complete scope fetch as deleted, with a version', async () => {
    const other = '1847814077665489233';
    await m.db.transaction((tx) => putMarks(tx, [mark(other, '4')], ctx(3500)));
    const res = await m.db.transaction((tx) =>
      deleteMissing(
        tx,
        'marks',
        { classId: BIG_ID, from: '2026-10-01', to: '2026-10-07' },
        new Set([other]),
        ctx(4000),
        guard,
      ),
    );
    expect(res).toMatchObject({ live: 2, missing: 1, deleted: 1, refused: false });
    const v = await versions(BIG_ID);
    expect(v.at(-1)).toMatchObject({ version: 3, change_kind: 'delete', observed_at: 4000 });
    expect(JSON.parse(v.at(-1)!.payload).value).toBe('3');
    expect((await row(BIG_ID))?.deleted_at).toBe(4000);
    expect((await row(other))?.deleted_at).toBeNull();
  });

  it('restores a deleted row that comes back, as a new version', async () => {
    const counts = await m.db.transaction((tx) => putMarks(tx, [mark(BIG_ID, '3')], ctx(5000)));
    expect(counts).toMatchObject({ changed: 1, restored: 1 });
    expect((await versions(BIG_ID)).at(-1)).toMatchObject({ version: 4, change_kind: 'restore' });
    expect((await row(BIG_ID))?.deleted_at).toBeNull();
  });

  it('leaves rows outside the scope window alone', async () => {
    const outside = '555';
    await m.db.transaction((tx) =>
      putMarks(tx, [mark(outside, '5', '2026-11-20T10:00:00')], ctx(6000)),
    );
    const res = await m.db.transaction((tx) =>
      deleteMissing(
        tx,
        'marks',
        { classId: BIG_ID, from: '2026-10-01', to: '2026-10-07' },
        new Set([BIG_ID, '1847814077665489233']),
        ctx(6000),
        guard,
      ),
    );
    expect(res.deleted).toBe(0);
    expect((await row(outside))?.deleted_at).toBeNull();
  });

  it('refuses a mass deletion and leaves the mirror untouched', async () => {
    const many = Array.from({ length: 20 }, (_, i) => mark(`9${i}`, '4', '2026-09-10T10:00:00'));
    await m.db.transaction((tx) => putMarks(tx, many, ctx(7000)));
    const keep = new Set(many.slice(0, 10).map((r) => r.id));
    const res = await m.db.transaction((tx) =>
      deleteMissing(
        tx,
        'marks',
        { classId: BIG_ID, from: '2026-09-10', to: '2026-09-10' },
        keep,
        ctx(8000),
        guard,
      ),
    );
    expect(res).toMatchObject({ live: 20, missing: 10, deleted: 0, refused: true });
    const live = await m.db.query<{ n: number }>(
      `SELECT count(*) AS n FROM marks WHERE lesson_id = 'L${BIG_ID}-2026-09-10' AND deleted_at IS NULL`,
    );
    expect(Number(live[0]!.n)).toBe(20);
  });

  it('rolls back rows and versions together when the transaction fails', async () => {
    await expect(
      m.db.transaction(async (tx) => {
        await putMarks(tx, [mark('777', '5')], ctx(9000));
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect(await row('777')).toBeUndefined();
    expect(await versions('777')).toEqual([]);
  });

  it('keeps only the names of a person without consent', async () => {
    const person: PersonRecord = {
      id: '1000000000009',
      schoolId: '1000002283077',
      role: 'student',
      lastName: 'Иванова',
      firstName: 'Мария',
      middleName: 'Петровна',
      fullName: 'Иванова Мария Петровна',
      consent: null,
      userId: '1000000000109',
      sex: 'Female',
      birthday: '2015-03-01',
      email: 'maria@example.ru',
      phone: '+7 912 345-67-89',
    };
    await m.db.transaction((tx) => upsertRecords(tx, 'persons', [person], ctx(10_000)));
    const r = (
      await m.db.query<Record<string, unknown>>(`SELECT * FROM persons WHERE id = ?`, [person.id])
    )[0];
    expect(r).toMatchObject({
      full_name: 'Иванова Мария Петровна',
      consent: 0,
      email: null,
      phone: null,
      birthday: null,
      sex: null,
    });
    const payload = (
      await m.db.query<{ payload: string }>(
        `SELECT payload FROM record_versions WHERE record_id = ?`,
        [person.id],
      )
    )[0]!.payload;
    expect(payload).not.toContain('maria@example.ru');
    expect(payload).not.toContain('2015-03-01');
  });

  it('reads the rows to delete before the write, and counts the guard after it', async () => {
    const cls = '1847814077665400001';
    const day = (d: number) => `2026-11-${String(d).padStart(2, '0')}T09:00:00`;
    const old = Array.from({ length: 6 }, (_, i) => mark(`61${i}`, '4', day(2), cls));
    await m.db.transaction((tx) => putMarks(tx, old, ctx(20_000)));
    // The platform now sends two of the six and eight new ones (6 missing of 14 live: 43 %).
    const fetched = [
      ...old.slice(0, 2),
      ...Array.from({ length: 8 }, (_, i) => mark(`62${i}`, '5', day(3), cls)),
    ];
    const scope = { classId: cls, from: '2026-11-01', to: '2026-11-07' };
    const res = await m.db.transaction(async (tx) => {
      const seen = new Set(fetched.map((r) => r.id));
      const missing = await findMissing(tx, 'marks', scope, seen, ctx(21_000));
      expect(missing?.before).toBe(6);
      expect(missing?.rows.map((r) => r.id).sort()).toEqual(old.slice(2).map((r) => r.id));
      await putMarks(tx, fetched, ctx(21_000));
      return deleteRows(tx, missing!, ctx(21_000), { maxShare: 0.5, minRows: 1 });
    });
    expect(res).toMatchObject({ live: 10 + 4, missing: 4, deleted: 4, refused: false });
    const left = await m.db.query<{ id: string }>(
      'SELECT id FROM marks WHERE class_id = ? AND deleted_at IS NULL ORDER BY id',
      [cls],
    );
    expect(left.map((r) => r.id)).toEqual(fetched.map((r) => r.id).sort());
  });

  it('infers deletions of attendance through the lessons of the window only', async () => {
    const cls = '1847814077665400002';
    const lesson = (id: string, date: string): LessonRecord => ({
      id,
      classId: cls,
      groupId: null,
      subjectId: '42',
      date,
      startsAt: null,
      number: 1,
      topic: null,
      status: null,
      teacherIds: [],
    });
    const entry = (lessonId: string, student: string, classId = cls): AttendanceRecord => ({
      id: `${lessonId}:${student}`,
      lessonId,
      studentId: student,
      classId,
      subjectId: '42',
      status: 'Absent',
      createdAt: null,
      comment: null,
    });
    await m.db.transaction(async (tx) => {
      await upsertRecords(
        tx,
        'lessons',
        [lesson('701', '2026-12-01'), lesson('702', '2026-12-02'), lesson('703', '2026-12-20')],
        ctx(30_000),
      );
      await upsertRecords(
        tx,
        'attendance',
        [
          entry('701', 's1'),
          entry('701', 's2'),
          entry('702', 's1'),
          entry('703', 's1'), // a lesson outside the window
          entry('702', 's9', '1847814077665400003'), // the same lesson, listed for another class
        ],
        ctx(30_000),
      );
    });
    const seen = new Set([entry('701', 's1').id]);
    const res = await m.db.transaction((tx) =>
      deleteMissing(
        tx,
        'attendance',
        { classId: cls, from: '2026-12-01', to: '2026-12-07' },
        seen,
        ctx(31_000),
        { maxShare: 1, minRows: 1 },
      ),
    );
    expect(res).toMatchObject({ live: 3, missing: 2, deleted: 2 });
    const live = await m.db.query<{ id: string }>(
      'SELECT id FROM attendance WHERE deleted_at IS NULL ORDER BY id',
    );
    expect(live.map((r) => r.id)).toEqual(['701:s1', '702:s9', '703:s1']);
  });
});
