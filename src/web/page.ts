import type { AppContext } from '../app/context.js';

/**
 * The web door's unit: a page (GET) or an action (POST) is one file under `src/web/pages/` plus
 * one line in `src/web/pages/registry.ts`, like a rule, a document, a job or a connector. The
 * server (src/web/server.ts) owns sessions, CSRF, the layout and the role check on `roles`; the
 * page owns its data, read through the app's services with the viewer's scope, so that access is
 * enforced where the data is read and not only by hiding links.
 */

/** The roles of 001 §1.7 / 004 §1.4: each sees only what its work needs. */
export type Role = 'admin' | 'classTeacher' | 'subjectTeacher' | 'ict';

/** Who is looking, resolved once per request from the session (local account or platform login). */
export interface Viewer {
  /** Stable account key: `local:<login>` or `platform:<personId>`. */
  accountId: string;
  /** As shown in the page header and recorded in finding actions. */
  displayName: string;
  /** The mirror's person, when the account maps to one (platform login or a linked local one). */
  personId: string | null;
  roles: ReadonlySet<Role>;
  /** Schools the viewer works in (admin and ICT: the configured schools). */
  schoolIds: readonly string[];
  /** Classes (edu group ids) whose class teacher the viewer is, from the mirror. */
  classIds: readonly string[];
}

export interface PageRequest {
  app: AppContext;
  viewer: Viewer;
  /** Route parameters (`/classes/:classId` → `{ classId }`). */
  params: Readonly<Record<string, string>>;
  query: Readonly<Record<string, string | undefined>>;
}

export interface ActionRequest extends PageRequest {
  /** The form's fields (urlencoded), already stripped of the CSRF token. */
  body: Readonly<Record<string, string | undefined>>;
  /** The client's address as the proxy reports it, for the audit trail. */
  ip: string;
}

export type PageResult =
  /**
   * Render `src/web/views/pages/<template>.hbs` inside the layout. Besides `view`'s fields the
   * template gets `viewer` (displayName, roles), `csrfToken` and the `{{> csrf}}` partial (the
   * hidden field every POST form needs). Always `{{…}}`, never `{{{…}}}`: text from the
   * platform is hostile.
   */
  | { kind: 'view'; template: string; title: string; view: Record<string, unknown> }
  /** A file to download (a rendered document). */
  | { kind: 'file'; path: string; fileName: string; contentType: string }
  | { kind: 'redirect'; to: string }
  /** Not there, or not the viewer's: both answer 404 so a refused id reveals nothing. */
  | { kind: 'notFound' };

export interface PageDefinition {
  /** Unique, used in logs and the access-matrix test. */
  id: string;
  /** Fastify route path, e.g. `/classes/:classId`. */
  path: string;
  /** Roles that may open it at all; the page still scopes its data to the viewer. */
  roles: readonly Role[];
  /** Shown in the header's menu under this label (pages without route parameters only). */
  nav?: string;
  load(req: PageRequest): Promise<PageResult>;
}

export interface ActionDefinition {
  id: string;
  path: string;
  roles: readonly Role[];
  /**
   * How the server records a handled action in the audit trail (who, when, from where, the id
   * and route parameters): `finding_action` for acknowledge / waive / reopen; default `action`.
   */
  audit?: 'finding_action' | 'action';
  handle(req: ActionRequest): Promise<PageResult>;
}

export function definePage(def: PageDefinition): PageDefinition {
  return def;
}

export function defineAction(def: ActionDefinition): ActionDefinition {
  return def;
}

/** True when the viewer may see the class: administration, or its own class teacher. */
export function viewerSeesClass(viewer: Viewer, classId: string): boolean {
  return viewer.roles.has('admin') || viewer.classIds.includes(classId);
}
