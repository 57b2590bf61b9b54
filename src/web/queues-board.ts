import type { Queue } from 'bullmq';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { FastifyAdapter } from '@bull-board/fastify';

/** The cookie Bull Board's UI (axios) copies into `X-XSRF-TOKEN` on its own requests. */
export const QUEUES_CSRF_COOKIE = 'XSRF-TOKEN';

const SAFE = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Bull Board (service mode's BullMQ queues) mounted under `prefix` in a scope of its own, behind
 * `guard` (the ICT engineer only). Its API changes the queues (retry, clean, promote, pause,
 * remove jobs): every request but GET/HEAD/OPTIONS must carry the session's CSRF token in a
 * header, as the site's forms carry it in a field. The board's page cannot be given a form field,
 * but its HTTP client (axios) sends the cookie `XSRF-TOKEN` back as `X-XSRF-TOKEN` on requests to
 * its own origin: each GET of the board sets that cookie (readable by the page's script, so
 * SameSite=Strict and limited to the board's path). SameSite=Lax on the session cookie alone
 * would still let a same-site page (another service on a sibling host) post with the session.
 */
export async function mountQueues(
  server: FastifyInstance,
  queues: readonly Queue[],
  prefix: string,
  guard: (req: FastifyRequest, reply: FastifyReply) => Promise<unknown>,
  options: { secureCookie: boolean },
): Promise<void> {
  const adapter = new FastifyAdapter();
  adapter.setBasePath(prefix);
  createBullBoard({
    queues: queues.map((q) => new BullMQAdapter(q)),
    // @bull-board/fastify 9.10.1 carries its own copy of @bull-board/api's types (9.10.1 vs
    // 9.10.2): the same shape, declared twice.
    serverAdapter: adapter as unknown as Parameters<typeof createBullBoard>[0]['serverAdapter'],
    options: { uiConfig: { boardTitle: 'ezh: очереди' } },
  });
  await server.register(
    async (scope) => {
      scope.addHook('onRequest', async (req, reply) => {
        await guard(req, reply);
        if (reply.sent) return reply;
        if (SAFE.has(req.method)) {
          reply.setCookie(QUEUES_CSRF_COOKIE, reply.generateCsrf(), {
            path: prefix,
            sameSite: 'strict',
            secure: options.secureCookie,
            httpOnly: false,
          });
        }
        return undefined;
      });
      // After the guard (a non-ICT viewer is refused 403 whatever the token): a change without
      // the token is refused 403 through the site's error handler, like a form without its field.
      scope.addHook('onRequest', (req, reply, done) => {
        if (SAFE.has(req.method)) done();
        else server.csrfProtection(req, reply, done);
      });
      await scope.register(adapter.registerPlugin());
    },
    { prefix },
  );
}
