import type { FastifyReply, FastifyRequest } from 'fastify';

/**
 * Security headers of every response. The site runs no inline script (CSP `script-src 'self'`),
 * cannot be framed (clickjacking: `frame-ancestors 'none'`, X-Frame-Options for old browsers),
 * and its pages are personal data: never stored by a browser or a proxy (`no-store`); only the
 * static files (CSS, fonts) are cached.
 */
const CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/**
 * Bull Board's page carries one inline `<style>` block, and a `<base href>` to its own root (its
 * scripts and styles are relative to it: without it, a page deeper than the board's root, such
 * as a queue's, loads none and stays at «Loading»): allowed there and only there.
 */
const QUEUES_CSP = CSP.replace("style-src 'self'", "style-src 'self' 'unsafe-inline'").replace(
  "base-uri 'none'",
  "base-uri 'self'",
);

export const QUEUES_PREFIX = '/ict/queues';

export function securityHeaders(secure: boolean) {
  return async (req: FastifyRequest, reply: FastifyReply): Promise<void> => {
    const queues = req.url.startsWith(`${QUEUES_PREFIX}/`) || req.url === QUEUES_PREFIX;
    reply.header('content-security-policy', queues ? QUEUES_CSP : CSP);
    reply.header('x-frame-options', 'DENY');
    reply.header('x-content-type-options', 'nosniff');
    reply.header('referrer-policy', 'same-origin');
    reply.header('cross-origin-opener-policy', 'same-origin');
    if (secure) reply.header('strict-transport-security', 'max-age=31536000');
    // Static files get theirs from @fastify/static (a day; fonts a month).
    if (!req.url.startsWith('/static/')) reply.header('cache-control', 'no-store');
  };
}
