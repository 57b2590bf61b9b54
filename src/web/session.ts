import { randomBytes } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import type { WebConfig } from '../config/sections/web.js';

/**
 * The session: an encrypted, authenticated cookie (@fastify/secure-session, libsodium secretbox)
 * holding who is logged in and since when. Nothing is kept on the server, so any number of
 * `ezh serve` processes with the same key serve the same sessions (service mode). A session ends
 * after `sessionIdleMinutes` without a request and `sessionMaxHours` after the login; a local
 * account's sessions also end when its password changes or it is disabled (`sessions_after`).
 */

declare module '@fastify/secure-session' {
  interface SessionData {
    /** `local:<login>` or `platform:<personId>`. */
    acct: string;
    /** Random per login: a session made before the login is never the one after it. */
    sid: string;
    /** Login and last request, epoch ms. */
    iat: number;
    seen: number;
    /** OAuth round trip: the state sent to the platform and where to go afterwards. */
    oauthState: string;
    next: string;
    _csrf: string;
  }
}

export const SESSION_COOKIE = 'ezh_session';

export interface LoggedIn {
  acct: string;
  iat: number;
  /** The login's random id: a logout ends this session only, copies of its cookie included. */
  sid: string;
}

/** The login of the session, or null (none, or expired: then the session is emptied). */
export function sessionLogin(req: FastifyRequest, web: WebConfig, now: number): LoggedIn | null {
  const acct = req.session.get('acct');
  const iat = req.session.get('iat');
  const seen = req.session.get('seen');
  const sid = req.session.get('sid');
  if (!acct || !sid || typeof iat !== 'number' || typeof seen !== 'number') return null;
  const idle = now - seen > web.sessionIdleMinutes * 60_000;
  const old = now - iat > web.sessionMaxHours * 3_600_000;
  if (idle || old || iat > now + 60_000) {
    endSession(req);
    return null;
  }
  // Renewed at most once a minute: a cookie rewritten on every response is wasted bytes.
  if (now - seen > 60_000) req.session.set('seen', now);
  return { acct, iat, sid };
}

/**
 * A fresh session for the account: everything the cookie held before (a CSRF secret, an OAuth
 * state, a session an attacker planted) is dropped, so the session after the login is new.
 */
export function startSession(req: FastifyRequest, acct: string, now: number): void {
  req.session.regenerate();
  req.session.set('acct', acct);
  req.session.set('sid', randomBytes(16).toString('hex'));
  req.session.set('iat', now);
  req.session.set('seen', now);
}

export function endSession(req: FastifyRequest): void {
  req.session.regenerate();
}

/** A local path to go back to after the login (never another site: `//host`, `/\host`). */
export function safeNext(value: unknown): string {
  if (typeof value !== 'string' || !/^\/(?![/\\])[^\s]*$/.test(value)) return '/';
  return value.length > 500 ? '/' : value;
}
