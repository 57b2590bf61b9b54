import { SchoolOverviewService, type Dashboard } from '../../app/school-overview-service.js';
import type { AppContext } from '../../app/context.js';
import { findingsTrendChart } from '../../reports/html/charts.js';
import { definePage } from '../page.js';
import { drillHref, formatInstant, schoolScope } from './view-model.js';

/**
 * The administration's dashboard: active findings by criterion, teacher and class, each number a
 * link to its rows, and the trend over the last weeks from the findings' history.
 */
export const adminDashboardPage = definePage({
  id: 'admin-dashboard',
  path: '/admin',
  nav: 'Обзор',
  roles: ['admin'],
  async load({ app, viewer }) {
    const d = await new SchoolOverviewService(app).dashboard(schoolScope(viewer), 8);
    let view = views.get(d);
    if (!view) {
      view = dashboardView(app, d);
      views.set(d, view);
    }
    return { kind: 'view', template: 'admin-dashboard', title: 'Обзор замечаний', view };
  },
});

/**
 * The view of a dashboard, made once per dashboard read: the service hands every viewer the same
 * cached object until the data changes, and the view depends on nothing else.
 */
const views = new WeakMap<Dashboard, Record<string, unknown>>();

function dashboardView(app: AppContext, d: Dashboard): Record<string, unknown> {
  const trend = d.trend.map((w) => ({ ...w, label: formatInstant(app, w.end, false) }));
  // ECharts' SVG, as the documents draw theirs, shown as an image: inline SVG carries style
  // attributes that the site's CSP (no inline style) would strip; an image's SVG runs nothing.
  const svg = findingsTrendChart(trend);
  return {
    total: d.total,
    totalHref: drillHref({}),
    byRule: d.byRule.map((c) => ({ ...c, href: drillHref({ rule: c.key }) })),
    byTeacher: d.byTeacher.map((c) => ({
      ...c,
      href: drillHref({ teacher: c.key || undefined }),
      page: c.key ? `/teachers/${encodeURIComponent(c.key)}` : null,
    })),
    byClass: d.byClass.map((c) => ({
      ...c,
      href: drillHref({ class: c.key || undefined }),
      page: c.key ? `/classes/${encodeURIComponent(c.key)}` : null,
    })),
    trend,
    trendChart: `data:image/svg+xml;base64,${Buffer.from(svg).toString('base64')}`,
  };
}
