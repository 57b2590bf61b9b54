import { randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Queue } from 'bullmq';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import fastifyCsrf from '@fastify/csrf-protection';
import fastifyFormbody from '@fastify/formbody';
import fastifyRateLimit from '@fastify/rate-limit';
import fastifySecureSession from '@fastify/secure-session';
import fastifyStatic from '@fastify/static';
import fastifyView from '@fastify/view';
import type { AppContext } from '../app/context.js';
import { recordAudit } from '../app/accounts-service.js';
import { attachDocumentRenders, type RenderQueue } from '../app/document-renders.js';
import { redactString } from '../platform/redact.js';
import { registerAuthRoutes } from './auth-routes.js';
import { mountQueues } from './queues-board.js';
import { QUEUES_PREFIX, securityHeaders } from './headers.js';
import type { ActionDefinition, PageDefinition, PageResult, Viewer } from './page.js';
import { ACTIONS, PAGES } from './pages/registry.js';
import { renderError, renderView, type RenderContext } from './render.js';
import { endSession, safeNext, SESSION_COOKIE, sessionLogin } from './session.js';
import { checkTransport, transportHook } from './transport.js';
import { siteHandlebars } from './view-helpers.js';
import { resolveViewer } from './viewer.js';

/**
 * `ezh serve`'s HTTP server: Fastify over an AppContext. It owns the transport rule (loopback or
 * behind a TLS proxy), the security headers, sessions, CSRF, login throttling, the layout and the
 * role check; the pages and actions of the registry own their data.
 *
 * Access answers: not logged in → the login page; logged in without a role the page lists →
 * 403 (the page exists, it is not for you); a page's object that is not the viewer's (another
 * class, another teacher's finding) → 404, the same as an object that does not exist, so a
 * refused id reveals nothing.
 */

const here = dirname(fileURLToPath(import.meta.url));
const VIEWS_DIR = join(here, 'views');
const STATIC_DIR = join(here, 'static');
const FONTS_DIR = join(
  dirname(createRequire(import.meta.url).resolve('@fontsource/pt-sans/package.json')),
  'files',
);

export interface WebServerOptions {
  app: AppContext;
  /** Default: `web.host` / `web.port` of the config (0: a free port). */
  host?: string;
  port?: number;
  pages?: readonly PageDefinition[];
  actions?: readonly ActionDefinition[];
  /** Wall clock of sessions, throttles and the audit trail (tests move it). */
  now?: () => number;
  /** Service mode's BullMQ queues: Bull Board under /ict/queues for the ICT engineer. */
  queues?: readonly Queue[] | null;
  /**
   * Service mode: documents ordered on the site are printed by the workers (a `reports.render`
   * job); absent, this process prints them.
   */
  renderQueue?: RenderQueue | null;
}

export interface WebServer {
  url: string;
  server: FastifyInstance;
  close(): Promise<void>;
}

declare module 'fastify' {
  interface FastifyRequest {
    /** Resolved once per request by `viewerOf`; undefined: not resolved yet. */
    ezhViewer?: Viewer | null;
  }
}

export async function startWebServer(options: WebServerOptions): Promise<WebServer> {
  const web = options.app.config.web;
  const host = options.host ?? web.host;
  checkTransport(web, host);
  const server = await buildWebServer(options);
  await server.listen({ host, port: options.port ?? web.port });
  const address = server.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  const shown = host.includes(':') ? `[${host}]` : host;
  return {
    url: `http://${shown}:${port}`,
    server,
    close: () => server.close(),
  };
}

export async function buildWebServer(options: WebServerOptions): Promise<FastifyInstance> {
  const { app } = options;
  const web = app.config.web;
  const now = options.now ?? Date.now;
  const pages = options.pages ?? PAGES;
  const actions = options.actions ?? ACTIONS;
  if (web.mode === 'service' && !web.sessionSecret) {
    throw new Error('web.sessionSecret is required in service mode (EZH_WEB__SESSION_SECRET)');
  }
  if (!web.sessionSecret) {
    app.logger.warn(
      'web.sessionSecret is not set: a random key, sessions end when ezh serve stops',
    );
  }
  const key = web.sessionSecret ? Buffer.from(web.sessionSecret, 'hex') : randomBytes(32);

  const server = Fastify({
    trustProxy: web.behindProxy ? web.trustedProxies : false,
    bodyLimit: 256 * 1024,
    logger: false,
    return503OnClosing: true,
  });
  server.addHook('onRequest', transportHook(web));
  const renders = attachDocumentRenders(app, { queue: options.renderQueue ?? null });
  // A render this process prints is finished (queued ones are failed) before the site stops.
  server.addHook('onClose', async () => {
    await renders.close();
  });
  server.addHook('onRequest', securityHeaders(web.behindProxy));
  await server.register(fastifyFormbody);
  await server.register(fastifySecureSession, {
    key,
    cookieName: SESSION_COOKIE,
    expiry: web.sessionMaxHours * 3600,
    cookie: { path: '/', httpOnly: true, sameSite: 'lax', secure: web.behindProxy },
  });
  await server.register(fastifyCsrf, { sessionPlugin: '@fastify/secure-session' });
  await server.register(fastifyRateLimit, { global: false });
  await server.register(fastifyStatic, {
    root: STATIC_DIR,
    prefix: '/static/',
    decorateReply: false,
    index: false,
    maxAge: '1d',
  });
  await server.register(fastifyStatic, {
    root: FONTS_DIR,
    prefix: '/static/fonts/',
    decorateReply: false,
    index: false,
    allowedPath: (path) => path.endsWith('.woff2'),
    maxAge: '30d',
    immutable: true,
  });
  await server.register(fastifyView, {
    engine: { handlebars: siteHandlebars(zoneOf(app)) },
    root: VIEWS_DIR,
    // Not `view`: Bull Board registers its own @fastify/view (EJS) in its scope.
    propertyName: 'page',
    production: true,
    options: { partials: { csrf: 'partials/csrf.hbs', pager: 'partials/pager.hbs' } },
  });

  const viewerOf = async (req: FastifyRequest): Promise<Viewer | null> => {
    if (req.ezhViewer !== undefined) return req.ezhViewer;
    const login = sessionLogin(req, web, now());
    let viewer: Viewer | null = null;
    if (login) {
      viewer = await resolveViewer(app, login);
      if (!viewer) endSession(req);
    }
    req.ezhViewer = viewer;
    return viewer;
  };
  const ctx = (viewer: Viewer | null): RenderContext => ({ viewer, pages });

  server.setNotFoundHandler(async (req, reply) =>
    renderError(req, reply, ctx(await viewerOf(req).catch(() => null)), 404),
  );
  server.setErrorHandler(
    async (err: Error & { statusCode?: number; code?: string }, req, reply) => {
      const status = err.statusCode ?? 500;
      if (status === 403 && err.code === 'FST_CSRF_INVALID_TOKEN') {
        return renderError(
          req,
          reply,
          ctx(null),
          403,
          'Форма устарела или отправлена не с этого сайта: обновите страницу и отправьте её снова.',
        );
      }
      if (status === 403 && /csrf/i.test(err.message)) {
        return renderError(
          req,
          reply,
          ctx(null),
          403,
          'Форма устарела или отправлена не с этого сайта: обновите страницу и отправьте её снова.',
        );
      }
      if (status === 429) return renderError(req, reply, ctx(null), 429);
      if (status >= 400 && status < 500) {
        return reply.code(status).type('text/plain; charset=utf-8').send(`${status}\n`);
      }
      app.logger.error(
        {
          err: { type: err.name, message: redactString(err.message) },
          route: req.routeOptions.url,
        },
        'web request failed',
      );
      return renderError(req, reply, ctx(null), 500);
    },
  );

  server.get('/healthz', async (_req, reply) => reply.type('text/plain').send('ok\n'));

  await registerAuthRoutes(server, { app, web, now, viewerOf, ctx });

  for (const page of pages) {
    server.get(page.path, async (req, reply) => {
      const viewer = await viewerOf(req);
      if (!viewer) return reply.redirect(`/login?next=${encodeURIComponent(req.url)}`);
      if (!page.roles.some((r) => viewer.roles.has(r))) {
        return renderError(req, reply, ctx(viewer), 403);
      }
      const result = await page.load({
        app,
        viewer,
        params: req.params as Record<string, string>,
        query: req.query as Record<string, string | undefined>,
      });
      return send(req, reply, ctx(viewer), result);
    });
  }

  for (const action of actions) {
    server.post(action.path, { preHandler: server.csrfProtection }, async (req, reply) => {
      const viewer = await viewerOf(req);
      if (!viewer) {
        return renderError(req, reply, ctx(null), 403, 'Войдите снова: сессия закончилась.');
      }
      if (!action.roles.some((r) => viewer.roles.has(r))) {
        return renderError(req, reply, ctx(viewer), 403);
      }
      const { _csrf: _ignored, ...body } = (req.body ?? {}) as Record<string, string | undefined>;
      const params = req.params as Record<string, string>;
      const result = await action.handle({
        app,
        viewer,
        params,
        query: req.query as Record<string, string | undefined>,
        body,
        ip: req.ip,
      });
      if (result.kind !== 'notFound') {
        const db = (await app.mirror()).db;
        await recordAudit(db, {
          at: now(),
          kind: action.audit ?? 'action',
          actor: viewer.accountId,
          ip: req.ip,
          detail: `${action.id} ${JSON.stringify(params)}`,
        });
      }
      return send(req, reply, ctx(viewer), result);
    });
  }

  if (options.queues && options.queues.length > 0) {
    await mountQueues(
      server,
      options.queues,
      QUEUES_PREFIX,
      async (req, reply) => {
        const viewer = await viewerOf(req);
        if (!viewer) return reply.redirect(`/login?next=${encodeURIComponent(QUEUES_PREFIX)}`);
        if (!viewer.roles.has('ict')) return renderError(req, reply, ctx(viewer), 403);
        return undefined;
      },
      { secureCookie: web.behindProxy },
    );
  }
  return server;
}

function send(
  req: FastifyRequest,
  reply: FastifyReply,
  ctx: RenderContext,
  result: PageResult,
): FastifyReply {
  switch (result.kind) {
    case 'view':
      return renderView(req, reply, ctx, result.template, result.title, result.view);
    case 'redirect':
      return reply.redirect(safeNext(result.to));
    case 'notFound':
      return renderError(req, reply, ctx, 404);
    case 'file':
      return reply
        .type(result.contentType)
        .header(
          'content-disposition',
          `attachment; filename="${result.fileName.replace(/[^\w.-]/g, '_')}"; filename*=UTF-8''${encodeURIComponent(result.fileName)}`,
        )
        .send(createReadStream(result.path));
  }
}

/** The zone dates are shown in: the first school's (one school per site is the usual case). */
function zoneOf(app: AppContext): string {
  return app.config.schools[0]?.timeZone ?? 'Europe/Moscow';
}
