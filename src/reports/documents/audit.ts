import type { App } from '../../cli/app.js';
import { parseAsOf, instantToLocalDate } from '../../platform/time.js';
import { UsageError } from '../../platform/errors.js';
import { loadAudit } from '../data/audit.js';
import { renderAuditHtml } from '../html/audit-html.js';
import { documentFileName } from './file-name.js';
import { documentContext, outPath, withRenderer, type RenderOptions } from './context.js';

export interface AuditOptions extends RenderOptions {
  /** ISO date-time (or epoch ms); default now. */
  asOf?: string | number;
  /**
   * Start of the range the note covers (epoch ms): the previous occurrence of its schedule, every
   * 10 days (004 §5.2), as the scheduled delivery passes it. Absent: the note as of `asOf`.
   */
  from?: number;
}

/** The compliance note for the deputy director; returns the PDF path. */
export async function renderAudit(app: App, opts: AuditOptions = {}): Promise<string> {
  const { db, school } = await documentContext(app, opts);
  let asOf: number;
  try {
    asOf = typeof opts.asOf === 'number' ? opts.asOf : parseAsOf(opts.asOf, school.zone);
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  const data = await loadAudit(db, school, asOf);
  const doc = renderAuditHtml(data);
  const out = outPath(
    app,
    opts,
    documentFileName('audit', school.id, instantToLocalDate(data.run?.asOf ?? asOf, school.zone)),
  );
  return withRenderer(app, opts.renderer, async (r) => (await r.render(doc, out)).path);
}
