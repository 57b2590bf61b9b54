import { accumulationNorm } from './averages.js';
import type { Draft } from './draft.js';
import { DAY, localInstant } from './local-time.js';
import { countMarks } from './marks.js';
import { addEdit } from './rows.js';
import { isControlKind } from './work-types.js';

/**
 * What teachers change after the fact, as timeline events: marks corrected (4 ↔ 5) or deleted a
 * day or two later, and topics left empty and filled in later — mostly before the next day's
 * 12:00 deadline, sometimes after it (a passing `topic-missing`, recorded as planted with `until`).
 * Nothing here may create a finding: edits keep marks above «2», deletions keep the accumulation
 * margin, and nothing happens within five days of a period's end (period marks come after).
 */
export function applyChurn(d: Draft): void {
  const { cls, rng, offset } = d;
  const counts = countMarks(d);
  const periodOf = (day: number) =>
    cls.periods.find((p) => day >= p.startDay && day <= p.finishDay);
  for (const m of d.marks) {
    const p = periodOf(m.day);
    if (!p || m.locked || isControlKind(m.kind) || d.reserved.has(m.lessonId)) continue;
    if ((m.value !== '4' && m.value !== '5') || m.day > p.finishDay - 5) continue;
    const key = `${m.studentId}|${m.subjectId}|${p.id}`;
    if (d.underNorm.has(key)) continue;
    const later = localInstant(m.day + rng.int(1, 2), rng.int(540, 1080), offset);
    const r = rng.next();
    if (r < 0.02) addEdit(m, later, { value: m.value === '4' ? '5' : '4' });
    else if (r < 0.03 && (counts.get(key) ?? 0) > accumulationNorm(p.kind) + 1) {
      m.deletedAt = later;
      counts.set(key, (counts.get(key) ?? 0) - 1);
    }
  }
  for (const l of d.lessons) {
    if (d.reserved.has(l.id) || !l.topic) continue;
    const r = rng.next();
    if (r < 0.03) {
      addEdit(l, localInstant(l.day + 1, rng.int(480, 690), offset), { topic: l.topic });
      l.topic = null;
    } else if (r < 0.034) {
      const filled = localInstant(l.day + 2, rng.int(540, 1020), offset);
      addEdit(l, filled, { topic: l.topic });
      l.topic = null;
      const deadline = l.dayStart + DAY + 12 * 3_600_000;
      d.planted.push({
        rule: 'topic-missing',
        class: null,
        subject: null,
        student: null,
        lesson: l.id,
        work: null,
        mark: null,
        period: null,
        at: deadline,
        until: filled,
      });
    }
  }
}
