import type { Queue } from 'bullmq';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { FastifyAdapter } from '@bull-board/fastify';

/**
 * Bull Board (service mode's BullMQ queues) mounted under `prefix` in a scope of its own, behind
 * `guard` (the ICT engineer only). Its JSON API is reached only with the session cookie, which is
 * SameSite=Lax: another site cannot post to it with the engineer's session.
 */
export async function mountQueues(
  server: FastifyInstance,
  queues: readonly Queue[],
  prefix: string,
  guard: (req: FastifyRequest, reply: FastifyReply) => Promise<unknown>,
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
        return reply.sent ? reply : undefined;
      });
      await scope.register(adapter.registerPlugin());
    },
    { prefix },
  );
}
