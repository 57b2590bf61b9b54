import { SchoolOverviewService } from '../../app/school-overview-service.js';
import { definePage } from '../page.js';
import { drillHref, findingRow, schoolScope } from './view-model.js';

/** A teacher's page for the administration: their active findings, by criterion and in full. */
export const teacherPage = definePage({
  id: 'teacher',
  path: '/teachers/:teacherId',
  roles: ['admin'],
  async load({ app, viewer, params }) {
    const teacherId = params.teacherId ?? '';
    const service = new SchoolOverviewService(app);
    const scope = schoolScope(viewer);
    const name = await service.teacherName(scope, teacherId);
    if (name === null) return { kind: 'notFound' };
    const rows = await service.findings(scope, { teacherId });
    const byRule = new Map<string, { label: string; count: number; href: string }>();
    for (const f of rows) {
      const row = findingRow(app, f);
      const c = byRule.get(f.rule) ?? {
        label: row.rule,
        count: 0,
        href: drillHref({ teacher: teacherId, rule: f.rule }),
      };
      c.count++;
      byRule.set(f.rule, c);
    }
    return {
      kind: 'view',
      template: 'teacher',
      title: name,
      view: {
        name,
        count: rows.length,
        byRule: [...byRule.values()].sort((a, b) => b.count - a.count),
        rows: rows.map((f) => findingRow(app, f)),
        waivedHref: drillHref({ teacher: teacherId, state: 'waived' }),
      },
    };
  },
});
