import { definePage } from '../page.js';

/**
 * `/`: where a login lands. Every role sees it; it names the viewer's roles and the sections of
 * the menu, so a person with several roles (a deputy director who teaches) picks where to go.
 */
export const homePage = definePage({
  id: 'home',
  path: '/',
  roles: ['admin', 'classTeacher', 'subjectTeacher', 'ict'],
  async load({ viewer }) {
    return {
      kind: 'view',
      template: 'home',
      title: 'Главная',
      view: {
        isAdmin: viewer.roles.has('admin'),
        isClassTeacher: viewer.roles.has('classTeacher'),
        isSubjectTeacher: viewer.roles.has('subjectTeacher'),
        isIct: viewer.roles.has('ict'),
        classCount: viewer.classIds.length,
      },
    };
  },
});
