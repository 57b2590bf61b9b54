import { z } from 'zod';
import { ProgressService } from '../../analytics/service.js';
import { lastSyncedAt } from '../../checks/data-time.js';
import { defineDocument } from '../define-document.js';
import { renderStudentHtml } from '../html/student-html.js';
import { progressInstant } from './progress-instant.js';

const params = z.strictObject({
  /** The student's person id or full name («Фамилия Имя»). */
  student: z.string().min(1),
  /** Any day of the week (`YYYY-MM-DD`); default the week of `asOf`. */
  week: z.string().min(1).optional(),
  /**
   * `true`: the period so far (of `asOf`, or of `week`'s end) instead of one week; a name
   * («2 четверть», «II четверть»): that period (so far).
   */
  period: z.union([z.boolean(), z.string().min(1)]).optional(),
  /** ISO date-time (or epoch ms); default now. */
  asOf: z.union([z.string().min(1), z.number()]).optional(),
});

/**
 * A student's extract for the parents (003 ¶8): marks by subject for a week or the period so far,
 * averages with their dynamics, absences, homework. Personal data: handed to the parents by the
 * class teacher; written 0600 like every document. The file is named by the student's person id,
 * never the name (paths reach logs and the terminal).
 */
export const studentDocument = defineDocument({
  id: 'student',
  title: 'Выписка из электронного журнала',
  params,
  load: async ({ app, db }, school, p) => {
    const asOf = progressInstant(p.asOf, p.week, school.zone, () => app.clock.now());
    const extract = await new ProgressService(app).studentExtract({
      school: school.id,
      student: p.student,
      asOf,
      range: p.period ? 'period' : 'week',
      ...(typeof p.period === 'string' ? { period: p.period } : {}),
    });
    return {
      school,
      extract,
      dataAsOf: await lastSyncedAt(db, school.id),
      printedAt: app.clock.now(),
    };
  },
  view: (d) => renderStudentHtml(d),
  fileName: (d) => [d.extract.studentId, d.extract.range.kind, d.extract.range.start],
  cli: {
    description: "a student's extract for the parents: marks, averages, absences, homework",
    options: [
      {
        flags: '--student <id|name>',
        description: 'person id or full name, "Фамилия Имя"',
        required: true,
      },
      {
        flags: '--week <date>',
        description: 'any day of the week, YYYY-MM-DD (default: this week)',
      },
      {
        flags: '--period [name]',
        description:
          'the period so far instead of one week; a name ("2 четверть", "1 полугодие"): that period',
      },
      { flags: '--as-of <iso>', description: 'the instant the data are taken at (default: now)' },
    ],
    outName: 'student-<school>-<person id>-<week|period>-<start>.pdf',
    params: (o) => ({
      student: o.student,
      week: o.week,
      period: o.period === true || typeof o.period === 'string' ? o.period : undefined,
      asOf: o.asOf,
    }),
  },
  job: {
    // `period`: "true" the period so far of `asOf`, a name that period ("false" or absent: the week).
    params: (p, asOf) => ({
      student: p.student,
      ...(p.week ? { week: p.week } : {}),
      ...(p.period && p.period !== 'false'
        ? { period: p.period === 'true' ? true : p.period }
        : {}),
      asOf,
    }),
    keys: ['student', 'week', 'period'],
    required: ['student'],
  },
  // The period so far: the demo's instant is a Monday morning, when this week has no marks yet.
  demo: (s) => (s.student !== null ? { student: s.student, period: true } : null),
});
