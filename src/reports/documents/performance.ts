import type { AppContext } from '../../app/context.js';
import { loadPerformance } from '../data/performance.js';
import { renderPerformanceHtml } from '../html/performance-html.js';
import { documentFileName } from './file-name.js';
import { documentContext, outPath, withRenderer, type RenderOptions } from './context.js';

export interface PerformanceOptions extends RenderOptions {
  /** Period name, e.g. «1 четверть». */
  period: string;
}

/** Period results (успеваемость, качество, СОУ, средний балл); returns the PDF path. */
export async function renderPerformance(
  app: AppContext,
  opts: PerformanceOptions,
): Promise<string> {
  const { db, school } = await documentContext(app, opts);
  const data = await loadPerformance(db, school, opts.period);
  const doc = renderPerformanceHtml(data);
  const out = outPath(app, opts, documentFileName('performance', school.id, data.period));
  return withRenderer(app, opts.renderer, async (r) => (await r.render(doc, out)).path);
}
