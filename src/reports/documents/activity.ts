import type { AppContext } from '../../app/context.js';
import { loadActivity } from '../data/activity.js';
import { renderActivityHtml } from '../html/activity-html.js';
import { documentFileName } from './file-name.js';
import { documentContext, outPath, withRenderer, type RenderOptions } from './context.js';

export interface ActivityOptions extends RenderOptions {
  /** `YYYY-MM`. */
  month: string;
}

/** Monthly teacher activity; returns the PDF path. */
export async function renderActivity(app: AppContext, opts: ActivityOptions): Promise<string> {
  const { db, school } = await documentContext(app, opts);
  const data = await loadActivity(db, school, opts.month);
  const doc = renderActivityHtml(data);
  const out = outPath(app, opts, documentFileName('activity', school.id, opts.month));
  return withRenderer(app, opts.renderer, async (r) => (await r.render(doc, out)).path);
}
