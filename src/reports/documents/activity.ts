import { DateTime } from 'luxon';
import { z } from 'zod';
import type { DocumentApp } from './context.js';
import { loadActivity } from '../data/activity.js';
import { defineDocument } from '../define-document.js';
import { renderActivityHtml } from '../html/activity-html.js';
import { renderDocument } from '../render-document.js';
import type { RenderOptions } from './context.js';

const params = z.strictObject({
  /** `YYYY-MM`. */
  month: z.string().min(1),
});

/** Teachers' monthly activity in the journal, from the mirror's history. */
export const activityDocument = defineDocument({
  id: 'activity',
  title: 'Отчёт об активности в электронном журнале',
  params,
  load: ({ db }, school, p) => loadActivity(db, school, p.month),
  view: (data) => renderActivityHtml(data),
  fileName: (_data, p) => [p.month],
  cli: {
    description: "teachers' monthly activity in the journal, from the mirror's history",
    options: [{ flags: '--month <yyyy-mm>', description: 'month, e.g. 2026-10', required: true }],
    outName: 'activity-<school>-<month>.pdf',
    params: (o) => ({ month: o.month }),
  },
  job: { params: (p) => ({ month: p.month }), keys: ['month'], required: ['month'] },
  // Sent on the 1st for the month before.
  subscription: {
    edition: async (o) => {
      const month = DateTime.fromMillis(o.asOf, { zone: o.zone }).minus({ months: 1 });
      const key = month.toFormat('yyyy-MM');
      return {
        edition: key,
        title: `Отчёт об активности в электронном журнале за ${month.setLocale('ru').toFormat('LLLL yyyy')}`,
        params: { month: key },
      };
    },
  },
  demo: (s) => ({ month: s.month }),
});

export type ActivityOptions = RenderOptions & z.infer<typeof params>;

/** Monthly teacher activity; returns the PDF path. */
export async function renderActivity(app: DocumentApp, opts: ActivityOptions): Promise<string> {
  const { month, ...render } = opts;
  return (await renderDocument(app, activityDocument, { month }, render)).path;
}
