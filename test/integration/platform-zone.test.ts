import { systemClock } from '../../src/platform/clock.js';
import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runChecksForApp } from '../../src/app/checks-service.js';
import { KEY_PART_NAMES } from '../../src/checks/rule.js';
import type { App } from '../../src/cli/app.js';
import { createLogger } from '../../src/platform/logger.js';
import { startSandbox, type SandboxServer } from '../../src/sandbox/index.js';
import { createTestMirror, type TestMirror } from '../helpers/mirrors.js';
import { sandboxConfig, syncSandboxSchool } from '../helpers/sandbox-sync.js';

/**
 * A school in Yekaterinburg configured with only its id (issue 17 item 7): the first sync mirrors
 * the platform's zone (School.timeZone = 5), and from then on the sync writes lesson days and the
 * checks compute deadlines in UTC+5, so `ezh check` equals the sandbox's answer key for that
 * school. Before, the config's default (Moscow) put every deadline two hours late.
 */
describe('a school configured by id only, in UTC+5 on the platform', () => {
  let sb: SandboxServer;
  let m: TestMirror;
  let app: App;
  let schoolId: string;

  beforeAll(async () => {
    sb = await startSandbox({ size: 'small', seed: 1, port: 0, schools: 2 });
    const school = sb.schools[1]!;
    expect(school.timeZone).toBe('Asia/Yekaterinburg');
    schoolId = school.id;
    m = await createTestMirror('sqlite');
    // Only what a new user writes: the id (and the token the sandbox needs).
    const config = sandboxConfig(sb, {
      schools: [
        { id: school.id, token: school.token, finalMarkDeadlines: school.finalMarkDeadlines },
      ],
    });
    expect(config.schools[0]!.timeZone).toBeUndefined();
    const summary = await syncSandboxSchool(m.db, config, sb.clock, school.id, { full: true });
    expect(summary.status).toBe('succeeded');
    app = {
      config,
      configSource: null,
      clock: systemClock,
      logger: createLogger({ level: 'silent' }),
      mirror: async () => m,
      close: async () => undefined,
    } as App;
  }, 600_000);
  afterAll(async () => {
    await sb?.close();
    await m?.dispose();
  });

  it('mirrors the platform zone and computes every deadline at noon in UTC+5', async () => {
    const [row] = await m.db.query<{ time_zone: string }>(
      'SELECT time_zone FROM schools WHERE id = ?',
      [schoolId],
    );
    expect(row!.time_zone).toBe('UTC+5');
    const { report } = await runChecksForApp(app, { clock: sb.clock, rules: ['topic-missing'] });
    expect(report.findings.length).toBeGreaterThan(0);
    const localTimes = new Set(
      report.findings.map((f) =>
        DateTime.fromISO(f.deadline!, { zone: 'Asia/Yekaterinburg' }).toFormat('HH:mm'),
      ),
    );
    expect([...localTimes]).toEqual(['12:00']);
  });

  it("finds exactly the sandbox's answer key for that school", async () => {
    const { runs } = await runChecksForApp(app, { clock: sb.clock });
    const line = (rule: string, parts: Record<string, string | null>) =>
      `${rule} ${KEY_PART_NAMES.map((n) => `${n}=${parts[n] ?? '-'}`).join(' ')}`;
    const found = new Set(runs[0]!.findings.map((f) => line(f.rule, f.keyParts)));
    const expected = new Set(
      sb.answerKey(runs[0]!.asOf, { schoolId }).findings.map((k) => line(k.rule, k as never)),
    );
    const missing = [...expected].filter((k) => !found.has(k)).sort();
    const extra = [...found].filter((k) => !expected.has(k)).sort();
    expect({ missing: missing.slice(0, 10), extra: extra.slice(0, 10) }).toEqual({
      missing: [],
      extra: [],
    });
  });
});
