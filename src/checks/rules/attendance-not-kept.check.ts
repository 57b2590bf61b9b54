import { z } from 'zod';
import { formatLocal } from '../../platform/time.js';
import { classFilter, DAY_MS, hhmm, HOUR_MS, ruDate, timeOfDayMs, where } from '../common.js';
import { attendanceAt, lessonAt } from '../existence.js';
import { lessonCandidates } from '../lesson-candidates.js';
import { findingColumns, queryFindings } from '../query.js';
import { joinEach, probeEach } from '../probe-each.js';
import { defineRule } from '../rule.js';
import { raw, sql } from '../sql-fragment.js';
import type { SqlExecutor } from '../../mirror/sql.js';
import { attendanceStorageOf } from '../../connectors/attendance-storage.js';

/**
 * A past lesson with no attendance entry at all by the end of its ISO week. The weekday comes
 * from `day_start_at` without date functions: local noon of the lesson day lies in the same UTC
 * calendar day for every UTC offset in (−12h, +12h], and 1970-01-01 was a Thursday, so
 * `(dayIndex + 3) % 7` is 0 for Monday … 6 for Sunday.
 *
 * Only a platform that stores an entry for every student of a lesson can show a lesson "not
 * kept": where it stores only the exceptions (н, б, п, оп), a lesson everybody attended has no
 * entry either, and the rule finds nothing (`storage`; `auto` decides per school from the mirror:
 * any entry with a present status shows entries for every student).
 */
export default defineRule({
  id: 'attendance-not-kept',
  heavy: true,
  usesPeriodTotals: true,
  title: 'Не отмечена посещаемость',
  severity: 'warning',
  audience: ['class_teacher', 'subject_teacher', 'deputy_director'],
  keyParts: ['lesson'],
  beforeFirstSync: {
    en: 'the lesson by its date; attendance entries by their creation (createdDate); entries without one, there now, count',
    ru: 'урок — по его дате; записи посещаемости — по моменту создания (createdDate); записи без него, имеющиеся сейчас, учитываются',
  },
  params: z.object({
    /** Local time on the Sunday that ends the lesson's week. */
    weekEnd: hhmm.default('23:59'),
    /** How the platform stores attendance (`ezh probe` tells): see the comment above. */
    storage: z.enum(['auto', 'everyStudent', 'exceptionsOnly']).default('auto'),
  }),
  message: (row, { zone }) => {
    const deadline = row.deadline === null ? '' : `, срок ${formatLocal(row.deadline, zone)}`;
    return `Не отмечена посещаемость: ${where(row)}, урок ${ruDate(row.date)}${deadline}`;
  },
  evaluate: async (ctx) => {
    const { params: p, asOf } = ctx;
    if (!(await keepsEveryStudent(ctx.db, ctx.schoolId, p.storage))) return [];
    const weekday = sql`(((l.day_start_at + ${12 * HOUR_MS}) / ${DAY_MS}) + 3) % 7`;
    const deadline = sql`l.day_start_at + (6 - ${weekday}) * ${DAY_MS} + ${timeOfDayMs(p.weekEnd)}`;
    const columns = findingColumns({
      src: 'l.source',
      class_id: 'l.class_id',
      subject_id: 'l.subject_id',
      teacher_id: 'l.teacher_id',
      lesson_id: 'l.id',
      date: 'l.date',
      deadline,
    });
    const lesson = sql`l.school_id = ${ctx.schoolId} AND ${lessonAt('l', ctx)} ${classFilter(ctx, 'l.class_id')}
      AND ${asOf} > ${deadline}`;
    const unkept = sql`NOT EXISTS (
        SELECT 1 FROM attendance a WHERE a.source = l.source AND a.lesson_id = l.id AND ${attendanceAt('a', ctx, 'present')}${probeEach(ctx.db)})`;
    // With the derived tables, only the lessons that had no live entry when they were refreshed.
    const lessons = lessonCandidates(ctx);
    const inner = sql`SELECT ${columns}
    FROM ${lessons.from}
    WHERE ${lessons.where(raw('t.attendance = 0'))}${lesson}
      AND ${unkept}`;
    return queryFindings(ctx, inner);
  },
});

/**
 * Whether the school's platform keeps an entry for every student (see the rule's comment). `auto`
 * reads a sample of the school's live entries (the first 2,000 read, lesson by lesson: no sort) and decides by shares, as `ezh probe` does
 * (`attendanceStorageOf`); a sample that cannot tell (a fresh mirror, a school that keeps no
 * attendance at all) decides nothing, and the rule finds nothing rather than accuse every lesson.
 */
async function keepsEveryStudent(
  db: SqlExecutor,
  schoolId: string,
  storage: 'auto' | 'everyStudent' | 'exceptionsOnly',
): Promise<boolean> {
  if (storage !== 'auto') return storage === 'everyStudent';
  // Through the school's classes and their lessons, probed by index: `attendance` has no index
  // that leads with the school, and in a municipality's mirror a scan for the first 2,000 of one
  // school's entries passed over every entry of the schools stored before it (as a scan of
  // `lessons` would pass over their lessons: bench/README.md, municipality).
  const q = sql`SELECT a.lesson_id, a.status FROM classes c
    ${joinEach(db, 'lessons', 'l', sql`l.source = c.source AND l.class_id = c.id`)}
    ${joinEach(db, 'attendance', 'a', sql`a.source = l.source AND a.lesson_id = l.id AND a.deleted_at IS NULL`)}
    WHERE c.school_id = ${schoolId} LIMIT 2000`;
  const sample = await db.query<{ lesson_id: string; status: string }>(q.text, q.params);
  const present = sample.filter((r) => r.status === 'Attend').length;
  const lessons = new Set(sample.map((r) => r.lesson_id)).size;
  return attendanceStorageOf(lessons, sample.length, present) === 'every-student';
}
