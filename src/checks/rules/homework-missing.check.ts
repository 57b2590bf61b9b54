import { z } from 'zod';
import { formatLocal } from '../../platform/time.js';
import { classFilter, deadlineOffset, hhmm, ruDate, trimmed, where } from '../common.js';
import { lessonAt, workAt } from '../existence.js';
import { lessonCandidates } from '../lesson-candidates.js';
import { findingColumns, queryFindings } from '../query.js';
import { probeEach } from '../probe-each.js';
import { defineRule } from '../rule.js';
import { inList, sql } from '../sql-fragment.js';

/** A past-deadline lesson of grades 2–11 without a real homework text. */
export default defineRule({
  id: 'homework-missing',
  heavy: true,
  usesPeriodTotals: true,
  title: 'Не задано домашнее задание',
  severity: 'warning',
  audience: ['subject_teacher', 'deputy_director'],
  keyParts: ['lesson'],
  beforeFirstSync: {
    en: 'the lesson by its date; homework by its sent date (Work.sentDate); homework without one, there now, is taken as there then',
    ru: 'урок — по его дате; домашнее задание — по дате выдачи (sentDate); задание без неё, имеющееся сейчас, считается выданным',
  },
  params: z.object({
    deadlineDays: z.int().min(0).max(60).default(1),
    deadlineTime: hhmm.default('12:00'),
    minLength: z.int().min(1).max(200).default(4),
    /** Subjects without homework (ids or names as the platform shows them, e.g. «Физическая культура»). */
    exemptSubjects: z.array(z.string().min(1)).default([]),
  }),
  message: (row, { zone }) => {
    const deadline = row.deadline === null ? '' : `, срок ${formatLocal(row.deadline, zone)}`;
    return `Не задано домашнее задание: ${where(row)}, урок ${ruDate(row.date)}${deadline}`;
  },
  evaluate: (ctx) => {
    const { params: p, asOf } = ctx;
    const deadline = sql`l.day_start_at + ${deadlineOffset(p.deadlineDays, p.deadlineTime)}`;
    const skip = p.exemptSubjects.length
      ? sql` AND l.subject_id NOT IN ${inList(p.exemptSubjects)}
          AND NOT EXISTS (SELECT 1 FROM subjects s WHERE s.source = l.source AND s.id = l.subject_id
            AND s.name IN ${inList(p.exemptSubjects)})`
      : sql``;
    const columns = findingColumns({
      src: 'l.source',
      class_id: 'l.class_id',
      subject_id: 'l.subject_id',
      teacher_id: 'l.teacher_id',
      lesson_id: 'l.id',
      date: 'l.date',
      deadline,
    });
    const lesson = sql`l.school_id = ${ctx.schoolId} AND ${lessonAt('l', ctx)} AND c.grade >= 2
      ${classFilter(ctx, 'l.class_id')} ${skip}
      AND ${asOf} > ${deadline}`;
    const unset = sql`NOT EXISTS (
        SELECT 1 FROM works w
        WHERE w.source = l.source AND w.lesson_id = l.id AND w.type = 'Homework' AND ${workAt('w', ctx, 'present')}
          AND length(${trimmed('w.text')}) >= ${p.minLength}${probeEach(ctx.db)})`;
    // With the derived tables, only the lessons whose longest homework text was too short (or
    // that had none) when they were refreshed.
    const lessons = lessonCandidates(ctx);
    const inner = sql`SELECT ${columns}
    FROM ${lessons.from}
    JOIN classes c ON c.source = l.source AND c.id = l.class_id
    WHERE ${lessons.where(sql`t.homework_len < ${p.minLength}`)}${lesson}
      AND ${unset}`;
    return queryFindings(ctx, inner);
  },
});
