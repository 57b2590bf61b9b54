import { SchoolOverviewService } from '../../app/school-overview-service.js';
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
    const max = Math.max(1, ...d.trend.map((w) => w.open));
    return {
      kind: 'view',
      template: 'admin-dashboard',
      title: 'Обзор замечаний',
      view: {
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
        // A <meter> per week: a bar chart with no script and no inline style (the CSP forbids both).
        trendMax: max,
        trend: d.trend.map((w) => ({ ...w, label: formatInstant(app, w.end, false) })),
      },
    };
  },
});
