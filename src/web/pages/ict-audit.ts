import { recentAudit } from '../../app/accounts-service.js';
import { definePage } from '../page.js';

const KIND_RU: Record<string, string> = {
  login: 'вход',
  login_failed: 'неудачный вход',
  logout: 'выход',
  finding_action: 'действие с замечанием',
  action: 'действие',
};

/** `/ict/audit`: the site's audit trail, newest first: who, when, from where, what. */
export const ictAuditPage = definePage({
  id: 'ict-audit',
  path: '/ict/audit',
  roles: ['ict'],
  nav: 'Журнал входов',
  async load({ app }) {
    const rows = (await recentAudit((await app.mirror()).db, 300)).map((r) => ({
      ...r,
      kindText: KIND_RU[r.kind] ?? r.kind,
      bad: r.kind === 'login_failed',
    }));
    return { kind: 'view', template: 'ict-audit', title: 'Журнал входов', view: { rows } };
  },
});
