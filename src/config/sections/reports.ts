import { z } from 'zod';

/** Printed documents: the Chromium renderer and the journal's page layout. */
export const reportsSection = z
  .strictObject({
    /** Chromium binary; else PUPPETEER_EXECUTABLE_PATH, else /usr/bin/chromium. Never downloaded. */
    chromiumPath: z.string().min(1).optional(),
    /** Documents rendered at the same time, each in its own browser context (one browser per process). */
    concurrency: z.int().min(1).max(8).default(2),
    /** The browser is restarted after this many documents, to keep its memory flat. */
    recycleAfter: z.int().min(1).max(10_000).default(40),
    /** Per document: loading the HTML and printing it. */
    timeoutMs: z.int().min(5_000).default(120_000),
    /** Starting the browser. */
    launchTimeoutMs: z.int().min(1_000).default(30_000),
    journal: z
      .strictObject({
        /** Lessons per two-page spread of a subject (paper journals have 11–20). */
        lessonsPerSpread: z.int().min(8).max(24).default(16),
        /** Student rows per page (left pages, attendance, summary). */
        studentsPerPage: z.int().min(10).max(40).default(30),
        /** Subjects per page of the сводная ведомость успеваемости. */
        subjectsPerSummaryPage: z.int().min(1).max(8).default(4),
      })
      .prefault({}),
  })
  .prefault({});

export type ReportsConfig = z.infer<typeof reportsSection>;
