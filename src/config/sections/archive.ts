import { z } from 'zod';
import { cronPattern } from '../fields.js';

/**
 * Archives for the ICT engineer: database snapshot + vendor-neutral export + printed documents,
 * packed as one `.tar.gz` per run and written to every destination (several media).
 * Retention follows the school's document rules (journal 5 years, summary sheets 25 years).
 */
export const archiveSection = z
  .strictObject({
    /** Directories that each receive a full copy (e.g. a local disk and a mounted NAS). */
    destinations: z.array(z.string().min(1)).default(['./archives']),
    /** Scratch space for the snapshot and export while packing; default: the OS temp directory. */
    workDir: z.string().min(1).optional(),
    /** Regular (weekly / on demand) archives kept, newest first. */
    keepLast: z.int().min(1).default(10),
    /** Year-end and period archives are kept this many years (printed journal: 5 years). */
    keepYears: z.int().min(1).default(5),
    /** Summary-sheet archives (сводные ведомости) are kept this many years. */
    keepSummaryYears: z.int().min(1).default(25),
    /** Fail the archive when the printed documents cannot be rendered, instead of recording them as absent. */
    requireDocuments: z.boolean().default(false),
    /** Cron patterns for service mode (school time zone); `null` turns a schedule off. */
    schedule: z
      .strictObject({
        weekly: cronPattern.nullable().default('30 2 * * 0'),
        periodEnd: cronPattern.nullable().default('0 4 * * *'),
      })
      .prefault({}),
  })
  .prefault({});

export type ArchiveConfig = z.infer<typeof archiveSection>;
