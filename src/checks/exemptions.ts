/**
 * Exemptions come from the school's config (`schools[].exemptions`), not from the platform, so
 * they are applied to a rule's offending rows in JS: they can only remove rows, never add them.
 */
export interface Exemption {
  studentId: string;
  /** Omitted: every subject. */
  subjectId?: string | undefined;
  kind: 'exempt' | 'long_absence';
  from?: string | undefined;
  to?: string | undefined;
}

export interface ExemptionQuery {
  studentId: string | null;
  subjectId: string | null;
  /** Local dates `YYYY-MM-DD`, inclusive. A single day: from = to. */
  from: string;
  to: string;
  kinds: readonly Exemption['kind'][];
}

/** True when an exemption of one of `kinds` covers the student and subject and overlaps the dates. */
export function isExempt(exemptions: readonly Exemption[], q: ExemptionQuery): boolean {
  if (q.studentId === null) return false;
  return exemptions.some(
    (e) =>
      e.studentId === q.studentId &&
      q.kinds.includes(e.kind) &&
      (e.subjectId === undefined || e.subjectId === q.subjectId) &&
      (e.from === undefined || e.from <= q.to) &&
      (e.to === undefined || e.to >= q.from),
  );
}
