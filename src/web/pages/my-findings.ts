import { SchoolOverviewService } from '../../app/school-overview-service.js';
import { definePage } from '../page.js';
import { findingRow, formatInstant, teacherScope } from './view-model.js';

/**
 * A subject teacher's own entries' findings across their classes, each with the day it can still
 * be fixed in the journal («можно исправить до …», as the digests say it), the oldest first.
 */
export const myFindingsPage = definePage({
  id: 'my-findings',
  path: '/my/findings',
  nav: 'Мои замечания',
  roles: ['subjectTeacher'],
  async load({ app, viewer }) {
    const scope = teacherScope(viewer);
    const rows = scope ? await new SchoolOverviewService(app).teacherFindings(scope) : [];
    return {
      kind: 'view',
      template: 'my-findings',
      title: 'Мои замечания',
      view: {
        count: rows.length,
        asOf: formatInstant(app, app.clock.now()),
        rows: rows.map((r) => ({
          ...findingRow(app, r.finding),
          subjectName: r.subjectName ?? '',
          fixNote:
            r.fixNote ?? (r.deadline !== null ? `Срок: ${formatInstant(app, r.deadline)}` : ''),
          fixExpired: r.fixExpired,
        })),
      },
    };
  },
});
