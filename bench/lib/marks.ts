import type { MarkRecord } from '../../src/connectors/records.js';

/** Deterministic synthetic marks with int64-sized ids, as the platform sends them. */
export function syntheticMarks(count: number, offset = 0): MarkRecord[] {
  const base = 1847814077665489232n;
  const out: MarkRecord[] = [];
  for (let i = offset; i < offset + count; i++) {
    const cls = i % 48;
    const day = 1 + (i % 28);
    out.push({
      id: String(base + BigInt(i)),
      classId: String(base - BigInt(1000 + cls)),
      lessonId: String(base + 10_000_000n + BigInt(Math.floor(i / 25))),
      workId: String(base + 20_000_000n + BigInt(Math.floor(i / 25))),
      studentId: String(1_000_000_000_000 + cls * 30 + (i % 25)),
      subjectId: String(100_000 + (i % 12)),
      value: String(2 + (i % 4)),
      markSystem: 'mark5',
      mood: i % 4 === 0 ? 'Bad' : 'Good',
      workTypeId: String(500 + (i % 5)),
      countsInAverage: i % 17 !== 0,
      number: 1,
      // As the platform sends it: when the mark was set, UTC with milliseconds.
      enteredAt: `2026-10-${String(day).padStart(2, '0')}T14:${String(i % 60).padStart(2, '0')}:07.123Z`,
    });
  }
  return out;
}
