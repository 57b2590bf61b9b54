import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { checkPasswordLogin, logoutDetail, recordAudit } from '../app/accounts-service.js';
import { registerOAuthRoutes } from './oauth-routes.js';
import type { AuthDeps } from './auth-deps.js';
import { renderView } from './render.js';
import { endSession, safeNext, sessionLogin, startSession } from './session.js';

/**
 * The local login form and the logout. Throttled twice: per IP address (@fastify/rate-limit on the
 * form's POST) and per login (after `web.login.maxFailures` wrong passwords it is locked for
 * `lockMinutes`, counted in the audit table). Every attempt is in the audit trail.
 */

const MESSAGES = {
  bad: 'Неверный логин или пароль.',
  locked:
    'Слишком много неудачных попыток: вход по этому логину временно закрыт. Попробуйте позже.',
  disabled: 'Учётная запись отключена. Обратитесь к администратору.',
  empty: 'Введите логин и пароль.',
  expired: 'Сессия закончилась: войдите снова.',
} as const;

export async function registerAuthRoutes(server: FastifyInstance, deps: AuthDeps): Promise<void> {
  const { app, web, now } = deps;
  const oauth = web.oauth.enabled;

  const loginPage = (
    req: FastifyRequest,
    reply: FastifyReply,
    fields: { next: string; login?: string; message?: string },
  ) => renderView(req, reply, deps.ctx(null), 'login', 'Вход', { ...fields, oauth });

  server.get('/login', async (req, reply) => {
    const query = req.query as Record<string, string | undefined>;
    const next = safeNext(query.next);
    if (sessionLogin(req, web, now()) && (await deps.viewerOf(req))) return reply.redirect(next);
    const message = query.error ? oauthMessage(query.error) : undefined;
    return loginPage(req, reply, { next, message });
  });

  server.post(
    '/login',
    {
      preHandler: server.csrfProtection,
      config: { rateLimit: { max: web.login.perIpPerMinute, timeWindow: 60_000 } },
    },
    async (req, reply) => {
      const body = (req.body ?? {}) as Record<string, unknown>;
      const login = typeof body.login === 'string' ? body.login.trim().toLowerCase() : '';
      const password = typeof body.password === 'string' ? body.password : '';
      const next = safeNext(body.next);
      if (!login || !password) {
        reply.code(400);
        return loginPage(req, reply, { next, login, message: MESSAGES.empty });
      }
      const db = (await app.mirror()).db;
      const at = now();
      const check = await checkPasswordLogin(db, app.config, login, password, at);
      if (!check.ok) {
        await recordAudit(db, {
          at,
          kind: 'login_failed',
          actor: check.actor,
          ip: req.ip,
          detail: check.reason,
        });
        reply.code(check.reason === 'locked' ? 429 : 401);
        return loginPage(req, reply, { next, login, message: MESSAGES[check.reason] });
      }
      startSession(req, `local:${check.user.login}`, at);
      await recordAudit(db, {
        at,
        kind: 'login',
        actor: `local:${check.user.login}`,
        ip: req.ip,
        detail: 'password',
      });
      return reply.redirect(next);
    },
  );

  server.post('/logout', { preHandler: server.csrfProtection }, async (req, reply) => {
    const login = sessionLogin(req, web, now());
    if (login) {
      await recordAudit((await app.mirror()).db, {
        at: now(),
        kind: 'logout',
        actor: login.acct,
        ip: req.ip,
        // Which session ended: the viewer refuses it from now on, whoever holds its cookie.
        detail: logoutDetail(login.sid),
      });
    }
    endSession(req);
    return reply.redirect('/login');
  });

  if (oauth) await registerOAuthRoutes(server, deps);
}

function oauthMessage(code: string): string {
  switch (code) {
    case 'state':
      return 'Вход через Дневник.ру не удался: ответ не к этому входу. Попробуйте снова.';
    case 'norole':
      return 'Ваша учётная запись Дневник.ру не связана со школой в ezh. Обратитесь к администратору.';
    case 'denied':
      return 'Вход через Дневник.ру отменён.';
    default:
      return 'Вход через Дневник.ру не удался. Попробуйте снова или войдите по учётной записи ezh.';
  }
}

export { MESSAGES as LOGIN_MESSAGES };
