import nock from 'nock';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { DnevnikClientSettings as ConnectorSettings } from './settings.js';
import { RateLimiterRegistry } from '../_shared/rate-limiter.js';
import { FakeTiming } from '../_shared/timing.js';
import {
  API_ORIGIN,
  BASE_URL,
  CLASS_ID,
  MATH,
  RUSSIAN,
  SCHOOL_ID,
  TOKEN,
  WINDOW,
  WINDOW_LESSONS,
  attendanceOfLessons,
  fixture,
  lessonsQuery,
  mockFixtureSchool,
} from '../../../test/fixtures/http/dnevnik/fixture-school.js';
import { createDnevnikConnector } from './dnevnik.connector.js';

const settings: ConnectorSettings = {
  baseUrl: BASE_URL,
  token: TOKEN,
  requestsPerSecond: 50,
  concurrency: 4,
  timeoutMs: 2000,
  maxRetries: 2,
};

function connector(extra: Partial<ConnectorSettings> = {}) {
  const time = new FakeTiming();
  return createDnevnikConnector(
    { ...settings, ...extra },
    {
      timing: time,
      limiters: new RateLimiterRegistry(time),
    },
  );
}

const json = { 'Content-Type': 'application/json' };
const classScope = { schoolId: SCHOOL_ID, classId: CLASS_ID };
const windowScope = { ...classScope, ...WINDOW };

beforeAll(() => nock.disableNetConnect());
afterEach(() => nock.cleanAll());
afterAll(() => nock.enableNetConnect());

describe('Dnevnik connector', () => {
  it('maps a recorded lessons reply to the expected lessons and works (golden)', async () => {
    nock(API_ORIGIN)
      .get(`/v2/edu-groups/${CLASS_ID}/lessons/${WINDOW.from}/${WINDOW.to}`)
      .reply(200, fixture('lessons.json'), json);
    const result = await connector().fetch(['lessons', 'works'], windowScope);
    const expected = JSON.parse(fixture('lessons.expected.json')) as unknown;
    expect(result.records).toEqual(expected);
    expect(result.quarantined).toEqual([]);
    expect(result.complete).toBe(true);
    expect(result.stats).toEqual({ requests: 1, retries: 0 });
  });

  it('maps both final-mark reply shapes to the same records', async () => {
    mockFixtureSchool({ finalMarks: 'per-student' });
    const perStudent = await connector().fetch(['finalMarks'], classScope);
    nock.cleanAll();
    mockFixtureSchool({ finalMarks: 'bundle' });
    const bundle = await connector().fetch(['finalMarks'], classScope);

    const byId = (a: { id: string }, b: { id: string }) => a.id.localeCompare(b.id);
    expect(perStudent.records.finalMarks.sort(byId)).toEqual(bundle.records.finalMarks.sort(byId));
    expect(perStudent.records.finalMarks).toEqual([
      {
        id: '1847814077665482001',
        studentId: '1000006000001',
        classId: CLASS_ID,
        subjectId: MATH,
        periodId: '1847814077665481001',
        periodType: 'quarter',
        periodNumber: 1,
        value: '5',
        markSystem: 'mark5',
        date: '2026-10-24T00:00:00',
        workId: '1847814077665483001',
      },
      expect.objectContaining({
        id: '1847814077665482002',
        studentId: '1000006000002',
        value: '4',
      }),
    ]);
    expect(perStudent.complete && bundle.complete).toBe(true);
  });

  it('quarantines a malformed record with the reason and returns the rest', async () => {
    // The second mark loses its student: it must be quarantined, the others kept.
    const marks = fixture('marks.json').replace(
      /"person":\s*1000006000002,\s*"person_str":\s*"1000006000002",/,
      '',
    );
    nock(API_ORIGIN)
      .get(`/v2/edu-groups/${CLASS_ID}/marks/${WINDOW.from}/${WINDOW.to}`)
      .reply(200, marks, json);
    const result = await connector().fetch(['marks'], windowScope);
    expect(result.records.marks.map((m) => m.id)).toEqual([
      '1847814077665492001',
      '1847814077665492003',
    ]);
    expect(result.quarantined).toHaveLength(1);
    expect(result.quarantined[0]).toMatchObject({
      stream: 'marks',
      ref: '1847814077665492002',
      reason: expect.stringMatching(/^person: is required/) as unknown,
      payload: expect.objectContaining({ id: '1847814077665492002', value: '2' }) as unknown,
    });
  });

  const lateEntry = {
    id: '1847814077665490003:1000006000001',
    lessonId: '1847814077665490003',
    studentId: '1000006000001',
    classId: CLASS_ID,
    subjectId: MATH,
    status: 'Late',
    // `createdDate` is UTC on the platform (reference §7), whatever the school's zone.
    createdAt: '2026-09-09T08:45:00.000Z',
    comment: 'опоздал на 10 минут',
  };

  it("fetches a window's attendance in one call by the ids of its lessons, without returning the lessons", async () => {
    const api = nock(API_ORIGIN)
      .get(`/v2/edu-groups/${CLASS_ID}/lessons/${WINDOW.from}/${WINDOW.to}`)
      .reply(200, fixture('lessons.json'), json)
      .get('/v2/lesson-log-entries')
      .query(lessonsQuery(WINDOW_LESSONS))
      .reply(200, attendanceOfLessons(), json);
    const result = await connector().fetch(['attendance'], windowScope);
    expect(Object.keys(result.records)).toEqual(['attendance']);
    // The subject comes from the entry's lesson, as the per-subject call named it.
    expect(result.records.attendance).toContainEqual(lateEntry);
    expect(result.records.attendance).toHaveLength(3);
    expect(result.stats.requests).toBe(2);
    expect(api.isDone()).toBe(true);
  });

  it('reads the attendance of a window whose lessons it just read with one call, not two', async () => {
    const api = nock(API_ORIGIN)
      .get(`/v2/edu-groups/${CLASS_ID}/lessons/${WINDOW.from}/${WINDOW.to}`)
      .reply(200, fixture('lessons.json'), json)
      .get('/v2/lesson-log-entries')
      .query(lessonsQuery(WINDOW_LESSONS))
      .reply(200, attendanceOfLessons(), json);
    const c = connector();
    const lessons = await c.fetch(['lessons', 'works'], windowScope);
    const attendance = await c.fetch(['attendance'], windowScope);
    expect(lessons.stats.requests + attendance.stats.requests).toBe(2);
    expect(attendance.records.attendance).toContainEqual(lateEntry);
    expect(attendance.complete).toBe(true);
    expect(api.isDone()).toBe(true);
  });

  it('falls back to one call per subject when the platform refuses attendance by lesson ids', async () => {
    const lessonsReply = () =>
      nock(API_ORIGIN)
        .get(`/v2/edu-groups/${CLASS_ID}/lessons/${WINDOW.from}/${WINDOW.to}`)
        .reply(200, fixture('lessons.json'), json)
        .get(`/v2/lesson-log-entries/group/${CLASS_ID}`)
        .query({ subject: MATH, from: WINDOW.from, to: WINDOW.to })
        .reply(200, fixture('attendance-math.json'), json)
        .get(`/v2/lesson-log-entries/group/${CLASS_ID}`)
        .query({ subject: RUSSIAN, from: WINDOW.from, to: WINDOW.to })
        .reply(200, fixture('attendance-russian.json'), json);
    const refused = nock(API_ORIGIN).get('/v2/lesson-log-entries').query(true).reply(
      404,
      {
        type: 'apiResourceUnavailable',
        description: 'Resource lesson-log-entries is not available',
      },
      json,
    );
    const first = lessonsReply();
    const c = connector();
    const result = await c.fetch(['attendance'], windowScope);
    expect(result.records.attendance).toContainEqual(lateEntry);
    expect(result.records.attendance).toHaveLength(3);
    // Lessons, the refused call, one call per subject.
    expect(result.stats.requests).toBe(4);
    expect(refused.isDone() && first.isDone()).toBe(true);
    // The connector remembers the refusal: the next window goes per subject at once.
    const second = lessonsReply();
    const again = await c.fetch(['attendance'], windowScope);
    expect(again.stats.requests).toBe(3);
    expect(second.isDone()).toBe(true);
  });

  it('resolves a mark subject from its work, and leaves it null when unknown', async () => {
    nock(API_ORIGIN)
      .get(`/v2/edu-groups/${CLASS_ID}/lessons/${WINDOW.from}/${WINDOW.to}`)
      .reply(200, fixture('lessons.json'), json)
      .get(`/v2/edu-groups/${CLASS_ID}/marks/${WINDOW.from}/${WINDOW.to}`)
      .reply(200, fixture('marks.json'), json);
    const { records } = await connector().fetch(['lessons', 'marks'], windowScope);
    expect(records.marks.map((m) => [m.id, m.subjectId, m.countsInAverage, m.markSystem])).toEqual([
      ['1847814077665492001', MATH, true, 'mark5'],
      ['1847814077665492002', MATH, true, 'mark5'],
      ['1847814077665492003', null, false, 'mark5'],
    ]);
    // An id with no `_str` twin still comes through exactly (lossless parse).
    expect(records.marks[2]?.workId).toBe('9999999999999999999');
    // `Mark.date` is when the mark was set, read as UTC (fractions kept to the millisecond);
    // an explicit zone in the reply wins.
    expect(records.marks.map((m) => m.enteredAt)).toEqual([
      '2026-09-07T14:12:33.417Z',
      '2026-09-11T06:05:09.100Z',
      '2026-09-08T10:00:00.000Z',
    ]);
  });

  it('reads entry moments in the zone the platform setting names', async () => {
    nock(API_ORIGIN)
      .get(`/v2/edu-groups/${CLASS_ID}/marks/${WINDOW.from}/${WINDOW.to}`)
      .reply(200, fixture('marks.json'), json);
    const { records } = await connector({ entryTimeZone: 'Europe/Moscow' }).fetch(
      ['marks'],
      windowScope,
    );
    expect(records.marks.map((m) => m.enteredAt)).toEqual([
      '2026-09-07T11:12:33.417Z',
      '2026-09-11T03:05:09.100Z',
      '2026-09-08T10:00:00.000Z',
    ]);
  });

  it('reads students and their enrollment status, archived = listed only with includeArchive', async () => {
    mockFixtureSchool();
    const { records, stats } = await connector().fetch(['persons', 'enrollments'], classScope);
    expect(records.persons.map((p) => [p.id, p.role, p.fullName])).toEqual([
      ['1000006000001', 'student', 'Иванов Иван Петрович'],
      ['1000006000002', 'student', 'Кузнецова Мария Сергеевна'],
      ['1000006000003', 'student', 'Сидоров Пётр'],
    ]);
    expect(records.enrollments.map((e) => [e.id, e.status])).toEqual([
      [`${CLASS_ID}:1000006000001`, 'active'],
      [`${CLASS_ID}:1000006000002`, 'active'],
      [`${CLASS_ID}:1000006000003`, 'archived'],
    ]);
    expect(stats.requests).toBe(2);
  });

  it('uses the membership status when the platform gives one (one call)', async () => {
    const reply =
      '[{"id":1000006000001,"firstName":"Иван","lastName":"Иванов","membershipstatus":"Active"},' +
      '{"id":1000006000003,"firstName":"Пётр","lastName":"Сидоров","membershipstatus":"Archive"}]';
    nock(API_ORIGIN)
      .get(`/v2/edu-groups/${CLASS_ID}/persons`)
      .query({ includeArchive: 'true' })
      .reply(200, reply, json);
    const { records, stats } = await connector().fetch(['enrollments'], classScope);
    expect(records.enrollments.map((e) => e.status)).toEqual(['active', 'archived']);
    expect(stats.requests).toBe(1);
  });

  it('reads the school: time zone as UTC offset, teachers from PascalCase fields, class grade and letter', async () => {
    mockFixtureSchool();
    const { records } = await connector().fetch(
      ['schools', 'classes', 'persons', 'subjects', 'workTypes'],
      {
        schoolId: SCHOOL_ID,
      },
    );
    expect(records.schools[0]?.timeZone).toBe('UTC+3');
    expect(records.classes[0]).toMatchObject({
      id: CLASS_ID,
      grade: 5,
      letter: 'А',
      kind: 'class',
      studyYear: 2026,
    });
    expect(records.classes[1]).toMatchObject({
      kind: 'subgroup',
      grade: 5,
      letter: 'А',
      parentIds: [CLASS_ID],
    });
    expect(records.persons[0]).toMatchObject({
      id: '1000004000001',
      role: 'teacher',
      birthday: '1980-04-12',
    });
    expect(records.persons[1]).toMatchObject({
      id: '1000004000002',
      birthday: null,
      middleName: null,
    });
    expect(records.workTypes.find((w) => w.kind === 'PeriodMark')?.isFinal).toBe(true);
    expect(records.subjects.map((s) => s.id)).toEqual([MATH, RUSSIAN]);
  });

  it('stops a fetch on a permanent error without retrying', async () => {
    nock(API_ORIGIN)
      .get(`/v2/schools/${SCHOOL_ID}`)
      .reply(200, '{"type":"authorizationInvalidToken","description":"Invalid token"}', json);
    await expect(connector().fetch(['schools'], { schoolId: SCHOOL_ID })).rejects.toMatchObject({
      kind: 'auth',
      type: 'authorizationInvalidToken',
    });
  });

  it('refuses streams at the wrong scope level', async () => {
    await expect(connector().fetch(['lessons'], classScope)).rejects.toThrow(
      /lessons cannot be fetched at class level/,
    );
  });
});
