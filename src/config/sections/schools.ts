import { z } from 'zod';

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date YYYY-MM-DD');

export const exemptionSchema = z.object({
  /** Platform person id of the student. */
  studentId: z.string().min(1),
  /** Subject id; omitted: every subject (e.g. a long illness). */
  subjectId: z.string().optional(),
  /** `exempt` (освобождён) or `long_absence` (fewer marks allowed). */
  kind: z.enum(['exempt', 'long_absence']).default('exempt'),
  from: isoDate.optional(),
  to: isoDate.optional(),
  reason: z.string().optional(),
});

export const schoolSection = z.object({
  /** Platform school id (string: ids exceed 2^53). */
  id: z.string().regex(/^\d+$/, 'must be a numeric platform id, written as a string'),
  /** IANA time zone; overrides what the platform says. */
  timeZone: z.string().default('Europe/Moscow'),
  /** Per-school token (municipal installations); falls back to platform.token. */
  token: z.string().min(8).optional(),
  baseUrl: z.url({ message: 'must be a URL' }).optional(),
  /** Director's name for signature lines of printed documents. */
  director: z.string().optional(),
  deputyDirector: z.string().optional(),
  /** Final-mark deadlines from the school's order: period name → date. */
  finalMarkDeadlines: z.record(z.string(), isoDate).default({}),
  exemptions: z.array(exemptionSchema).default([]),
  /** Students whose consent to data processing (152-ФЗ) is on file; all others: full name only. */
  consentedPersonIds: z.array(z.string()).default([]),
});

export const schoolsSection = z.array(schoolSection).default([]);
