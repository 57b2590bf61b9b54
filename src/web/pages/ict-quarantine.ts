import { definePage } from '../page.js';
import { statusOf } from './ict-common.js';

/** `/ict/quarantine`: records the sync held back (why, which stream, which run), newest first. */
export const ictQuarantinePage = definePage({
  id: 'ict-quarantine',
  path: '/ict/quarantine',
  roles: ['ict'],
  nav: 'Карантин',
  async load({ app }) {
    const rows = await (await statusOf(app)).quarantined(200);
    return { kind: 'view', template: 'ict-quarantine', title: 'Карантин', view: { rows } };
  },
});
