import { ClassProgressService } from '../../app/class-progress-service.js';
import { SchoolOverviewService } from '../../app/school-overview-service.js';
import { definePage } from '../page.js';
import { classScope, findingRow, formatInstant } from './view-model.js';

const RISKS: Record<string, string> = {
  two: 'прогноз «2»',
  na: 'прогноз «н/а»',
  slow: 'мало отметок',
};
const comma = (n: number | null): string => (n === null ? '' : n.toFixed(2).replace('.', ','));

/**
 * A class's page: its open findings, its students' progress and rating (the weekly sheet's
 * figures), the forecast, and the printable weekly sheet and students' extracts. The
 * administration opens any class; a class teacher their own (another class: 404).
 */
export const classPage = definePage({
  id: 'class',
  path: '/classes/:classId',
  roles: ['admin', 'classTeacher'],
  async load({ app, viewer, params }) {
    const classId = params.classId ?? '';
    const scope = classScope(viewer);
    const progress = await new ClassProgressService(app).classProgress(scope, classId);
    if (!progress) return { kind: 'notFound' };
    const findings = await new SchoolOverviewService(app).findings(scope, { classId });
    const { klass, sheet, forecast } = progress;
    const base = `/classes/${encodeURIComponent(klass.id)}`;
    const pct = (v: number | null) => (v === null ? '—' : `${String(v).replace('.', ',')} %`);
    return {
      kind: 'view',
      template: 'class',
      title: `Класс ${klass.name}`,
      view: {
        name: klass.name,
        classTeachers: klass.classTeachers.join(', '),
        asOf: formatInstant(app, app.clock.now()),
        note: progress.note,
        findings: findings.map((f) => findingRow(app, f)),
        isAdmin: viewer.roles.has('admin'),
        week: sheet?.week ? `${sheet.week.n}-я неделя` : null,
        period: sheet?.period?.name ?? null,
        students: (sheet?.students ?? []).map((s) => ({
          name: s.name,
          place: s.place ?? '—',
          overall: comma(s.overall),
          change:
            s.change === null
              ? ''
              : s.change > 0
                ? `↑${s.change}`
                : s.change < 0
                  ? `↓${-s.change}`
                  : '=',
          absences: s.absences,
          weekAbsences: s.weekAbsences,
          extractAction: `${base}/students/${encodeURIComponent(s.id)}/extract`,
        })),
        atRisk: (sheet?.atRisk ?? []).map((r) => ({
          studentName: r.studentName,
          subjectName: r.subjectName,
          reason: RISKS[r.reason] ?? r.reason,
          average: comma(r.average),
        })),
        forecast: forecast && {
          success: pct(forecast.current.success),
          quality: pct(forecast.current.quality),
          successAhead: pct(forecast.forecast.success),
          qualityAhead: pct(forecast.forecast.quality),
          atRisk: forecast.atRisk,
        },
        weeklyAction: `${base}/weekly`,
      },
    };
  },
});
