import type { AppContext } from '../../app/context.js';
import { SchoolOverviewService } from '../../app/school-overview-service.js';
import { ruleTitle } from '../../alerts/rules.js';
import { formatDate } from '../../alerts/russian.js';
import { definePage, type PageResult, type Viewer } from '../page.js';
import { formatInstant, schoolScope, STATE_LABELS } from './view-model.js';

const EVENT_LABELS = {
  opened: 'выявлено проверкой',
  resolved: 'исправлено в журнале',
  reopened: 'выявлено снова',
};
const ACTION_LABELS = {
  acknowledge: 'принято к сведению',
  waive: 'снято',
  reopen: 'возвращено в работу',
};

/** A finding with its history (the checks' and people's) and the forms to act on it. */
export async function findingView(
  app: AppContext,
  viewer: Viewer,
  id: string,
  notice: { error?: string; reason?: string } = {},
): Promise<PageResult> {
  const detail = await new SchoolOverviewService(app).finding(schoolScope(viewer), id);
  if (!detail) return { kind: 'notFound' };
  const f = detail.finding;
  const history = [
    ...detail.events.map((e) => ({ at: e.at, what: EVENT_LABELS[e.kind], who: 'ezh', reason: '' })),
    ...detail.actions.map((a) => ({
      at: a.at,
      what: ACTION_LABELS[a.action],
      who: a.actor,
      reason: a.reason ?? '',
    })),
  ]
    .sort((a, b) => a.at - b.at)
    .map((h) => ({ ...h, when: formatInstant(app, h.at) }));
  const base = `/findings/${encodeURIComponent(f.id)}`;
  return {
    kind: 'view',
    template: 'finding',
    title: ruleTitle(f.rule),
    view: {
      id: f.id,
      rule: ruleTitle(f.rule),
      message: f.message,
      className: f.className ?? '',
      classHref: f.classId ? `/classes/${encodeURIComponent(f.classId)}` : null,
      teacherName: f.teacherName ?? '',
      teacherHref: f.teacherId ? `/teachers/${encodeURIComponent(f.teacherId)}` : null,
      subjectName: f.subjectName ?? '',
      studentName: f.studentName ?? '',
      day: f.date ? formatDate(f.date) : '',
      since: formatInstant(app, f.firstSeenAt),
      state: detail.resolved ? 'исправлено' : STATE_LABELS[f.state],
      history,
      error: notice.error ?? null,
      reason: notice.reason ?? '',
      // What can be done now: a resolved finding is history only.
      canAcknowledge: !detail.resolved && f.state === 'open',
      canWaive: !detail.resolved && f.state !== 'waived',
      canReopen: !detail.resolved && f.state !== 'open',
      acknowledgeAction: `${base}/acknowledge`,
      waiveAction: `${base}/waive`,
      reopenAction: `${base}/reopen`,
    },
  };
}

export const findingPage = definePage({
  id: 'finding',
  path: '/findings/:findingId',
  roles: ['admin'],
  load: ({ app, viewer, params }) => findingView(app, viewer, params.findingId ?? ''),
});
