import { SchoolOverviewService } from '../../app/school-overview-service.js';
import { definePage } from '../page.js';
import { formatInstant, schoolScope } from './view-model.js';

/** The справки issued so far (each one's window and when it was issued), newest first. */
export const auditNotesPage = definePage({
  id: 'audit-notes',
  path: '/admin/audit-notes',
  nav: 'Справки',
  roles: ['admin'],
  async load({ app, viewer }) {
    const notes = await new SchoolOverviewService(app).auditNotes(schoolScope(viewer));
    return {
      kind: 'view',
      template: 'audit-notes',
      title: 'История справок',
      view: {
        notes: notes.map((n) => ({
          schoolId: n.schoolId,
          from: formatInstant(app, n.from),
          asOf: formatInstant(app, n.asOf),
          issuedAt: formatInstant(app, n.issuedAt),
          fileName: n.fileName,
        })),
        newHref: '/documents#audit',
      },
    };
  },
});
