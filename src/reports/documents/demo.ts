import { DateTime } from 'luxon';
import type { SqlExecutor } from '../../mirror/sql.js';
import { listClasses } from '../data/classes.js';
import { classPeriods } from '../data/periods.js';
import type { SchoolInfo } from '../data/school.js';
import type { DemoSample } from '../define-document.js';

/**
 * What the demo prints its documents for: the first class that has lessons (for its latest
 * finished period, else the latest begun), the month of the latest change the mirror saw, and the
 * first class with marks with its most marked student (the weekly sheet, the student's extract).
 * Each document's definition picks its params from it (`demo`).
 */
export async function demoSample(db: SqlExecutor, school: SchoolInfo): Promise<DemoSample> {
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
  // The progress documents need marks: the first class from grade 2 that has some, and its most
  // marked student.
  let markedClass: string | null = null;
  let student: string | null = null;
  for (const c of await listClasses(db, school.id)) {
    // Grade 1 is taught without marks (a mark there is an error the checks report).
    if ((c.grade !== null && c.grade < 2) || (await classPeriods(db, c.id)).length === 0) continue;
    const top = await db.query<{ student_id: string }>(
      `SELECT student_id FROM marks WHERE class_id = ? AND deleted_at IS NULL
       GROUP BY student_id ORDER BY count(*) DESC, student_id LIMIT 1`,
      [c.id],
    );
    if (top[0]) {
      markedClass = c.name;
      student = top[0].student_id;
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
  return { className, period, month, markedClass, student };
}
