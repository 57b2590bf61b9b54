import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Config } from '../../src/config/schema.js';
import type { SandboxServer } from '../../src/sandbox/index.js';
import { startSandbox } from '../../src/sandbox/index.js';
import { createTestMirror, type TestMirror } from '../helpers/mirrors.js';
import { sandboxConfig, syncSandboxSchool } from '../helpers/sandbox-sync.js';
import type { SyncOptions } from '../../src/sync/request.js';

const HOUR = 3_600_000;

/**
 * Issue 24 §2: a daytime (hourly) run reads the current week only, at 2 requests per class and
 * one attendance call per 60 lessons of the school's week, and brings the entries of the last
 * hour; on a day without changes it rewrites nothing.
 */
describe('daytime sync on the sandbox', () => {
  let sb: SandboxServer;
  let m: TestMirror;
  let config: Config;
  const school = () => sb.schools[0]!;
  const sync = (options: SyncOptions = {}) =>
    syncSandboxSchool(m.db, config, sb.clock, school().id, options);

  beforeAll(async () => {
    sb = await startSandbox({ size: 'small', seed: 2 });
    m = await createTestMirror('sqlite');
    config = sandboxConfig(sb);
    expect((await sync()).status).toBe('succeeded');
  });
  afterAll(async () => {
    await m?.dispose();
    await sb?.close();
  });

  it("reads the current week's lessons, marks and attendance only, and brings the last hour's marks", async () => {
    const classes = sb.sandbox.schools[0]!.classes;
    // Monday 07:00 → 11:00: the morning's lessons are in; a mark set now for one of them.
    sb.advance(4 * HOUR);
    const cls = classes[0]!;
    const lesson = sb.sandbox
      .journal(cls.id)
      .lessons.filter((l) => l.dayStart <= sb.now() && l.dayStart > sb.now() - 12 * HOUR)[0]!;
    const student = cls.students.find((s) => s.leaveDay === null)!;
    const markId = sb.enterMark(lesson.id, student.id, '5');

    const before = sb.requestCount();
    const run = await sync({ currentWeek: true });
    expect(run.status).toBe('succeeded');
    // Lessons and marks per class, and one attendance call for every class's morning lessons
    // (fewer than 60): no roster, no older week.
    expect(sb.requestCount() - before).toBe(2 * classes.length + 1);
    expect(run.scopesTotal).toBe(3 * classes.length);
    // Every class's attendance of the morning came, the classes that rode along included.
    const weekStart = new Date(sb.now() - 4 * HOUR).toISOString().slice(0, 10);
    for (const c of classes) {
      const [row] = await m.db.query<{ n: number }>(
        `SELECT count(*) AS n FROM attendance a JOIN lessons l ON l.id = a.lesson_id
          WHERE a.class_id = ? AND l.date >= ? AND a.deleted_at IS NULL`,
        [c.id, weekStart],
      );
      expect(Number(row!.n)).toBeGreaterThan(0);
    }
    const seen = await m.db.query<{ id: string }>('SELECT id FROM marks WHERE id = ?', [markId]);
    expect(seen).toHaveLength(1);

    // Again with nothing changed on the platform: the same calls, nothing rewritten.
    const quiet = await sync({ currentWeek: true });
    const written = quiet.streams.reduce((n, s) => n + s.inserted + s.changed + s.deleted, 0);
    expect(written).toBe(0);
    expect(quiet.requests).toBe(2 * classes.length + 1);
  });
});
