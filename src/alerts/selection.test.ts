import { describe, expect, it } from 'vitest';
import { deliveryKey } from './deliveries.js';
import type { OpenFinding } from './open-findings.js';
import { selectDue } from './selection.js';

const DAY = 86_400_000;
const finding = (key: string): OpenFinding => ({
  key,
  rule: 'topic-missing',
  severity: 'warning',
  schoolId: 's',
  classId: 'c',
  subjectId: null,
  teacherId: null,
  studentId: null,
  lessonId: null,
  date: null,
  deadline: null,
  message: key,
  firstSeenAt: 0,
});
const recipient = {
  key: 'person:1',
  personId: '1',
  name: 'X',
  addressAs: null,
  email: 'x@example.ru',
};
const routed = [
  {
    recipient,
    items: ['a', 'b'].map((k) => ({ finding: finding(k), section: { kind: 'own' as const } })),
  },
];

describe('selectDue', () => {
  it('sends new items, holds sent ones until reminderDays have passed', () => {
    const t0 = 1_000 * DAY;
    const history = new Map([
      [deliveryKey('a', 'person:1', 'smtp'), { firstSentAt: t0, lastSentAt: t0, count: 1 }],
    ]);
    const keys = (asOf: number) =>
      selectDue(routed, history, 'smtp', asOf, 3).flatMap((d) =>
        d.items.map((i) => [i.finding.key, i.previousSends]),
      );
    expect(keys(t0 + DAY)).toEqual([['b', 0]]);
    // A run a few minutes earlier in the day still counts as three days later.
    expect(keys(t0 + 3 * DAY - 5 * 60_000)).toEqual([
      ['a', 1],
      ['b', 0],
    ]);
    // Another channel has its own bookkeeping.
    expect(selectDue(routed, history, 'webhook', t0, 3)[0]?.items).toHaveLength(2);
  });

  it('selects everything in a preview (no history)', () => {
    expect(selectDue(routed, null, 'file', 0, 3)[0]?.items).toHaveLength(2);
  });
});
