import { basename } from 'node:path';
import { z } from 'zod';
import { recordAuditNote } from '../data/audit-notes.js';
import type { DocumentApp } from './context.js';
import { runChecks } from '../../checks/engine.js';
import { checkSchool } from '../../checks/run-evidence.js';
import { loadSchoolContext } from '../../mirror/school-context.js';
import { UsageError } from '../../platform/errors.js';
import { formatLocal, instantToLocalDate, parseAsOf } from '../../platform/time.js';
import { auditFromRun, loadAudit, type AuditData } from '../data/audit.js';
import type { SchoolInfo } from '../data/school.js';
import { defineDocument } from '../define-document.js';
import { renderAuditHtml } from '../html/audit-html.js';
import { renderDocument } from '../render-document.js';
import type { RenderOptions } from './context.js';

const instant = z.union([z.string().min(1), z.number()]);
const params = z.strictObject({
  /** ISO date-time (or epoch ms); default now. */
  asOf: instant.optional(),
  /**
   * Start of the window the note covers (ISO date or date-time, or epoch ms): the previous
   * справка's date (the previous occurrence of its schedule, as the scheduled delivery passes it);
   * default 10 days before `asOf` (004 §5.2).
   */
  from: instant.optional(),
  /**
   * Record the справка as issued (`audit_notes`), so the next one starts at its date; default
   * true. An archive's copy (a record of the mirror, handed to no one) is not an issued справка.
   */
  record: z.boolean().optional(),
});

const at = (v: string | number | undefined, zone: string, now: number): number => {
  try {
    return typeof v === 'number' ? v : parseAsOf(v, zone, () => now);
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
};

/** «Справка … за период с 01.12.2026 по 11.12.2026»: the 10-day note (004 §5.2). */
const rangeTitle = (from: number, to: number, zone: string): string =>
  `Справка по итогам проверки электронного журнала за период с ${formatLocal(from, zone, false)} по ${formatLocal(to, zone, false)}`;

/** The compliance note («справка по итогам проверки ЭЖ») for the deputy director. */
export const auditDocument = defineDocument({
  id: 'audit',
  title: 'Справка по итогам проверки электронного журнала',
  params,
  load: async ({ app }, school, p) => {
    const now = app.clock.now();
    const asOf = at(p.asOf, school.zone, now);
    const from = p.from === undefined ? undefined : at(p.from, school.zone, now);
    if (from !== undefined && from > asOf) throw new UsageError("--from is after the note's date");
    return {
      ...(await auditData(app, school, asOf, now, from)),
      printedAt: app.clock.now(),
    };
  },
  view: (data) => renderAuditHtml(data),
  printed: async (result, { db, school, data, params }) => {
    if (params.record ?? true) {
      await recordAuditNote(db, {
        schoolId: school.id,
        asOf: data.run?.asOf ?? data.asOf,
        from: data.from,
        runId: data.run?.id ?? null,
        fileName: basename(result.path),
        issuedAt: data.printedAt,
      });
    }
  },
  fileName: (data, _p, school) => [instantToLocalDate(data.run?.asOf ?? data.asOf, school.zone)],
  cli: {
    description: 'compliance note («справка по итогам проверки ЭЖ») from the latest check run',
    options: [
      {
        flags: '--as-of <iso>',
        description: 'use the latest check run at or before this time (default now)',
      },
      {
        flags: '--from <iso>',
        description:
          "start of the checked window (default: the previous справка's date, else 10 days before)",
      },
      {
        flags: '--draft',
        description:
          'a draft: not recorded as issued, so the next справка still starts at the previous one',
      },
    ],
    outName: 'audit-<school>-<date>.pdf',
    // Issued (recorded, so the next справка starts at its date): a справка as of now. One as of
    // another instant (a what-if, an old one printed again) or a draft is not.
    params: (o) => ({
      asOf: o.asOf,
      from: o.from,
      record: o.asOf === undefined && o.draft !== true,
    }),
  },
  job: { params: (_p, asOf) => ({ asOf }), keys: [] },
  // Every archive carries the note as of its instant. The archive's copy records the mirror; it
  // is handed to no one, so it is no issued справка and must not move the next one's window.
  archive: { copies: (o) => [{ asOf: o.asOf, record: false }] },
  subscription: {
    edition: async (o) => ({
      edition: o.range,
      title:
        o.from !== null
          ? rangeTitle(o.from, o.asOf, o.zone)
          : `Справка по итогам проверки электронного журнала на ${formatLocal(o.asOf, o.zone, false)}`,
      params: { asOf: o.asOf, ...(o.from !== null ? { from: o.from } : {}) },
    }),
  },
  demo: () => ({}),
});

export type AuditOptions = RenderOptions & z.infer<typeof params>;

/** The compliance note for the deputy director; returns the PDF path. */
export async function renderAudit(app: DocumentApp, opts: AuditOptions = {}): Promise<string> {
  const { asOf, from, record, ...render } = opts;
  const params = { asOf, from, ...(record !== undefined ? { record } : {}) };
  return (await renderDocument(app, auditDocument, params, render)).path;
}

/**
 * The note's data as of `asOf`: the stored current runs (data/audit.ts), or, as of an instant
 * before the mirror's first sync (no check ran then), the rules evaluated for it from the
 * platform's own timestamps (docs/rules.md), stored nowhere, with what each rule decided by.
 */
export async function auditData(
  app: DocumentApp,
  school: SchoolInfo,
  asOf: number,
  now: number = Date.now(),
  from?: number,
): Promise<AuditData> {
  const { db } = await app.mirror();
  const data = await loadAudit(db, school, asOf, now, from);
  if (data.run !== null || data.evidence.history !== 'platform') return data;
  const result = await runChecks(db, {
    school: checkSchool(await loadSchoolContext(db, app.config, school.id)),
    asOf,
    config: app.config.checks,
    persist: false,
    kind: 'what-if',
  });
  return auditFromRun(data, result);
}
