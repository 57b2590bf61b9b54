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
   * Start of the window the note covers (ISO date or date-time, or epoch ms): the previous
   * справка's date when a schedule makes them; default 10 days before `asOf` (004 §5.2).
   */
  from?: string | number;
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
  const data = await loadAudit(db, school, asOf, Date.now(), from);
  const doc = renderAuditHtml(data);
  const out = outPath(
    app,
    opts,
    documentFileName('audit', school.id, instantToLocalDate(data.run?.asOf ?? asOf, school.zone)),
  );
  return withRenderer(app, opts.renderer, async (r) => (await r.render(doc, out)).path);
}
