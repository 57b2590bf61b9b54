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
  SCHOOL_ID,
  TOKEN,
  WINDOW,
  fixture,
} from '../../../test/fixtures/http/dnevnik/fixture-school.js';
import { createDnevnikConnector } from './dnevnik.connector.js';

/**
 * Mark variety as the platform sends it (reference §2.1, §7; issue 17 item 5), through the real
 * connector mapping: several marks on one work, «н/а» and «осв», `textValue` beside `value`,
 * 10-point and pass/fail systems, final marks without a reporting period and on `Exam` and
 * `PeriodFinalMark` works, lessons with two teachers.
 */

const settings: ConnectorSettings = {
  baseUrl: BASE_URL,
  token: TOKEN,
  requestsPerSecond: 50,
  concurrency: 4,
  timeoutMs: 2000,
  maxRetries: 2,
};

function connector() {
  const time = new FakeTiming();
  return createDnevnikConnector(settings, {
    timing: time,
    limiters: new RateLimiterRegistry(time),
  });
}

const json = { 'Content-Type': 'application/json' };
const classScope = { schoolId: SCHOOL_ID, classId: CLASS_ID };
const windowScope = { ...classScope, ...WINDOW };
const g = `/v2/edu-groups/${CLASS_ID}`;

function mark(id: number, fields: Record<string, unknown>) {
  return {
    id,
    id_str: String(id),
    person: 1000006000001,
    person_str: '1000006000001',
    work: 1847814077665493,
    work_str: '1847814077665493',
    lesson: 1847814077665491,
    lesson_str: '1847814077665491',
    date: '2026-09-07T14:12:33.417',
    workType: 5000001,
    ...fields,
  };
}

beforeAll(() => nock.disableNetConnect());
afterEach(() => nock.cleanAll());
afterAll(() => nock.enableNetConnect());

describe('Dnevnik connector: mark variety', () => {
  it('keeps every mark of a work, the number a five-point value and the text of «н/а», «осв», «зач»', async () => {
    const reply = [
      mark(1, { type: 'Mark5', value: '5', textValue: '5', number: 1 }),
      mark(2, { type: 'Mark5', value: '4', textValue: '4-', number: 2 }),
      mark(3, {
        type: 'MarkNA',
        value: '0',
        textValue: 'н/а',
        person: 1000006000002,
        person_str: '1000006000002',
      }),
      mark(4, {
        type: 'markdismiss',
        value: '',
        textValue: 'осв',
        person: 1000006000003,
        person_str: '1000006000003',
      }),
      mark(5, { type: 'Test', value: '1', textValue: 'зач', work: 7, work_str: '7' }),
      mark(6, { type: 'Mark10', value: '8', textValue: '8', work: 8, work_str: '8' }),
    ];
    nock(API_ORIGIN).get(`${g}/marks/${WINDOW.from}/${WINDOW.to}`).reply(200, reply, json);
    const { records, quarantined } = await connector().fetch(['marks'], windowScope);
    expect(quarantined).toEqual([]);
    expect(records.marks.map((m) => [m.id, m.workId, m.number, m.markSystem, m.value])).toEqual([
      ['1', '1847814077665493', 1, 'mark5', '5'],
      ['2', '1847814077665493', 2, 'mark5', '4'],
      ['3', '1847814077665493', null, 'markna', 'н/а'],
      ['4', '1847814077665493', null, 'markdismiss', 'осв'],
      ['5', '7', null, 'test', 'зач'],
      ['6', '8', null, 'mark10', '8'],
    ]);
  });

  it('keeps a final mark without a reporting period as a year mark, and an Exam work’s as an exam mark', async () => {
    const bundle = {
      marks: [
        mark(11, {
          type: 'Mark5',
          value: '5',
          work: 21,
          work_str: '21',
          lesson: null,
          lesson_str: null,
        }),
        mark(12, {
          type: 'Mark5',
          value: '4',
          work: 22,
          work_str: '22',
          lesson: null,
          lesson_str: null,
        }),
        mark(13, {
          type: 'MarkNA',
          value: '0',
          textValue: 'н/а',
          work: 23,
          work_str: '23',
          lesson: null,
          lesson_str: null,
        }),
      ],
      works: [
        {
          id: 21,
          id_str: '21',
          type: 'PeriodFinalMark',
          subjectId: Number(MATH),
          subjectId_str: MATH,
          periodType: null,
        },
        { id: 22, id_str: '22', type: 'Exam', subjectId: Number(MATH), subjectId_str: MATH },
        {
          id: 23,
          id_str: '23',
          type: 'PeriodMark',
          subjectId: Number(MATH),
          subjectId_str: MATH,
          periodNumber: 1,
          periodType: 'Quarter',
        },
      ],
    };
    nock(API_ORIGIN)
      .get(`${g}/reporting-periods`)
      .reply(200, fixture('reporting-periods.json'), json)
      .get(`${g}/final-marks`)
      .reply(200, bundle, json);
    const bundled = await connector().fetch(['finalMarks'], classScope);
    expect(bundled.quarantined).toEqual([]);
    expect(
      bundled.records.finalMarks.map((f) => [
        f.id,
        f.periodId,
        f.periodType,
        f.markSystem,
        f.value,
      ]),
    ).toEqual([
      ['11', null, 'year', 'mark5', '5'],
      ['12', null, 'exam', 'mark5', '4'],
      ['13', '1847814077665481001', 'quarter', 'markna', 'н/а'],
    ]);

    nock.cleanAll();
    const perStudent = [
      {
        person: 1000006000001,
        person_str: '1000006000001',
        reportingPeriod: null,
        'per-subject-final-marks': [
          {
            subject: Number(MATH),
            subject_str: MATH,
            'final-mark': mark(14, { type: 'Mark5', value: '5', work: null, work_str: null }),
          },
        ],
      },
    ];
    nock(API_ORIGIN)
      .get(`${g}/reporting-periods`)
      .reply(200, fixture('reporting-periods.json'), json)
      .get(`${g}/final-marks`)
      .reply(200, perStudent, json);
    const listed = await connector().fetch(['finalMarks'], classScope);
    expect(listed.quarantined).toEqual([]);
    expect(listed.records.finalMarks.map((f) => [f.id, f.periodId, f.periodType])).toEqual([
      ['14', null, 'year'],
    ]);
  });

  it('keeps every teacher of a lesson taught by two', async () => {
    const lessons = JSON.parse(fixture('lessons.json')) as Record<string, unknown>[];
    lessons[0] = {
      ...lessons[0],
      teachers: [1000007000001, 1000007000002],
      teachers_str: ['1000007000001', '1000007000002'],
    };
    nock(API_ORIGIN).get(`${g}/lessons/${WINDOW.from}/${WINDOW.to}`).reply(200, lessons, json);
    const { records } = await connector().fetch(['lessons'], windowScope);
    expect(records.lessons[0]?.teacherIds).toEqual(['1000007000001', '1000007000002']);
  });
});
