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
 * The engine against the sandbox's answer key (docs/rules.md implemented independently): sync the
 * `small` school into a fresh mirror, run every rule as of the sandbox's now, and compare the sets
 * of (rule, key parts).
 */
describe('checks engine vs the sandbox answer key (small school)', () => {
  let sb: SandboxServer;
  let connector: Connector;
  let m: TestMirror;

  beforeAll(async () => {
    sb = await startSandbox({ size: 'small', seed: 1, port: 0 });
    const school = sb.schools[0]!;
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
  }, 600_000);
  afterAll(async () => {
    await connector?.close();
    await sb?.close();
    await m?.dispose();
  });

  /** Every rule as of the sandbox's now, evaluated only. */
  const runOptions = () => {
    const school = sb.schools[0]!;
    return {
      school: {
        id: school.id,
        timeZone: school.timeZone,
        finalMarkDeadlines: school.finalMarkDeadlines,
      },
      asOf: sb.now(),
      persist: false,
    };
  };

  it('finds exactly the planted violations', async () => {
    const school = sb.schools[0]!;
    const asOf = sb.now();
    const result = await runChecks(m.db, {
      school: {
        id: school.id,
        timeZone: school.timeZone,
        finalMarkDeadlines: school.finalMarkDeadlines,
      },
      asOf,
      persist: false,
    });
    const line = (rule: string, parts: Record<string, string | null>) =>
      `${rule} ${KEY_PART_NAMES.map((n) => `${n}=${parts[n] ?? '-'}`).join(' ')}`;
    const found = new Set(result.findings.map((f) => line(f.rule, f.keyParts)));
    const expected = new Set(sb.answerKey(asOf).findings.map((k) => line(k.rule, k as never)));
    const missing = [...expected].filter((k) => !found.has(k)).sort();
    const extra = [...found].filter((k) => !expected.has(k)).sort();
    expect({
      missing: missing.slice(0, 20),
      extra: extra.slice(0, 20),
      counts: [missing.length, extra.length],
    }).toEqual({
      missing: [],
      extra: [],
      counts: [0, 0],
    });
    // The small school plants violations of (nearly) every rule; mark-late needs a later sync.
    expect(new Set(result.findings.map((f) => f.rule)).size).toBeGreaterThanOrEqual(10);
  });

  it('reads the period totals the sync left, and finds the same grouping the marks itself', async () => {
    const school = sb.schools[0]!;
    const [state] = await m.db.query(
      `SELECT applied_through FROM derived_state WHERE school_id = ? AND name = 'period_mark_totals'`,
      [school.id],
    );
    expect(state).toBeDefined();
    const options = runOptions();
    const totals = await runChecks(m.db, options);
    const grouped = await runChecks(m.db, { ...options, periodTotals: false });
    expect([totals.periodTotals, grouped.periodTotals]).toEqual([true, false]);
    const view = (r: typeof totals) => r.findings.map((f) => [f.key, f.message]);
    expect(view(totals)).toEqual(view(grouped));
    const periodRules = totals.rules.filter((r) =>
      ['mark-accumulation', 'final-mark-objectivity'].includes(r.rule),
    );
    expect(periodRules.map((r) => r.findings > 0)).toEqual([true, true]);
  });

  it('finds the same on two worker threads as on one', async () => {
    const options = runOptions();
    const one = await runChecks(m.db, options);
    const two = await runChecks(m.db, { ...options, threads: 2 });
    const view = (r: typeof one) => r.findings.map((f) => [f.key, f.message]);
    expect([one.threads, two.threads]).toEqual([1, 2]);
    expect(two.findings.length).toBeGreaterThan(0);
    expect(view(two)).toEqual(view(one));
    expect(two.rules.map((r) => [r.rule, r.findings])).toEqual(
      one.rules.map((r) => [r.rule, r.findings]),
    );
  });
});
