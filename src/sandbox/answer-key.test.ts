import { beforeAll, describe, expect, it } from 'vitest';
import { topicValid } from './answer-key.js';
import { DAY } from './local-time.js';
import { RULE_IDS, type PlantedViolation } from './model.js';
import { viewAt } from './rows.js';
import { Sandbox } from './sandbox.js';
import { countByRule, findingSig } from './test-helpers.js';

describe('sandbox answer key (small)', () => {
  let sb: Sandbox;
  let planted: PlantedViolation[];
  beforeAll(() => {
    sb = new Sandbox({ size: 'small', seed: 1 });
    planted = sb.planted();
  });

  it('has every rule at least twice at T0 (marks late before any sync too) and two weeks after', () => {
    const atT0 = countByRule(sb.answerKey(sb.t0).findings);
    for (const rule of RULE_IDS) expect(atT0[rule] ?? 0, rule).toBeGreaterThanOrEqual(2);
    const later = countByRule(sb.answerKey(sb.t0 + 14 * DAY).findings);
    for (const rule of RULE_IDS) expect(later[rule] ?? 0, rule).toBeGreaterThanOrEqual(2);
  });

  it('finds exactly the planted violations: everything else is generated clean', () => {
    const plantedSigs = new Set(planted.map(findingSig));
    for (const asOf of [sb.t0, sb.t0 + 14 * DAY, Date.parse('2027-06-10T04:00:00Z')]) {
      const key = sb.answerKey(asOf);
      const stray = key.findings.filter((f) => !plantedSigs.has(findingSig(f)));
      expect(stray, new Date(asOf).toISOString()).toEqual([]);
    }
    // After the year (and every deadline), every lasting planted violation is in the key.
    const end = new Set(sb.answerKey(Date.parse('2027-06-10T04:00:00Z')).findings.map(findingSig));
    expect(planted.filter((p) => p.until === null && !end.has(findingSig(p)))).toEqual([]);
  });

  it('is consistent with the data it points at', () => {
    const asOf = sb.t0 + 14 * DAY;
    const key = sb.answerKey(asOf);
    const school = sb.schools[0]!;
    const journals = school.classes.map((c) => ({ cls: c, j: sb.journal(c.id) }));
    const lesson = (id: string) => journals.flatMap(({ j }) => j.lessons).find((l) => l.id === id)!;
    for (const f of key.findings) {
      if (f.rule === 'topic-missing') {
        expect(topicValid(viewAt(lesson(f.lesson!), asOf)!.topic)).toBe(false);
      }
      if (f.rule === 'grade1-mark' || f.rule === 'grade1-homework') {
        const owner = journals.find(
          ({ j }) => j.marks.some((m) => m.id === f.mark) || j.works.some((w) => w.id === f.work),
        );
        expect(owner?.cls.grade).toBe(1);
      }
      if (f.rule === 'absent-with-mark') {
        const entry = journals
          .flatMap(({ j }) => j.attendance)
          .find((a) => a.lessonId === f.lesson && a.studentId === f.student);
        expect(['Absent', 'Ill', 'Pass']).toContain(viewAt(entry!, asOf)!.status);
      }
      if (f.rule === 'attendance-not-kept') {
        expect(journals.flatMap(({ j }) => j.attendance).some((a) => a.lessonId === f.lesson)).toBe(
          false,
        );
      }
      const used = Object.entries(f).filter(([k, v]) => k !== 'rule' && v !== null);
      expect(used.length).toBeGreaterThan(0);
      for (const [, v] of used) expect(typeof v).toBe('string');
    }
  });

  it('loses a finding when the school fixes the violation', () => {
    const local = new Sandbox({ size: 'small', seed: 1 });
    const before = local.answerKey(local.t0).findings;
    const fixable = before.filter((f) => f.rule !== 'mark-late');
    const seen = new Set<string>();
    for (const f of fixable) {
      if (seen.has(f.rule)) continue;
      seen.add(f.rule);
      local.fixViolation(f);
    }
    local.advance(60_000);
    const after = new Set(local.answerKey(local.now()).findings.map(findingSig));
    const stillThere = fixable.filter((f) => seen.has(f.rule) && after.has(findingSig(f)));
    const firstOfRule = [...seen].map((r) => fixable.find((f) => f.rule === r)!);
    expect(firstOfRule.filter((f) => stillThere.includes(f))).toEqual([]);
    // A fix that sets marks now for past lessons (a control work marked weeks later) makes them
    // late marks: the only findings a fix may add are mark-late ones.
    const beforeSigs = new Set(before.map(findingSig));
    const added = local
      .answerKey(local.now())
      .findings.filter((f) => !beforeSigs.has(findingSig(f)));
    expect(added.every((f) => f.rule === 'mark-late')).toBe(true);
    expect(after.size - added.length).toBe(before.length - seen.size);
  });
});
