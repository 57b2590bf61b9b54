import { basename } from 'node:path';
import type { AppContext } from '../../app/context.js';
import { recordAuditNote } from '../data/audit-notes.js';
import { parseAsOf, instantToLocalDate } from '../../platform/time.js';
import { UsageError } from '../../platform/errors.js';
import { runChecks } from '../../checks/engine.js';
import { checkSchool } from '../../checks/for-app.js';
import { loadSchoolContext } from '../../mirror/school-context.js';
import { auditFromRun, loadAudit, type AuditData } from '../data/audit.js';
import type { SchoolInfo } from '../data/school.js';
import { renderAuditHtml } from '../html/audit-html.js';
import { documentFileName } from './file-name.js';
import { documentContext, outPath, withRenderer, type RenderOptions } from './context.js';

export interface AuditOptions extends RenderOptions {
  /** ISO date-time (or epoch ms); default now. */
  asOf?: string | number;
  /**
   * Start of the window the note covers (ISO date or date-time, or epoch ms): the previous
   * справка's date (the previous occurrence of its schedule, as the scheduled delivery passes it);
   * default 10 days before `asOf` (004 §5.2).
   */
  from?: string | number;
  /**
   * Record the справка as issued (`audit_notes`), so the next one starts at its date; default
   * true. An archive's copy (a record of the mirror, handed to no one) is not an issued справка.
   */
  record?: boolean;
}

/** The compliance note for the deputy director; returns the PDF path. */
export async function renderAudit(app: AppContext, opts: AuditOptions = {}): Promise<string> {
  const { db, school } = await documentContext(app, opts);
  let asOf: number;
  try {
    asOf = typeof opts.asOf === 'number' ? opts.asOf : parseAsOf(opts.asOf, school.zone);
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  let from: number | undefined;
  try {
    from =
      opts.from === undefined
        ? undefined
        : typeof opts.from === 'number'
          ? opts.from
          : parseAsOf(opts.from, school.zone);
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  if (from !== undefined && from > asOf) throw new UsageError("--from is after the note's date");
  const data = await auditData(app, school, asOf, Date.now(), from);
  const doc = renderAuditHtml({ ...data, printedAt: app.clock.now() });
  const out = outPath(
    app,
    opts,
    documentFileName('audit', school.id, instantToLocalDate(data.run?.asOf ?? asOf, school.zone)),
  );
  const path = await withRenderer(app, opts.renderer, async (r) => (await r.render(doc, out)).path);
  if (opts.record ?? true) {
    await recordAuditNote(db, {
      schoolId: school.id,
      asOf: data.run?.asOf ?? asOf,
      from: data.from,
      runId: data.run?.id ?? null,
      fileName: basename(path),
      issuedAt: app.clock.now(),
    });
  }
  return path;
}

/**
 * The note's data as of `asOf`: the stored current runs (data/audit.ts), or, as of an instant
 * before the mirror's first sync (no check ran then), the rules evaluated for it from the
 * platform's own timestamps (docs/rules.md), stored nowhere, with what each rule decided by.
 */
export async function auditData(
  app: AppContext,
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
