import type { ActionDefinition } from '../page.js';
import { SchoolOverviewService } from '../../app/school-overview-service.js';
import { UsageError } from '../../platform/errors.js';
import { defineAction } from '../page.js';
import { findingView } from './finding.js';
import { schoolScope } from './view-model.js';

type Act = 'acknowledge' | 'waive' | 'reopen';

/**
 * Acknowledge, waive (with a reason) and reopen a finding from its page: the findings service
 * records each with the viewer's name and the time; the server's audit trail adds the account and the address.
 */
function findingAction(act: Act): ActionDefinition {
  return defineAction({
    id: `finding-${act}`,
    path: `/findings/:findingId/${act}`,
    roles: ['admin'],
    // The server records who, when and from where in the audit trail.
    audit: 'finding_action',
    async handle({ app, viewer, params, body }) {
      const id = params.findingId ?? '';
      const reason = body.reason?.trim() ?? '';
      try {
        const done = await new SchoolOverviewService(app).act(schoolScope(viewer), id, act, {
          by: viewer.displayName,
          ...(reason ? { reason } : {}),
        });
        if (!done) return { kind: 'notFound' };
        return { kind: 'redirect', to: `/findings/${encodeURIComponent(id)}` };
      } catch (e) {
        if (!(e instanceof UsageError)) throw e;
        const error =
          act === 'waive' && !reason
            ? 'Чтобы снять замечание, укажите причину.'
            : 'Действие не применимо к замечанию в его нынешнем состоянии.';
        return findingView(app, viewer, id, { error, reason });
      }
    },
  });
}

export const acknowledgeFindingAction = findingAction('acknowledge');
export const waiveFindingAction = findingAction('waive');
export const reopenFindingAction = findingAction('reopen');
