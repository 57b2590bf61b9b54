import { countMark, emptyCounts, type MarkCounts } from '../metrics.js';

/**
 * A student's standing over all their period marks in a class (compliance-rules §2.3: качество is
 * the share of students with only «4» and «5», not of marks). Exclusive categories, one per
 * student; «с одной «4»» and «с одной «3»» are the reserves schools list by name.
 */
export type StudentCategory = 'excellent' | 'good' | 'satisfactory' | 'failing' | 'notAssessed';

export interface StudentStanding {
  category: StudentCategory;
  /** Only «5» but a single «4» (a хорошист, the отличники's reserve). */
  oneFour: boolean;
  /** Only «4» and «5» but a single «3» (the хорошисты's reserve). */
  oneThree: boolean;
  /** Subjects of the «2» (or «1») and of the «н/а». */
  failedSubjects: string[];
  notAssessedSubjects: string[];
}

/**
 * Null when the student has no mark that counts (none, or only «осв», «зач»): such a student is
 * not in N (compliance-rules §2.1). A «2» outweighs an «н/а»: both keep the student out of
 * успеваемость, and the «2» is a result the school has to act on.
 */
export function standing(marks: readonly { subject: string; value: string; system: string | null }[]): StudentStanding | null {
  let c: MarkCounts = emptyCounts();
  const failedSubjects: string[] = [];
  const notAssessedSubjects: string[] = [];
  for (const m of marks) {
    const next = countMark(c, m.value, m.system);
    if (next.n2 + next.n1 > c.n2 + c.n1) failedSubjects.push(m.subject);
    if (next.nNa > c.nNa) notAssessedSubjects.push(m.subject);
    c = next;
  }
  if (c.n5 + c.n4 + c.n3 + c.n2 + c.n1 + c.nNa === 0) return null;
  const category: StudentCategory =
    c.n2 + c.n1 > 0
      ? 'failing'
      : c.nNa > 0
        ? 'notAssessed'
        : c.n3 > 0
          ? 'satisfactory'
          : c.n4 > 0
            ? 'good'
            : 'excellent';
  return {
    category,
    oneFour: category === 'good' && c.n4 === 1,
    oneThree: category === 'satisfactory' && c.n3 === 1,
    failedSubjects,
    notAssessedSubjects,
  };
}

export interface CategoryCounts {
  /** Students in N. */
  n: number;
  excellent: number;
  good: number;
  oneFour: number;
  oneThree: number;
  satisfactory: number;
  failing: number;
  notAssessed: number;
}

export function emptyCategoryCounts(): CategoryCounts {
  return { n: 0, excellent: 0, good: 0, oneFour: 0, oneThree: 0, satisfactory: 0, failing: 0, notAssessed: 0 };
}

export function countStandings(standings: readonly StudentStanding[]): CategoryCounts {
  const out = emptyCategoryCounts();
  for (const s of standings) {
    out.n++;
    out[s.category]++;
    if (s.oneFour) out.oneFour++;
    if (s.oneThree) out.oneThree++;
  }
  return out;
}

export function addCategoryCounts(a: CategoryCounts, b: CategoryCounts): CategoryCounts {
  const out = emptyCategoryCounts();
  for (const k of Object.keys(out) as (keyof CategoryCounts)[]) out[k] = a[k] + b[k];
  return out;
}

/** Успеваемость over students: the share without a «2» and without «н/а», %. */
export function studentPassRate(c: CategoryCounts): number | null {
  return c.n === 0 ? null : ((c.n - c.failing - c.notAssessed) / c.n) * 100;
}

/** Качество over students: the share with only «4» and «5», %. */
export function studentQualityRate(c: CategoryCounts): number | null {
  return c.n === 0 ? null : ((c.excellent + c.good) / c.n) * 100;
}
