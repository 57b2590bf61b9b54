import { SchoolOverviewService } from '../../app/school-overview-service.js';
import { ruleTitle } from '../../alerts/rules.js';
import { definePage } from '../page.js';
import { paginate } from './pager.js';
import { drillHref, findingRow, schoolScope } from './view-model.js';

const ROWS_PER_PAGE = 100;

/** A teacher's page for the administration: their active findings, by criterion and in full. */
export const teacherPage = definePage({
  id: 'teacher',
  path: '/teachers/:teacherId',
  roles: ['admin'],
  async load({ app, viewer, params, query }) {
    const teacherId = params.teacherId ?? '';
    const service = new SchoolOverviewService(app);
    const scope = schoolScope(viewer);
    const name = await service.teacherName(scope, teacherId);
    if (name === null) return { kind: 'notFound' };
    const rows = await service.findings(scope, { teacherId });
    const byRule = new Map<string, { label: string; count: number; href: string }>();
    for (const f of rows) {
      const c = byRule.get(f.rule) ?? {
        label: ruleTitle(f.rule),
        count: 0,
        href: drillHref({ teacher: teacherId, rule: f.rule }),
      };
      c.count++;
      byRule.set(f.rule, c);
    }
    const page = paginate(rows, query, `/teachers/${encodeURIComponent(teacherId)}`, ROWS_PER_PAGE);
    return {
      kind: 'view',
      template: 'teacher',
      title: name,
      view: {
        name,
        count: rows.length,
        byRule: [...byRule.values()].sort((a, b) => b.count - a.count),
        rows: page.rows.map((f) => findingRow(app, f)),
        pager: page.pager,
        waivedHref: drillHref({ teacher: teacherId, state: 'waived' }),
      },
    };
  },
});
