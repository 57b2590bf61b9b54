import { ClassProgressService, type ClassPageView } from '../../app/class-progress-service.js';
import type { AppContext } from '../../app/context.js';
import { definePage } from '../page.js';
import { paginate } from './pager.js';
import { classScope, findingRow, formatInstant } from './view-model.js';
import { ruleTitle } from '../../alerts/rules.js';

const RISKS: Record<string, string> = {
  two: 'прогноз «2»',
  na: 'прогноз «н/а»',
  slow: 'мало отметок',
};
/** Rows of open findings a page shows (the counts by criterion above them cover all). */
const FINDINGS_PER_PAGE = 50;
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
  async load({ app, viewer, params, query }) {
    const classId = params.classId ?? '';
    const scope = classScope(viewer);
    const page = await new ClassProgressService(app).classPage(scope, classId);
    if (!page) return { kind: 'notFound' };
    // The view is made once per cached read, page of rows and kind of viewer: the service hands
    // every viewer the same object until the data (or the minute) changes.
    const isAdmin = viewer.roles.has('admin');
    const pageNo = Math.max(1, Number.parseInt(query.page ?? '1', 10) || 1);
    const key = `${pageNo}|${isAdmin}`;
    let made = views.get(page);
    if (!made) views.set(page, (made = new Map()));
    let view = made.get(key);
    if (!view) {
      view = classView(app, page, { page: String(pageNo) }, isAdmin);
      // Bounded: a page number past the end is shown as the last page, but keyed as typed.
      if (made.size < 100) made.set(key, view);
    }
    return { kind: 'view', template: 'class', title: `Класс ${page.progress.klass.name}`, view };
  },
});

const views = new WeakMap<ClassPageView, Map<string, Record<string, unknown>>>();

function classView(
  app: AppContext,
  page: ClassPageView,
  query: Record<string, string | undefined>,
  isAdmin: boolean,
): Record<string, unknown> {
  const { progress, findings } = page;
  const { klass, sheet, forecast } = progress;
  const base = `/classes/${encodeURIComponent(klass.id)}`;
  const shown = paginate(findings, query, base, FINDINGS_PER_PAGE);
  const byRule = new Map<string, { label: string; count: number }>();
  for (const f of findings) {
    const c = byRule.get(f.rule) ?? { label: ruleTitle(f.rule), count: 0 };
    c.count++;
    byRule.set(f.rule, c);
  }
  const pct = (v: number | null) => (v === null ? '—' : `${String(v).replace('.', ',')} %`);
  return {
    name: klass.name,
    classTeachers: klass.classTeachers.join(', '),
    asOf: formatInstant(app, app.clock.now()),
    note: progress.note,
    findingCount: findings.length,
    byRule: [...byRule.values()].sort((a, b) => b.count - a.count),
    findings: shown.rows.map((f) => findingRow(app, f)),
    pager: shown.pager,
    isAdmin,
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
  };
}
