import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeJournalMirror } from '../../bench/lib/journal-mirror.js';
import { runChecks } from '../../src/checks/engine.js';
import { KEY_PART_NAMES } from '../../src/checks/rule.js';
import { refreshPeriodTotals } from '../../src/mirror/projections/index.js';
import type { SqliteDb } from '../../src/mirror/sql.js';
import { Sandbox } from '../../src/sandbox/index.js';
import { createTestMirror, type TestMirror } from '../helpers/mirrors.js';

/**
 * The benchmarks' generated mirror (bench/lib/journal-mirror.ts writes the sandbox's journals
 * straight into the tables, no HTTP) must be the mirror a sync would leave: checked, it finds
 * exactly the sandbox's answer key, as a synced mirror does (src/checks/answer-key.test.ts).
 * A generator that forgets part of the journal (subgroups, say) makes every benchmark measure
 * findings no school has.
 */
describe('the benchmarks generated mirror', () => {
  const sandbox = new Sandbox({ size: 'small', seed: 1 });
  const school = sandbox.schools[0]!;
  const asOf = sandbox.now();
  let m: TestMirror;

  beforeAll(async () => {
    m = await createTestMirror('sqlite');
    writeJournalMirror((m.db as SqliteDb).raw, { sandbox });
    await refreshPeriodTotals(m.db, school.id, asOf);
  }, 300_000);
  afterAll(async () => {
    await m?.dispose();
  });

  it('finds exactly the planted violations of the answer key', async () => {
    const result = await runChecks(m.db, {
      school: {
        id: school.id,
        timeZone: school.zone,
        finalMarkDeadlines: { ...school.calendar.finalMarkDeadlines },
      },
      asOf,
      persist: false,
    });
    const line = (rule: string, parts: Record<string, string | null>) =>
      `${rule} ${KEY_PART_NAMES.map((n) => `${n}=${parts[n] ?? '-'}`).join(' ')}`;
    // The generator writes the first copy of a class's own rows (class, students, lessons, works,
    // marks) with the id suffix «00»; the key names the sandbox's ids.
    const suffixed = new Set(['class', 'student', 'lesson', 'work', 'mark']);
    const unsuffixed = (parts: Record<string, string | null>) =>
      Object.fromEntries(
        Object.entries(parts).map(([k, v]) => [
          k,
          v !== null && suffixed.has(k) && v.endsWith('00') ? v.slice(0, -2) : v,
        ]),
      );
    const found = new Set(result.findings.map((f) => line(f.rule, unsuffixed(f.keyParts))));
    const expected = new Set(sandbox.answerKey(asOf).findings.map((k) => line(k.rule, k as never)));
    const missing = [...expected].filter((k) => !found.has(k)).sort();
    const extra = [...found].filter((k) => !expected.has(k)).sort();
    const byRule = (keys: string[]) =>
      keys.reduce<Record<string, number>>((acc, k) => {
        const rule = k.split(' ')[0]!;
        acc[rule] = (acc[rule] ?? 0) + 1;
        return acc;
      }, {});
    expect({ missing: byRule(missing), extra: byRule(extra), sample: extra.slice(0, 5) }).toEqual({
      missing: {},
      extra: {},
      sample: [],
    });
    expect(new Set(result.findings.map((f) => f.rule)).size).toBeGreaterThanOrEqual(10);
  });
});
