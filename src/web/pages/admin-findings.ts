import { SchoolOverviewService, type FindingsQuery } from '../../app/school-overview-service.js';
import { ruleTitle } from '../../alerts/rules.js';
import { definePage } from '../page.js';
import { paginate } from './pager.js';
import { drillHref, findingRow, schoolScope } from './view-model.js';

const STATES = ['active', 'waived', 'all'] as const;
const STATE_NAMES: Record<(typeof STATES)[number], string> = {
  active: 'открытые',
  waived: 'снятые',
  all: 'все',
};

const ROWS_PER_PAGE = 100;

/** The rows behind a dashboard number: active findings filtered by rule, teacher, class, state. */
export const adminFindingsPage = definePage({
  id: 'admin-findings',
  path: '/admin/findings',
  nav: 'Замечания',
  roles: ['admin'],
  async load({ app, viewer, query }) {
    const state = STATES.find((s) => s === query.state) ?? 'active';
    const filter: FindingsQuery = {
      ...(query.rule ? { rule: query.rule } : {}),
      ...(query.teacher ? { teacherId: query.teacher } : {}),
      ...(query.class ? { classId: query.class } : {}),
      states: state,
    };
    const service = new SchoolOverviewService(app);
    const scope = schoolScope(viewer);
    const rows = await service.findings(scope, filter);
    const filters: string[] = [];
    if (query.rule) filters.push(`критерий: ${ruleTitle(query.rule)}`);
    if (query.teacher) {
      filters.push(`учитель: ${(await service.teacherName(scope, query.teacher)) ?? '—'}`);
    }
    if (query.class) {
      filters.push(`класс: ${(await service.klass(scope, query.class))?.name ?? '—'}`);
    }
    const base = { rule: query.rule, teacher: query.teacher, class: query.class };
    const page = paginate(rows, query, '/admin/findings', ROWS_PER_PAGE);
    return {
      kind: 'view',
      template: 'findings-list',
      title: 'Замечания',
      view: {
        heading: 'Замечания',
        filters,
        count: rows.length,
        states: STATES.map((s) => ({
          name: STATE_NAMES[s],
          href: drillHref({ ...base, state: s === 'active' ? undefined : s }),
          current: s === state,
        })),
        clear: filters.length > 0 ? drillHref({}) : null,
        rows: page.rows.map((f) => findingRow(app, f)),
        pager: page.pager,
        showTeacher: true,
      },
    };
  },
});
