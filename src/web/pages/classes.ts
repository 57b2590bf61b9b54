import { SchoolOverviewService } from '../../app/school-overview-service.js';
import { definePage } from '../page.js';
import { classScope } from './view-model.js';

/** The classes the viewer may open: every class for the administration, a class teacher's own. */
export const classesPage = definePage({
  id: 'classes',
  path: '/classes',
  nav: 'Классы',
  roles: ['admin', 'classTeacher'],
  async load({ app, viewer }) {
    const classes = await new SchoolOverviewService(app).classes(classScope(viewer));
    // A class teacher of one class goes straight to it.
    if (!viewer.roles.has('admin') && classes.length === 1) {
      return { kind: 'redirect', to: `/classes/${encodeURIComponent(classes[0]!.id)}` };
    }
    return {
      kind: 'view',
      template: 'classes',
      title: 'Классы',
      view: {
        classes: classes.map((c) => ({
          name: c.name,
          href: `/classes/${encodeURIComponent(c.id)}`,
          classTeachers: c.classTeachers.join(', '),
          open: c.open,
        })),
      },
    };
  },
});
