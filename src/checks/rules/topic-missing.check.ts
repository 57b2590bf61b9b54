import { z } from 'zod';
import { formatLocal } from '../../platform/time.js';
import { classFilter, deadlineOffset, hhmm, ruDate, where } from '../common.js';
import {
  charLength,
  normalizeText,
  visibleText,
  withoutBidiControls,
} from '../../platform/text.js';
import { lessonAt } from '../existence.js';
import { findingColumns, queryFindings } from '../query.js';
import { defineRule } from '../rule.js';
import { sql } from '../sql-fragment.js';

const PLACEHOLDERS = ['урок', 'тема', '-', '—', '.', '...', 'нет', 'тема урока'];

/**
 * A past-deadline lesson whose topic is empty, too short or a placeholder, judged on the
 * normalised topic (`normalizeText`: zero-width characters, dash-only or dot-only topics and a
 * placeholder with an invisible character appended are empty or the placeholder). SQL keeps only
 * lessons whose normalised topic (`lessons.topic_norm`, kept by the mirror writer) is short enough
 * to be either (few rows), or not filled (a row restored from an older archive); JS judges those
 * from the topic itself, with the same function: the case-insensitive placeholder match cannot be
 * SQL because SQLite's lower() folds ASCII only and topics are Cyrillic.
 */
export default defineRule({
  id: 'topic-missing',
  title: 'Не заполнена тема урока',
  severity: 'warning',
  audience: ['subject_teacher', 'deputy_director'],
  keyParts: ['lesson'],
  beforeFirstSync: {
    en: 'the lesson by its date; the topic as it is now: a topic missing now was missing then, one filled in since is not claimed (the platform stamps no topic edit)',
    ru: 'урок — по его дате; тема — как сейчас: отсутствующая сейчас отсутствовала и тогда, заполненная позже не вменяется (правку темы платформа не датирует)',
  },
  params: z.object({
    deadlineDays: z.int().min(0).max(60).default(1),
    deadlineTime: hhmm.default('12:00'),
    minLength: z.int().min(1).max(200).default(4),
    placeholders: z.array(z.string()).default(PLACEHOLDERS),
  }),
  message: (row, { zone }) => {
    // Quoted as a reader would see it, without the overrides that would reorder the line.
    const topic =
      typeof row.extra.topic === 'string' ? withoutBidiControls(visibleText(row.extra.topic)) : '';
    const what = topic ? `тема «${topic}» не содержательна` : 'тема не указана';
    const deadline = row.deadline === null ? '' : `, срок ${formatLocal(row.deadline, zone)}`;
    return `Не заполнена тема урока: ${where(row)}, урок ${ruDate(row.date)}${deadline}: ${what}`;
  },
  evaluate: async (ctx) => {
    const { params: p, asOf } = ctx;
    const placeholders = new Set(
      p.placeholders.map((s) => normalizeText(s).toLowerCase()).filter((s) => s !== ''),
    );
    const longest = Math.max(p.minLength - 1, ...[...placeholders].map(charLength));
    const deadline = sql`l.day_start_at + ${deadlineOffset(p.deadlineDays, p.deadlineTime)}`;
    const inner = sql`SELECT ${findingColumns(
      {
        src: 'l.source',
        class_id: 'l.class_id',
        subject_id: 'l.subject_id',
        teacher_id: 'l.teacher_id',
        lesson_id: 'l.id',
        date: 'l.date',
        deadline,
      },
      { topic: 'l.topic' },
    )}
    FROM lessons l
    WHERE l.school_id = ${ctx.schoolId} AND ${lessonAt('l', ctx)} ${classFilter(ctx, 'l.class_id')}
      AND ${asOf} > ${deadline}
      AND (l.topic IS NULL OR l.topic_norm IS NULL OR length(l.topic_norm) <= ${longest})`;
    const rows = await queryFindings(ctx, inner);
    return rows.filter((r) => {
      if (typeof r.extra.topic !== 'string') return true;
      const topic = normalizeText(r.extra.topic);
      return charLength(topic) < p.minLength || placeholders.has(topic.toLowerCase());
    });
  },
});
