import { definePage } from '../page.js';
import { formatDuration } from '../view-helpers.js';
import { ruStatus, statusOf } from './ict-common.js';

const RUNS_SHOWN = 30;

/**
 * `/ict/sync`: the sync runs as a timeline, newest first, like a sync tool's run history: each
 * run's school, mode, status, duration and error, and per stream its requests, retries, records
 * (new, changed, deleted, unchanged, quarantined) and errors. `?school=` keeps one school.
 */
export const ictSyncPage = definePage({
  id: 'ict-sync',
  path: '/ict/sync',
  roles: ['ict'],
  nav: 'Синхронизация',
  async load({ app, query }) {
    const status = await statusOf(app);
    const school =
      query.school && app.config.schools.some((s) => s.id === query.school) ? query.school : null;
    const { runs } = await status.syncRuns(school ? RUNS_SHOWN * 4 : RUNS_SHOWN);
    const shown = runs.filter((r) => !school || r.schoolId === school).slice(0, RUNS_SHOWN);
    const timeline = [];
    for (const r of shown) {
      const streams = await status.runStreams(r.id);
      timeline.push({
        ...r,
        statusText: ruStatus(r.status),
        bad: r.status === 'failed' || r.status === 'interrupted' || r.status === 'partial',
        duration: r.finishedAt !== null ? formatDuration(r.finishedAt - r.startedAt) : 'идёт',
        requests: streams.reduce((n, s) => n + s.requests, 0),
        retries: streams.reduce((n, s) => n + s.retries, 0),
        errors: streams.reduce((n, s) => n + s.errors, 0),
        streams: streams.map((s) => ({ ...s, duration: formatDuration(s.durationMs) })),
      });
    }
    return {
      kind: 'view',
      template: 'ict-sync',
      title: 'Синхронизация',
      view: {
        timeline,
        school,
        schools: app.config.schools.map((s) => ({ id: s.id, current: s.id === school })),
      },
    };
  },
});
