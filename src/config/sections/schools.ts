import { z } from 'zod';
import { httpUrl, isoDate, timeZone } from '../fields.js';

export const exemptionSchema = z
  .strictObject({
    /** Platform person id of the student. */
    studentId: z.string().min(1),
    /** Subject id; omitted: every subject (e.g. a long illness). */
    subjectId: z.string().optional(),
    /** `exempt` (освобождён) or `long_absence` (fewer marks allowed). */
    kind: z.enum(['exempt', 'long_absence']).default('exempt'),
    from: isoDate.optional(),
    to: isoDate.optional(),
    reason: z.string().optional(),
  })
  .superRefine((e, ctx) => {
    // Both are YYYY-MM-DD here, so text order is date order.
    if (e.from && e.to && e.to < e.from) {
      ctx.addIssue({
        code: 'custom',
        path: ['to'],
        message: `must not be before \`from\` (${e.from})`,
      });
    }
  });

export const schoolSection = z.strictObject({
  /** Platform school id (string: ids exceed 2^53). */
  id: z.string().regex(/^\d+$/, 'must be a numeric platform id, written as a string'),
  /**
   * IANA time zone (or the platform's `UTC+3`); overrides what the platform says. Omitted: the
   * platform's own zone (Dnevnik's School.timeZone), known after the first sync; there is no
   * default (see mirror/school-context.ts).
   */
  timeZone: timeZone.optional(),
  /** Per-school token (municipal installations); falls back to platform.token. */
  token: z.string().min(8).optional(),
  baseUrl: httpUrl.optional(),
  /** Director's name for signature lines of printed documents. */
  director: z.string().optional(),
  deputyDirector: z.string().optional(),
  /** Final-mark deadlines from the school's order: period name → date. */
  finalMarkDeadlines: z.record(z.string(), isoDate).default({}),
  exemptions: z.array(exemptionSchema).default([]),
  /** Students whose consent to data processing (152-ФЗ) is on file; all others: full name only. */
  consentedPersonIds: z.array(z.string()).default([]),
});

/** Each school once: a school listed twice would be synced, checked and alerted twice. */
export const schoolsSection = z
  .array(schoolSection)
  .superRefine((schools, ctx) => {
    const first = new Map<string, number>();
    // Runs even when an entry has other problems: its raw value may be anything.
    schools.forEach((school: unknown, i) => {
      const id = (school as { id?: unknown } | null)?.id;
      if (typeof id !== 'string') return;
      const seen = first.get(id);
      if (seen === undefined) first.set(id, i);
      else {
        ctx.addIssue({
          code: 'custom',
          path: [i, 'id'],
          message: `duplicate school id "${id}" (also schools.${seen})`,
        });
      }
    });
  })
  .default([]);
