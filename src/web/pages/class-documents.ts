import { ClassProgressService } from '../../app/class-progress-service.js';
import { documentRenders } from '../../app/document-renders.js';
import { defineAction } from '../page.js';
import { classScope } from './view-model.js';

/**
 * The class teacher's printouts from the class page: the weekly sheet and a student's extract for
 * the parents. Each starts a render and sends the browser to its status page; the class (and the
 * student in it) is checked against the viewer's scope first.
 */
export const classWeeklyAction = defineAction({
  id: 'class-weekly',
  path: '/classes/:classId/weekly',
  roles: ['admin', 'classTeacher'],
  async handle({ app, viewer, params }) {
    const view = await new ClassProgressService(app).classProgress(
      classScope(viewer),
      params.classId ?? '',
    );
    if (!view) return { kind: 'notFound' };
    const r = await documentRenders(app).start({
      owner: viewer.accountId,
      documentId: 'weekly',
      params: { className: view.klass.id },
      schoolId: view.klass.schoolId,
    });
    return { kind: 'redirect', to: `/renders/${encodeURIComponent(r.id)}` };
  },
});

export const studentExtractAction = defineAction({
  id: 'student-extract',
  path: '/classes/:classId/students/:studentId/extract',
  roles: ['admin', 'classTeacher'],
  async handle({ app, viewer, params, body }) {
    const service = new ClassProgressService(app);
    const scope = classScope(viewer);
    const classId = params.classId ?? '';
    const studentId = params.studentId ?? '';
    const view = await service.classProgress(scope, classId);
    if (!view || !view.sheet?.students.some((s) => s.id === studentId)) {
      return { kind: 'notFound' };
    }
    const r = await documentRenders(app).start({
      owner: viewer.accountId,
      documentId: 'student',
      params: { student: studentId, ...(body.range === 'period' ? { period: true } : {}) },
      schoolId: view.klass.schoolId,
    });
    return { kind: 'redirect', to: `/renders/${encodeURIComponent(r.id)}` };
  },
});
