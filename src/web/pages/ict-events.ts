import { definePage } from '../page.js';
import { statusOf } from './ict-common.js';

const SEVERITY_RU: Record<string, string> = {
  info: 'сведения',
  warning: 'внимание',
  critical: 'критично',
};

/** `/ict/events`: operator events not yet acknowledged (refused mass deletions, drift, failures). */
export const ictEventsPage = definePage({
  id: 'ict-events',
  path: '/ict/events',
  roles: ['ict'],
  nav: 'События',
  async load({ app }) {
    const events = (await (await statusOf(app)).openEvents(200)).map((e) => ({
      ...e,
      severityText: SEVERITY_RU[e.severity] ?? e.severity,
    }));
    return { kind: 'view', template: 'ict-events', title: 'События', view: { events } };
  },
});
