import { z } from 'zod';
import type { DocumentApp } from './context.js';
import { loadPerformance } from '../data/performance.js';
import { loadPerformanceForecast } from '../data/performance-forecast.js';
import { defineDocument } from '../define-document.js';
import { renderPerformanceHtml } from '../html/performance-html.js';
import { renderDocument } from '../render-document.js';
import type { RenderOptions } from './context.js';

const params = z.strictObject({
  /** Period name, e.g. «1 четверть». */
  period: z.string().min(1),
});

/**
 * Period results (успеваемость, качество, СОУ, средний балл), and beside them the expected
 * успеваемость and качество per class and for the school if the forecasts of the period marks hold
 * (as of the moment of printing).
 */
export const performanceDocument = defineDocument({
  id: 'performance',
  title: 'Итоги успеваемости',
  params,
  load: async ({ app, db }, school, p) => {
    const data = await loadPerformance(db, school, p.period);
    const asOf = app.clock.now();
    return { data, forecast: await loadPerformanceForecast(app, data, asOf), asOf };
  },
  view: (d) => renderPerformanceHtml(d.data, { summary: d.forecast, asOf: d.asOf }),
  fileName: (d) => [d.data.period],
  cli: {
    description: 'period results: успеваемость, качество, СОУ, средний балл',
    options: [
      {
        flags: '--period <name>',
        description: 'reporting period name, e.g. "1 четверть"',
        required: true,
      },
    ],
    outName: 'performance-<school>-<period>.pdf',
    params: (o) => ({ period: o.period }),
  },
  job: { params: (p) => ({ period: p.period }), keys: ['period'], required: ['period'] },
  // The results of the latest period that ended; none yet: no letter.
  subscription: {
    edition: async (o) => {
      const period = await o.lastEndedPeriod();
      return period === null
        ? null
        : {
            edition: period,
            title: `Итоги успеваемости за период «${period}»`,
            params: { period },
          };
    },
  },
  demo: (s) => (s.className !== null && s.period !== null ? { period: s.period } : null),
});

export type PerformanceOptions = RenderOptions & z.infer<typeof params>;

/** Period results; returns the PDF path. */
export async function renderPerformance(
  app: DocumentApp,
  opts: PerformanceOptions,
): Promise<string> {
  const { period, ...render } = opts;
  return (await renderDocument(app, performanceDocument, { period }, render)).path;
}
