import { DateTime } from 'luxon';
import { z } from 'zod';
import { ProgressService } from '../../analytics/service.js';
import { lastSyncedAt } from '../../checks/data-time.js';
import { defineDocument } from '../define-document.js';
import { ruDate } from '../format.js';
import { renderWeeklyHtml } from '../html/weekly-html.js';
import { progressInstant } from './progress-instant.js';

const params = z.strictObject({
  /** Class name as users type it («5А») or its id. */
  className: z.string().min(1),
  /** Any day of the week (`YYYY-MM-DD`); default the week of `asOf`. */
  week: z.string().min(1).optional(),
  /** ISO date-time (or epoch ms); default now. */
  asOf: z.union([z.string().min(1), z.number()]).optional(),
});

/**
 * The class teacher's weekly sheet (004 §2.2, §3.8–3.9, §4.1): the class's students × subjects
 * with this week's marks and the period's averages, places and their change, the students at risk
 * and the missing marks, on one landscape page. Personal data: for the class teacher and the
 * administration; written 0600 like every document; names are never logged (the file is named by
 * the class and the week).
 */
export const weeklyDocument = defineDocument({
  id: 'weekly',
  title: 'Сводная ведомость класса за неделю',
  params,
  load: async ({ app, db }, school, p) => {
    const asOf = progressInstant(p.asOf, p.week, school.zone, () => app.clock.now());
    const sheet = await new ProgressService(app).classSheet({
      school: school.id,
      class: p.className,
      asOf,
    });
    return {
      school,
      sheet,
      dataAsOf: await lastSyncedAt(db, school.id),
      printedAt: app.clock.now(),
    };
  },
  view: (d) => renderWeeklyHtml(d),
  fileName: (d) => [d.sheet.className, d.sheet.week?.start ?? 'вне-периода'],
  cli: {
    description: "the class teacher's weekly sheet: marks, averages, rating, students at risk",
    options: [
      { flags: '--class <name>', description: 'class name, e.g. 5А', required: true },
      {
        flags: '--week <date>',
        description: 'any day of the week, YYYY-MM-DD (default: this week)',
      },
      { flags: '--as-of <iso>', description: 'the instant the data are taken at (default: now)' },
    ],
    outName: 'weekly-<school>-<class>-<week start>.pdf',
    params: (o) => ({ className: o.class, week: o.week, asOf: o.asOf }),
  },
  job: {
    params: (p, asOf) => ({ className: p.class, ...(p.week ? { week: p.week } : {}), asOf }),
    keys: ['class', 'week'],
    required: ['class'],
  },
  /**
   * Weekly, to each class teacher their own class's sheet (and to the subscription's recipients,
   * the administration, every class's): one edition per class in session. The week is the one
   * holding the day before the occurrence: a Monday-morning schedule (the default) sends the week
   * just ended as it stood at its end; a Saturday one, this week so far.
   */
  subscription: {
    edition: async (o, app) => {
      if (!app) throw new Error('the weekly sheets need the app to list the classes');
      const day = DateTime.fromMillis(o.asOf, { zone: o.zone }).minus({ days: 1 });
      const [start, end] = [day.startOf('week').toISODate()!, day.endOf('week').toISODate()!];
      const classes = await new ProgressService(app).classesInSession({
        school: o.schoolId,
        day: day.toISODate()!,
        asOf: o.asOf,
      });
      return classes.map((c) => ({
        edition: `${start}:${c.id}`,
        title: `Сводная ведомость класса ${c.name} за неделю ${ruDate(start)} — ${ruDate(end)}`,
        params: { className: c.id, week: day.toISODate()!, asOf: o.asOf },
        classId: c.id,
      }));
    },
  },
  demo: (s) => (s.markedClass !== null ? { className: s.markedClass } : null),
});
