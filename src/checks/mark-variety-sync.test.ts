import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadAppConfig } from '../app/config.js';
import { RateLimiterRegistry } from '../connectors/_shared/rate-limiter.js';
import type { Connector } from '../connectors/connector.js';
import { createDnevnikConnector } from '../connectors/dnevnik/dnevnik.connector.js';
import { createLogger } from '../platform/logger.js';
import { startSandbox, type SandboxServer } from '../sandbox/index.js';
import { syncSchool } from '../jobs/sync-school.js';
import { createTestMirror, type TestMirror } from '../../test/helpers/mirrors.js';
import { runChecks } from './engine.js';
import { KEY_PART_NAMES } from './rule.js';

/**
 * The sandbox's mark variety through the real connector and sync, at the end of the year, with
 * the bundled final-marks reply (the one that names each final mark's work): the mirror holds
 * what the platform sent (double marks, «н/а», «осв», 10-point and pass/fail marks, year and exam
 * marks without a period, lessons with two teachers, students enrolled without a membership
 * status), and the engine's findings equal the answer key.
 */
describe('mark variety: sandbox → sync → mirror → checks (year end)', () => {
  let sb: SandboxServer;
  let connector: Connector;
  let m: TestMirror;
  const yearEnd = Date.parse('2027-06-20T09:00:00Z');

  beforeAll(async () => {
    sb = await startSandbox({ size: 'small', seed: 1, port: 0, finalMarksShape: 'm' });
    sb.advanceTo(yearEnd);
    const school = sb.schools[0]!;
    connector = createDnevnikConnector(
      {
        baseUrl: sb.url,
        token: school.token,
        requestsPerSecond: 200,
        concurrency: 4,
        timeoutMs: 10_000,
        maxRetries: 2,
      },
      { limiters: new RateLimiterRegistry() },
    );
    m = await createTestMirror('sqlite');
    const { config } = loadAppConfig({
      env: {},
      overrides: {
        schools: [
          {
            id: school.id,
            timeZone: school.timeZone,
            finalMarkDeadlines: school.finalMarkDeadlines,
          },
        ],
      },
    });
    await syncSchool({
      db: m.db,
      connector,
      clock: sb.clock,
      logger: createLogger({ level: 'silent' }),
      config,
    });
  }, 900_000);
  afterAll(async () => {
    await connector?.close();
    await sb?.close();
    await m?.dispose();
  });

  it('mirrors every kind of variety', async () => {
    const count = async (sql: string) => Number((await m.db.query<{ n: number }>(sql))[0]?.n ?? 0);
    const systems = await m.db.query<{ mark_system: string; n: number }>(
      `SELECT mark_system, count(*) AS n FROM marks WHERE deleted_at IS NULL GROUP BY mark_system ORDER BY mark_system`,
    );
    expect(systems.map((s) => s.mark_system)).toEqual([
      'mark10',
      'mark5',
      'markdismiss',
      'markna',
      'test',
    ]);
    expect(
      await count(`SELECT count(*) AS n FROM (SELECT work_id, student_id FROM marks
        WHERE deleted_at IS NULL GROUP BY work_id, student_id HAVING count(*) > 1) x`),
    ).toBeGreaterThan(5);
    expect(
      await count(`SELECT count(*) AS n FROM marks WHERE value IN ('осв', 'н/а', 'зач', 'незач')`),
    ).toBeGreaterThan(10);
    const placeless = await m.db.query<{ period_type: string; n: number }>(
      `SELECT period_type, count(*) AS n FROM final_marks WHERE period_id IS NULL AND deleted_at IS NULL
        GROUP BY period_type ORDER BY period_type`,
    );
    expect(placeless.map((p) => p.period_type)).toEqual(['exam', 'year']);
    expect(await count(`SELECT count(*) AS n FROM final_marks WHERE mark_system = 'markna'`)).toBe(
      2,
    );
    expect(
      await count(
        `SELECT count(*) AS n FROM lessons WHERE teacher_ids LIKE '%,%' AND deleted_at IS NULL`,
      ),
    ).toBeGreaterThan(10);
    // No member carries a status, yet everyone still enrolled is active.
    expect(
      await count(
        `SELECT count(*) AS n FROM enrollments WHERE status = 'active' AND deleted_at IS NULL`,
      ),
    ).toBeGreaterThan(60);
  });

  it('finds exactly the answer key at the end of the year', async () => {
    const school = sb.schools[0]!;
    const result = await runChecks(m.db, {
      school: {
        id: school.id,
        timeZone: school.timeZone,
        finalMarkDeadlines: school.finalMarkDeadlines,
      },
      asOf: yearEnd,
      persist: false,
    });
    const line = (rule: string, parts: Record<string, string | null>) =>
      `${rule} ${KEY_PART_NAMES.map((n) => `${n}=${parts[n] ?? '-'}`).join(' ')}`;
    const found = new Set(result.findings.map((f) => line(f.rule, f.keyParts)));
    const expected = new Set(sb.answerKey(yearEnd).findings.map((k) => line(k.rule, k as never)));
    const missing = [...expected].filter((k) => !found.has(k)).sort();
    const extra = [...found].filter((k) => !expected.has(k)).sort();
    expect({ missing: missing.slice(0, 20), extra: extra.slice(0, 20) }).toEqual({
      missing: [],
      extra: [],
    });
    expect(found.size).toBeGreaterThan(20);
  });
});
