import { z } from 'zod';

/**
 * How the sync engine cuts work into scopes and when it re-reads them. Window sizes trade
 * requests for freshness: the Dnevnik connector spends 3 requests per class and window (lessons,
 * marks, attendance; one more per 60 lessons of a wide window), so past windows are wide and only
 * the recent days are read narrowly. Daytime runs (mode `hourly`) read the current week only.
 */
export const syncSection = z
  .strictObject({
    /** Days before today re-read on every run, in narrow windows. */
    recentDays: z.int().min(1).max(120).default(14),
    /** Days after today read with the recent windows (homework set ahead, timetable). */
    aheadDays: z.int().min(0).max(60).default(7),
    /** Width of a narrow (recent) window, in days. */
    recentWindowDays: z.int().min(1).max(31).default(7),
    /** Width of a wide (past) window, in days; capped by the connector's `maxWindowDays`. */
    pastWindowDays: z.int().min(1).max(180).default(56),
    /** Re-read the whole current reporting period on every run (it decides final marks). */
    currentPeriodEveryRun: z.boolean().default(true),
    /** An older window is re-read (reconciliation) when its checkpoint is older than this. */
    reconcileAfterHours: z.number().positive().default(24),
    /** School- and class-level scopes (classes, students, periods, final marks) are re-read after this. */
    rosterEveryHours: z.number().min(0).default(0),
    massDeletion: z
      .strictObject({
        /** Refuse a scope's deletions when more than this share of its live rows would go. */
        maxShare: z.number().min(0).max(1).default(0.2),
        /**
         * Fewer deletions than this are applied (a teacher removing a few marks), unless a whole
         * scope or a whole parent is emptied (those are always held back).
         */
        minRows: z.int().min(0).default(5),
        /**
         * A lesson that had at least this many rows of a stream (marks, works, attendance) and
         * lost every one while the lesson itself stays is held back, whatever `minRows` says.
         */
        parentMinRows: z.int().min(1).default(3),
        /** Deletions in a scope are also counted together over this many days (0: off)... */
        windowDays: z.number().min(0).default(7),
        /** ...and held back when together they exceed this share of the scope's rows. */
        windowMaxShare: z.number().min(0).max(1).default(0.25),
      })
      .prefault({}),
    /** `auto`: a progress bar on a terminal, log lines otherwise. */
    progress: z.enum(['auto', 'bar', 'log', 'off']).default('auto'),
    /** An interrupted embedded run younger than this is resumed instead of starting over. */
    resumeWithinHours: z.number().positive().default(48),
  })
  .prefault({});

export type SyncConfig = z.infer<typeof syncSection>;
