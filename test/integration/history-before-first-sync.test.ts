import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runChecks, type CheckRunResult } from '../../src/checks/engine.js';
import { RULE_IDS } from '../../src/checks/registry.js';
import { startSandbox, type SandboxServer } from '../../src/sandbox/index.js';
import { createTestMirror, type TestMirror } from '../helpers/mirrors.js';
import { sandboxConfig, syncSandboxSchool } from '../helpers/sandbox-sync.js';

const HOUR = 3_600_000;

/**
 * Issue 17 item 6: a mirror synced once, days after the fact, and a mirror synced every few hours
 * all along answer a check as of the same past instant with the same findings, for every rule the
 * platform's own timestamps decide (docs/rules.md, "Which timestamps decide each rule"). The
 * sandbox's timeline keeps the teachers working (lessons begin, marks, attendance and homework
 * are entered, some marks corrected or deleted, topics filled in late) while mirror A syncs.
 */
describe('history before the first sync', () => {
  let sb: SandboxServer;
  let along: TestMirror;
  let late: TestMirror;
  /** Instants between A's syncs, every one before B's first sync. */
  const instants: number[] = [];
  /** A month before A's first sync too: the issue's `ezh check --as-of <a date last month>`. */
  let monthAgo = 0;

  beforeAll(async () => {
    sb = await startSandbox({ size: 'small', seed: 11 });
    along = await createTestMirror('sqlite');
    late = await createTestMirror('sqlite');
    const s = sb.schools[0]!;
    const config = sandboxConfig(sb);
    monthAgo = sb.now() - 30 * 24 * HOUR;
    // A syncs every four hours for four days ...
    for (let i = 0; i < 24; i++) {
      expect((await syncSandboxSchool(along.db, config, sb.clock, s.id)).status).toBe('succeeded');
      sb.advance(4 * HOUR);
      // ... and is asked about instants between its syncs (in the school day and at night).
      if (i % 5 === 2) instants.push(sb.now() - 90 * 60_000);
    }
    await syncSandboxSchool(along.db, config, sb.clock, s.id, { full: true });
    // B is installed only now and syncs once.
    expect((await syncSandboxSchool(late.db, config, sb.clock, s.id)).status).toBe('succeeded');
  }, 600_000);
  afterAll(async () => {
    await along?.dispose();
    await late?.dispose();
    await sb?.close();
  });

  const check = async (m: TestMirror, asOf: number): Promise<CheckRunResult> => {
    const s = sb.schools[0]!;
    return runChecks(m.db, {
      school: { id: s.id, timeZone: s.timeZone, finalMarkDeadlines: s.finalMarkDeadlines },
      asOf,
      persist: false,
      kind: 'what-if',
    });
  };
  const keys = (run: CheckRunResult, rule: string) =>
    run.findings
      .filter((f) => f.rule === rule)
      .map((f) => JSON.stringify(f.keyParts))
      .sort();

  it('gives the same findings as a mirror synced all along, rule by rule, at several past instants', async () => {
    expect(instants.length).toBeGreaterThanOrEqual(4);
    const seen = new Map<string, number>();
    for (const at of instants) {
      const a = await check(along, at);
      const b = await check(late, at);
      for (const rule of RULE_IDS) {
        expect({ at: new Date(at).toISOString(), rule, findings: keys(b, rule) }).toEqual({
          at: new Date(at).toISOString(),
          rule,
          findings: keys(a, rule),
        });
        seen.set(rule, (seen.get(rule) ?? 0) + keys(a, rule).length);
      }
    }
    // Not an agreement on nothing: the journal is full of violations at those instants.
    for (const rule of RULE_IDS) {
      expect({ rule, n: seen.get(rule) ?? 0 }).not.toEqual({ rule, n: 0 });
    }
  }, 600_000);

  it('accuses nobody wrongly: what the late mirror finds as of a past instant, the platform then held', async () => {
    for (const at of [monthAgo, ...instants]) {
      const b = await check(late, at);
      const sig = (rule: string, parts: Record<string, string | null>) =>
        `${rule} ${JSON.stringify(parts)}`;
      const truth = new Set(
        sb.answerKey(at).findings.map(({ rule, ...parts }) => sig(rule, parts)),
      );
      const wrong = b.findings.map((f) => sig(f.rule, f.keyParts)).filter((f) => !truth.has(f));
      expect({ at: new Date(at).toISOString(), wrong }).toEqual({
        at: new Date(at).toISOString(),
        wrong: [],
      });
      expect(b.findings.length).toBeGreaterThan(0);
    }
  }, 600_000);
});
