import type { AccessScope } from '../../app/access-scope.js';
import type { AppContext } from '../../app/context.js';
import type { FindingItem, FindingState } from '../../app/school-overview-service.js';
import { ruleTitle } from '../../alerts/rules.js';
import { formatDate } from '../../alerts/russian.js';
import { formatLocal } from '../../platform/time.js';
import type { Viewer } from '../page.js';

/**
 * What the administration's and teachers' pages share: the viewer's scope for the app's services,
 * and values already formatted in Russian (templates only lay them out; Handlebars escapes them).
 */

/** The administration's scope: the whole of their schools. */
export function schoolScope(viewer: Viewer): AccessScope {
  return { kind: 'school', schoolIds: viewer.schoolIds };
}

/** A class page's scope: the administration sees every class, a class teacher their own. */
export function classScope(viewer: Viewer): AccessScope {
  return viewer.roles.has('admin')
    ? schoolScope(viewer)
    : { kind: 'classes', schoolIds: viewer.schoolIds, classIds: viewer.classIds };
}

/** A subject teacher's scope: the findings addressed to them (null: the account has no person). */
export function teacherScope(viewer: Viewer): AccessScope | null {
  return viewer.personId
    ? { kind: 'teacher', schoolIds: viewer.schoolIds, teacherId: viewer.personId }
    : null;
}

/** The zone dates are shown in: the first configured school's, else Moscow's. */
export function zoneOf(app: AppContext): string {
  return app.config.schools.find((s) => s.timeZone)?.timeZone ?? 'Europe/Moscow';
}

export const formatInstant = (app: AppContext, at: number, withTime = true): string =>
  formatLocal(at, zoneOf(app), withTime);

export const STATE_LABELS: Readonly<Record<FindingState, string>> = {
  open: 'открыто',
  acknowledged: 'принято к сведению',
  waived: 'снято',
};

/** A finding as a table row shows it. */
export interface FindingRow {
  id: string;
  href: string;
  rule: string;
  message: string;
  className: string;
  teacherName: string;
  studentName: string;
  /** The lesson's or entry's day («date» is a helper of the site's Handlebars). */
  day: string;
  state: string;
  since: string;
}

export function findingRow(app: AppContext, f: FindingItem): FindingRow {
  return {
    id: f.id,
    href: `/findings/${encodeURIComponent(f.id)}`,
    rule: ruleTitle(f.rule),
    message: f.message,
    className: f.className ?? '',
    teacherName: f.teacherName ?? '',
    studentName: f.studentName ?? '',
    day: f.date ? formatDate(f.date) : '',
    state: STATE_LABELS[f.state],
    since: formatInstant(app, f.firstSeenAt, false),
  };
}

/** `/admin/findings?…` with the given filters (empty ones left out). */
export function drillHref(filters: Record<string, string | undefined>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(filters)) if (v) q.set(k, v);
  const s = q.toString();
  return s ? `/admin/findings?${s}` : '/admin/findings';
}
