import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SandboxServer } from '../../src/sandbox/index.js';
import { startSandbox } from '../../src/sandbox/index.js';
import { startHostileProxy, type HostileProxy } from '../faults/hostile-proxy.js';
import { createTestMirror, type TestMirror } from '../helpers/mirrors.js';
import { sandboxConfig, syncSandboxSchool } from '../helpers/sandbox-sync.js';

const HOUR = 3_600_000;

/**
 * A daytime run groups eight classes in one job (one attendance call serves them all). One class
 * the platform refuses for good (its lessons: 404, an error no retry fixes) must cost that class
 * its hour, not the seven others grouped with it.
 */
describe('daytime sync: one class refused for good', () => {
  let sb: SandboxServer;
  let proxy: HostileProxy;
  let m: TestMirror;

  beforeAll(async () => {
    sb = await startSandbox({ size: 'small', seed: 2 });
    m = await createTestMirror('sqlite');
    const direct = sandboxConfig(sb);
    expect((await syncSandboxSchool(m.db, direct, sb.clock, sb.schools[0]!.id)).status).toBe(
      'succeeded',
    );
    proxy = await startHostileProxy(sb.url);
  }, 120_000);
  afterAll(async () => {
    await proxy?.close();
    await m?.dispose();
    await sb?.close();
  });

  it("the other classes of its group still get the hour's marks", async () => {
    const classes = sb.sandbox.schools[0]!.classes;
    expect(classes.length).toBeGreaterThan(1);
    const [refused, ...others] = classes;
    sb.advance(4 * HOUR);
    // A mark in each other class, in a lesson of this morning.
    const marks: string[] = [];
    for (const cls of others) {
      const lesson = sb.sandbox
        .journal(cls.id)
        .lessons.filter((l) => l.dayStart <= sb.now() && l.dayStart > sb.now() - 12 * HOUR)[0];
      const student = cls.students.find((s) => s.leaveDay === null);
      if (lesson && student) marks.push(sb.enterMark(lesson.id, student.id, '4'));
    }
    expect(marks.length).toBeGreaterThan(0);
    proxy.arm({
      path: new RegExp(`^edu-groups/${refused!.id}/lessons/`),
      times: 1000,
      reply: {
        kind: 'reply',
        status: 404,
        body: JSON.stringify({ type: 'parameterInvalid', description: 'group not found' }),
      },
    });
    const config = sandboxConfig({ url: proxy.url, schools: sb.schools });
    const run = await syncSandboxSchool(m.db, config, sb.clock, sb.schools[0]!.id, {
      currentWeek: true,
    });
    expect(proxy.served()).toBeGreaterThan(0);
    expect(run.status).toBe('partial');
    const seen = await m.db.query<{ id: string }>(
      `SELECT id FROM marks WHERE id IN (${marks.map(() => '?').join(', ')})`,
      marks,
    );
    expect(seen.map((r) => r.id).sort()).toEqual([...marks].sort());
  });
});
