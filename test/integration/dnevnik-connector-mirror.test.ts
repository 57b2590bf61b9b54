import nock from 'nock';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  STREAM_SCOPES,
  type Connector,
  type FetchResult,
  type Scope,
  type StreamName,
} from '../../src/connectors/connector.js';
import { createConnector } from '../../src/connectors/registry.js';
import { RateLimiterRegistry } from '../../src/connectors/_shared/rate-limiter.js';
import { FakeTiming } from '../../src/connectors/_shared/timing.js';
import { upsertRecords, type WriteContext } from '../../src/mirror/mirror-writer.js';
import {
  BASE_URL,
  CLASS_ID,
  SCHOOL_ID,
  TOKEN,
  WINDOW,
  mockFixtureSchool,
} from '../fixtures/http/dnevnik/fixture-school.js';
import { createTestMirror, type TestMirror } from '../helpers/mirrors.js';

const streamsAt = (level: 'school' | 'class' | 'window') =>
  (Object.keys(STREAM_SCOPES) as StreamName[]).filter((s) => STREAM_SCOPES[s].includes(level));

describe('Dnevnik connector → mirror', () => {
  let mirror: TestMirror;
  let connector: Connector;

  beforeAll(async () => {
    nock.disableNetConnect();
    mirror = await createTestMirror('sqlite');
    const time = new FakeTiming();
    connector = createConnector(
      'dnevnik',
      {
        baseUrl: BASE_URL,
        token: TOKEN,
        requestsPerSecond: 50,
        concurrency: 4,
        timeoutMs: 5000,
        maxRetries: 2,
      },
      { timing: time, limiters: new RateLimiterRegistry(time) },
    );
  });
  afterAll(async () => {
    await connector?.close();
    await mirror?.dispose();
    nock.cleanAll();
    nock.enableNetConnect();
  });

  it('fetches every stream of the fixture school and stores it', async () => {
    const api = mockFixtureSchool();
    const scopes: [Scope, StreamName[]][] = [
      [{ schoolId: SCHOOL_ID }, streamsAt('school')],
      [{ schoolId: SCHOOL_ID, classId: CLASS_ID }, streamsAt('class')],
      [{ schoolId: SCHOOL_ID, classId: CLASS_ID, ...WINDOW }, streamsAt('window')],
    ];
    const results: FetchResult[] = [];
    for (const [scope, streams] of scopes) results.push(await connector.fetch(streams, scope));
    expect(api.isDone()).toBe(true);
    expect(results.every((r) => r.complete && r.quarantined.length === 0)).toBe(true);
    // 5 school calls, 4 class calls (+1 for enrollment status), 2 window calls + 1 for the
    // attendance of the window's lessons.
    expect(results.map((r) => r.stats.requests)).toEqual([5, 5, 3]);

    const ctx: WriteContext = {
      source: 'dnevnik',
      schoolId: SCHOOL_ID,
      zone: 'UTC+3',
      observedAt: 1_000,
      syncRunId: null,
    };
    await mirror.db.transaction(async (tx) => {
      for (const result of results) {
        for (const [stream, records] of Object.entries(result.records) as [StreamName, never[]][]) {
          await upsertRecords(tx, stream, records, ctx);
        }
      }
    });

    const count = async (table: string) =>
      Number((await mirror.db.query<{ n: number }>(`SELECT COUNT(*) AS n FROM ${table}`))[0]?.n);
    const counts: Record<string, number> = {};
    for (const table of [
      'schools',
      'classes',
      'persons',
      'enrollments',
      'subjects',
      'teacher_assignments',
      'reporting_periods',
      'work_types',
      'lessons',
      'works',
      'marks',
      'final_marks',
      'attendance',
    ]) {
      counts[table] = await count(table);
    }
    expect(counts).toEqual({
      schools: 1,
      classes: 2,
      persons: 5, // 2 teachers + 3 students
      enrollments: 3,
      subjects: 2,
      teacher_assignments: 1,
      reporting_periods: 2,
      work_types: 3,
      lessons: 3,
      works: 3,
      marks: 3,
      final_marks: 2,
      attendance: 3,
    });
    const [lesson] = await mirror.db.query<{ id: string; class_id: string }>(
      `SELECT id, class_id FROM lessons WHERE id = '1847814077665490003'`,
    );
    expect(lesson).toEqual({ id: '1847814077665490003', class_id: CLASS_ID });
  });
});
