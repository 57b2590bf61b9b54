import type { App } from '../../cli/app.js';
import { parseAsOf, instantToLocalDate } from '../../platform/time.js';
import { UsageError } from '../../platform/errors.js';
import { runChecks } from '../../checks/engine.js';
import { schoolsToCheck } from '../../checks/schools.js';
import { auditFromRun, loadAudit, type AuditData } from '../data/audit.js';
import type { SchoolInfo } from '../data/school.js';
import { renderAuditHtml } from '../html/audit-html.js';
import { documentFileName } from './file-name.js';
import { documentContext, outPath, withRenderer, type RenderOptions } from './context.js';

export interface AuditOptions extends RenderOptions {
  /** ISO date-time (or epoch ms); default now. */
  asOf?: string | number;
}

/** The compliance note for the deputy director; returns the PDF path. */
export async function renderAudit(app: App, opts: AuditOptions = {}): Promise<string> {
  const { school } = await documentContext(app, opts);
  let asOf: number;
  try {
    asOf = typeof opts.asOf === 'number' ? opts.asOf : parseAsOf(opts.asOf, school.zone);
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  const data = await auditData(app, school, asOf);
  const doc = renderAuditHtml(data);
  const out = outPath(
    app,
    opts,
    documentFileName('audit', school.id, instantToLocalDate(data.run?.asOf ?? asOf, school.zone)),
  );
  return withRenderer(app, opts.renderer, async (r) => (await r.render(doc, out)).path);
}

/**
 * The note's data as of `asOf`: the stored current runs (data/audit.ts), or, as of an instant
 * before the mirror's first sync (no check ran then), the rules evaluated for it from the
 * platform's own timestamps (docs/rules.md), stored nowhere, with what each rule decided by.
 */
export async function auditData(
  app: App,
  school: SchoolInfo,
  asOf: number,
  now: number = Date.now(),
): Promise<AuditData> {
  const { db } = await app.mirror();
  const data = await loadAudit(db, school, asOf, now);
  if (data.run !== null || data.evidence.history !== 'platform') return data;
  const [checked] = await schoolsToCheck(db, app.config.schools, school.id);
  if (!checked) return data;
  const result = await runChecks(db, {
    school: checked,
    asOf,
    config: app.config.checks,
    persist: false,
    kind: 'what-if',
  });
  return auditFromRun(data, result);
}
