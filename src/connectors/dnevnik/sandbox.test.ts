import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type SandboxServer } from '../../sandbox/index.js';
import type { Connector } from '../connector.js';
import { RateLimiterRegistry } from '../_shared/rate-limiter.js';
import { createDnevnikConnector } from './dnevnik.connector.js';

/** The connector against the sandbox platform: both were built from the same API reference. */
describe('Dnevnik connector on the sandbox platform', () => {
  let sb: SandboxServer;
  let connector: Connector;
  let schoolId: string;

  beforeAll(async () => {
    sb = await startSandbox({ size: 'small', seed: 1, port: 0 });
    const school = sb.schools[0];
    if (!school) throw new Error('the sandbox has no school');
    schoolId = school.id;
    connector = createDnevnikConnector(
      {
        baseUrl: sb.url,
        token: school.token,
        requestsPerSecond: 100,
        concurrency: 4,
        timeoutMs: 10_000,
        maxRetries: 2,
      },
      { limiters: new RateLimiterRegistry() },
    );
  });
  afterAll(async () => {
    await connector?.close();
    await sb?.close();
  });

  it('fetches a class and a week of its journal without quarantine', async () => {
    const school = await connector.fetch(
      ['schools', 'classes', 'persons', 'subjects', 'workTypes'],
      { schoolId },
    );
    expect(school.quarantined).toEqual([]);
    expect(school.records.schools[0]?.id).toBe(schoolId);
    const cls = school.records.classes.find(
      (c) => c.kind === 'class' && c.grade !== null && c.grade >= 2,
    );
    expect(cls).toBeDefined();
    const classId = cls!.id;

    const klass = await connector.fetch(
      ['persons', 'enrollments', 'teacherAssignments', 'reportingPeriods', 'finalMarks'],
      { schoolId, classId },
    );
    expect(klass.quarantined).toEqual([]);
    expect(klass.records.persons.length).toBeGreaterThan(0);
    expect(klass.records.teacherAssignments).toHaveLength(1);
    expect(klass.records.reportingPeriods.length).toBeGreaterThan(0);

    // The week before the sandbox's start (T0 of the small school is 2026-11-09).
    const window = { schoolId, classId, from: '2026-11-02', to: '2026-11-08' };
    const week = await connector.fetch(['lessons', 'works', 'marks', 'attendance'], window);
    expect(week.quarantined).toEqual([]);
    expect(week.complete).toBe(true);
    expect(week.records.lessons.length).toBeGreaterThan(0);
    expect(week.records.works.some((w) => w.type === 'Homework')).toBe(true);
    expect(week.records.marks.length).toBeGreaterThan(0);
    expect(week.records.marks.every((m) => m.subjectId !== null)).toBe(true);
    // Lessons, marks, and one attendance call for the week's lessons: nothing per student or
    // per subject.
    expect(week.stats.requests).toBe(3);
    expect(week.records.attendance.length).toBeGreaterThan(0);
    const ids = new Set(week.records.lessons.map((l) => l.id));
    expect(week.records.attendance.every((a) => ids.has(a.lessonId))).toBe(true);
  });
});

describe("several classes' attendance in one call (issue 24: merged per-class calls)", () => {
  let sb: SandboxServer;
  beforeAll(async () => {
    sb = await startSandbox({ size: 'small', seed: 1, port: 0 });
  });
  afterAll(async () => {
    await sb?.close();
  });

  const make = () =>
    createDnevnikConnector(
      {
        baseUrl: sb.url,
        token: sb.schools[0]!.token,
        requestsPerSecond: 100,
        concurrency: 4,
        timeoutMs: 10_000,
        maxRetries: 2,
      },
      { limiters: new RateLimiterRegistry() },
    );

  it("reads the attendance of classes whose lessons it just read in calls of 60 lessons, each class's entries its own", async () => {
    const schoolId = sb.schools[0]!.id;
    const c = make();
    const fresh = make();
    try {
      const school = await c.fetch(['classes'], { schoolId });
      const classIds = school.records.classes
        .filter((k) => k.kind === 'class' && k.grade !== null && k.grade >= 2)
        .map((k) => k.id)
        .slice(0, 3);
      expect(classIds).toHaveLength(3);
      // A week of three classes: more lessons than one call takes, fewer than one call each.
      const window = { from: '2026-11-02', to: '2026-11-08' };
      const lessons = [];
      for (const classId of classIds) {
        lessons.push(await c.fetch(['lessons', 'works'], { schoolId, classId, ...window }));
      }
      const total = lessons.reduce((n, l) => n + l.records.lessons.length, 0);
      expect(lessons.every((l) => l.records.lessons.length > 0)).toBe(true);
      expect(Math.ceil(total / 60)).toBeLessThan(3);
      // Two classes' fetches at once (two scope groups of a run): the lessons are asked once.
      const at = (classId: string) => c.fetch(['attendance'], { schoolId, classId, ...window });
      const got = [
        ...(await Promise.all([at(classIds[0]!), at(classIds[1]!)])),
        await at(classIds[2]!),
      ];
      // Each of the two asks for itself (both took their lessons before either call went out);
      // the third class rides with one of them, claimed before its call was sent.
      expect(got.reduce((n, g) => n + g.stats.requests, 0)).toBeLessThanOrEqual(2);
      expect(got[2]!.stats.requests).toBe(0);
      const byId = (a: { id: string }, b: { id: string }) => (a.id < b.id ? -1 : 1);
      for (const [i, classId] of classIds.entries()) {
        // The same entries as the class's own call, and none of another class's.
        const alone = await fresh.fetch(['attendance'], { schoolId, classId, ...window });
        expect(got[i]!.complete).toBe(true);
        expect(got[i]!.records.attendance.length).toBeGreaterThan(0);
        expect([...got[i]!.records.attendance].sort(byId)).toEqual(
          [...alone.records.attendance].sort(byId),
        );
      }
    } finally {
      await c.close();
      await fresh.close();
    }
  });
});
