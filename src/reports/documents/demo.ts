import { DateTime } from 'luxon';
import type { AppContext } from '../../app/context.js';
import { listClasses } from '../data/classes.js';
import { classPeriods } from '../data/periods.js';
import { renderActivity } from './activity.js';
import { renderAudit } from './audit.js';
import { documentContext, withRenderer } from './context.js';
import { renderJournal } from './journal.js';
import { renderPerformance } from './performance.js';

/**
 * One of each document for the demo, with one browser: the journal of the first class that has
 * lessons (for its latest finished period, else the latest begun), the compliance note as of now, period results
 * for that period and activity for the month of the latest change the mirror saw.
 */
export async function renderAllDemoReports(
  app: AppContext,
  opts: { outDir: string; schoolId?: string },
): Promise<string[]> {
  const { db, school } = await documentContext(app, opts);
  const latest = await db.query<{ d: string | null }>(
    'SELECT max(date) AS d FROM lessons WHERE school_id = ? AND deleted_at IS NULL',
    [school.id],
  );
  const lastLesson = latest[0]?.d ?? DateTime.now().toISODate()!;
  let className: string | null = null;
  let period: string | null = null;
  for (const c of await listClasses(db, school.id)) {
    const terms = (await classPeriods(db, c.id)).filter(
      (p) => p.type !== 'year' && p.start_date <= lastLesson,
    );
    const lessons = await db.query(
      'SELECT 1 AS x FROM lessons WHERE class_id = ? AND deleted_at IS NULL LIMIT 1',
      [c.id],
    );
    if (terms.length > 0 && lessons.length > 0) {
      const finished = terms.filter((p) => p.finish_date <= lastLesson);
      className = c.name;
      period = (finished[finished.length - 1] ?? terms[terms.length - 1]!).name;
      break;
    }
  }
  const observed = await db.query<{ t: number | null }>(
    'SELECT max(observed_at) AS t FROM record_versions WHERE school_id = ?',
    [school.id],
  );
  const lastSeen =
    observed[0]?.t === null || observed[0]?.t === undefined ? Date.now() : Number(observed[0].t);
  const month = DateTime.fromMillis(lastSeen, { zone: school.zone }).toFormat('yyyy-MM');

  return withRenderer(app, undefined, async (renderer) => {
    const common = { outDir: opts.outDir, schoolId: school.id, renderer };
    const jobs: Promise<string>[] = [
      renderAudit(app, common),
      renderActivity(app, { ...common, month }),
    ];
    if (className !== null && period !== null) {
      jobs.unshift(renderJournal(app, { ...common, className, period }));
      jobs.push(renderPerformance(app, { ...common, period }));
    } else {
      app.logger.warn(
        'no class with lessons and periods in the mirror: journal and period results skipped',
      );
    }
    return Promise.all(jobs);
  });
}
