import { isIP } from 'node:net';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { WebConfig } from '../config/sections/web.js';
import { UsageError } from '../platform/errors.js';

/**
 * Where the site may speak plain HTTP. Passwords and session cookies must never cross a network
 * in clear, so `ezh serve` either listens on a loopback address (a local trial: the browser on
 * the same machine) or sits behind a TLS proxy (`web.behindProxy`), whose X-Forwarded-Proto it
 * trusts and whose plain-HTTP requests it refuses. Anything else is refused at start-up.
 */

export function isLoopback(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  if (h === 'localhost' || h === '::1') return true;
  if (isIP(h) === 4) return h.startsWith('127.');
  return h.startsWith('::ffff:127.');
}

export function checkTransport(web: WebConfig, host: string): void {
  if (web.behindProxy || isLoopback(host)) return;
  throw new UsageError(`refusing to serve plain HTTP on ${host}`, [
    'web.host: plain HTTP is served on a loopback address only (127.0.0.1, ::1)',
    'web.behindProxy: set it to true when a TLS proxy (nginx) forwards to this address',
  ]);
}

/**
 * Per request: behind the proxy only https as the proxy reports it (a request that reached the
 * port directly, or came over plain HTTP to the proxy, is refused); without a proxy, only
 * loopback clients.
 */
export function transportHook(web: WebConfig) {
  return async (req: FastifyRequest, reply: FastifyReply): Promise<void> => {
    const ok = web.behindProxy
      ? req.protocol === 'https'
      : isLoopback(req.socket.remoteAddress ?? '');
    if (ok) return;
    await reply
      .code(403)
      .header('content-type', 'text/plain; charset=utf-8')
      .header('cache-control', 'no-store')
      .send('HTTPS only: open the site through its https:// address.\n');
  };
}
