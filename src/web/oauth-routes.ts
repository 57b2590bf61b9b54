import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { recordAudit, standingOf } from '../app/accounts-service.js';
import { platformLoginPerson, platformLoginUrl } from '../app/platform-login.js';
import { redactString } from '../platform/redact.js';
import type { AuthDeps } from './auth-deps.js';
import { safeNext, startSession } from './session.js';

/**
 * «Войти через Дневник.ру» (reference §1, code flow): `/auth/platform` keeps a random state in the
 * session and sends the browser to the platform's authorize URL; the platform sends it back to
 * `/auth/platform/callback?code&state`; a matching state's code is traded at `POST authorizations`
 * and `users/me` names the person, whose roles the mirror and the config give. A person the
 * school does not know (no role) is not logged in.
 */
export const CALLBACK_PATH = '/auth/platform/callback';

export async function registerOAuthRoutes(server: FastifyInstance, deps: AuthDeps): Promise<void> {
  const { app, web, now } = deps;
  // Without web.publicUrl (a local trial on a loopback address) the address the browser used.
  const redirectUri = (req: FastifyRequest) =>
    new URL(CALLBACK_PATH, web.publicUrl ?? `${req.protocol}://${req.host}/`).toString();

  server.get(
    '/auth/platform',
    { config: { rateLimit: { max: 30, timeWindow: 60_000 } } },
    async (req, reply) => {
      const query = req.query as Record<string, string | undefined>;
      const state = randomBytes(16).toString('hex');
      req.session.set('oauthState', state);
      req.session.set('next', safeNext(query.next));
      return reply.redirect(platformLoginUrl(app.config, redirectUri(req), state));
    },
  );

  server.get(
    CALLBACK_PATH,
    { config: { rateLimit: { max: web.login.perIpPerMinute, timeWindow: 60_000 } } },
    async (req, reply) => {
      const query = req.query as Record<string, string | undefined>;
      const expected = req.session.get('oauthState');
      const next = safeNext(req.session.get('next'));
      req.session.set('oauthState', '');
      if (query.error) return reply.redirect('/login?error=denied');
      if (!expected || !query.state || !sameText(expected, query.state) || !query.code) {
        return reply.redirect('/login?error=state');
      }
      const db = (await app.mirror()).db;
      let personId: string | null;
      try {
        personId = (await platformLoginPerson(app.config, redirectUri(req), query.code)).personId;
      } catch (err) {
        app.logger.warn(
          { err: redactString(err instanceof Error ? err.message : String(err)) },
          'platform login failed',
        );
        await recordAudit(db, {
          at: now(),
          kind: 'login_failed',
          actor: 'platform:?',
          ip: req.ip,
          detail: 'oauth exchange failed',
        });
        return reply.redirect('/login?error=platform');
      }
      const standing = personId
        ? await standingOf(db, app.config, { login: null, personId, ownRoles: [] })
        : null;
      if (!personId || !standing || standing.roles.size === 0) {
        await recordAudit(db, {
          at: now(),
          kind: 'login_failed',
          actor: `platform:${personId ?? '?'}`,
          ip: req.ip,
          detail: 'oauth: no role',
        });
        return reply.redirect('/login?error=norole');
      }
      const at = now();
      startSession(req, `platform:${personId}`, at);
      await recordAudit(db, {
        at,
        kind: 'login',
        actor: `platform:${personId}`,
        ip: req.ip,
        detail: 'oauth',
      });
      return reply.redirect(next);
    },
  );
}

function sameText(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
