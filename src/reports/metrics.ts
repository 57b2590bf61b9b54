/**
 * Performance metrics of period results (compliance-rules §2). Pure functions over counts of
 * period marks; percentages are returned unrounded (null when the denominator is zero).
 *
 * N = students with a period mark 5, 4, 3, 2, 1 or «н/а»; «осв» (exempt) and students without a
 * mark are not counted.
 */

export interface MarkCounts {
  n5: number;
  n4: number;
  n3: number;
  n2: number;
  /** A «1»: rare; counted like «н/а» in СОУ (weight 7). */
  n1: number;
  /** «н/а», не аттестован: counted in N. */
  nNa: number;
  /** «осв», освобождён: excluded from N. */
  nDismiss: number;
}

export const SOU_WEIGHTS = { n5: 100, n4: 64, n3: 36, n2: 16, n1: 7, nNa: 7 } as const;

export function emptyCounts(): MarkCounts {
  return { n5: 0, n4: 0, n3: 0, n2: 0, n1: 0, nNa: 0, nDismiss: 0 };
}

export function addCounts(a: MarkCounts, b: MarkCounts): MarkCounts {
  return {
    n5: a.n5 + b.n5,
    n4: a.n4 + b.n4,
    n3: a.n3 + b.n3,
    n2: a.n2 + b.n2,
    n1: a.n1 + b.n1,
    nNa: a.nNa + b.nNa,
    nDismiss: a.nDismiss + b.nDismiss,
  };
}

/**
 * Adds one period mark, as the platform shows it, to the counts; unknown values are ignored. A
 * mark of a 10-point system (`mark10`) counts in the band it stands for (compliance-rules §2.1:
 * 10–9 «отлично», 8–7 «хорошо», 6–5 «удовлетворительно», below «неудовлетворительно»), never as
 * the five-point mark of the same digit; pass/fail («зач»/«незач») has no place in these counts.
 */
export function countMark(
  counts: MarkCounts,
  value: string,
  system: string | null = null,
): MarkCounts {
  const key = system?.toLowerCase() === 'mark10' ? tenPointKey(value) : markKey(value);
  return key ? { ...counts, [key]: counts[key] + 1 } : counts;
}

function tenPointKey(value: string): keyof MarkCounts | null {
  const v = value.trim();
  if (!/^(10|[1-9])$/.test(v)) return markKey(v);
  const n = Number(v);
  return n >= 9 ? 'n5' : n >= 7 ? 'n4' : n >= 5 ? 'n3' : 'n2';
}

export function markKey(value: string): keyof MarkCounts | null {
  const v = value.trim().toLowerCase().replace(/\.$/, '');
  switch (v) {
    case '5':
      return 'n5';
    case '4':
      return 'n4';
    case '3':
      return 'n3';
    case '2':
      return 'n2';
    case '1':
      return 'n1';
    case 'н/а':
    case 'на':
      return 'nNa';
    case 'осв':
      return 'nDismiss';
    default:
      return null;
  }
}

/** N: students counted in the percentages. */
export function denominator(c: MarkCounts): number {
  return c.n5 + c.n4 + c.n3 + c.n2 + c.n1 + c.nNa;
}

/** Процент успеваемости: (n5 + n4 + n3) / N × 100. */
export function passRate(c: MarkCounts): number | null {
  const n = denominator(c);
  return n === 0 ? null : ((c.n5 + c.n4 + c.n3) / n) * 100;
}

/** Процент качества знаний: (n5 + n4) / N × 100. */
export function qualityRate(c: MarkCounts): number | null {
  const n = denominator(c);
  return n === 0 ? null : ((c.n5 + c.n4) / n) * 100;
}

/** СОУ (Симонов): (100·n5 + 64·n4 + 36·n3 + 16·n2 + 7·(n1 + nн/а)) / N, in percent. */
export function learningDegree(c: MarkCounts): number | null {
  const n = denominator(c);
  if (n === 0) return null;
  const w = SOU_WEIGHTS;
  return (w.n5 * c.n5 + w.n4 * c.n4 + w.n3 * c.n3 + w.n2 * c.n2 + w.n1 * c.n1 + w.nNa * c.nNa) / n;
}

/** Средний балл over period marks: (5n5 + 4n4 + 3n3 + 2n2 + n1) / (n5 + n4 + n3 + n2 + n1). */
export function averageMark(c: MarkCounts): number | null {
  const k = c.n5 + c.n4 + c.n3 + c.n2 + c.n1;
  return k === 0 ? null : (5 * c.n5 + 4 * c.n4 + 3 * c.n3 + 2 * c.n2 + c.n1) / k;
}

/** Средневзвешенный балл: Σ(mᵢ·wᵢ) / Σwᵢ over current marks; a missing weight counts as 1. */
export function weightedAverage(
  marks: readonly { value: number; weight: number | null }[],
): number | null {
  let sum = 0;
  let weights = 0;
  for (const m of marks) {
    const w = m.weight ?? 1;
    if (!(w > 0)) continue;
    sum += m.value * w;
    weights += w;
  }
  return weights === 0 ? null : sum / weights;
}

/** Sums for a weighted average accumulated in SQL: Σ(m·w) and Σw. */
export function weightedFromSums(weightedSum: number, weightSum: number): number | null {
  return weightSum > 0 ? weightedSum / weightSum : null;
}
