import { z } from 'zod';
import { httpUrl } from '../fields.js';

/** A list of local logins or platform person ids (`local:` / `platform:` prefixes not needed). */
const accountList = z.array(z.string().min(1)).default([]);

/**
 * `ezh serve`: the web site (issue 22). Plain HTTP is served only on a loopback address; anywhere
 * else the site must sit behind a TLS proxy (`behindProxy`), whose X-Forwarded-Proto/For it then
 * trusts and whose plain-HTTP requests it refuses.
 */
export const webSection = z
  .strictObject({
    host: z.string().min(1).default('127.0.0.1'),
    port: z.int().min(0).max(65535).default(8080),
    /** Behind nginx (or another TLS proxy): trust its X-Forwarded-* headers, refuse non-https. */
    behindProxy: z.boolean().default(false),
    /** Addresses of the proxy whose X-Forwarded-* headers are trusted. */
    trustedProxies: z.array(z.string().min(1)).default(['127.0.0.1', '::1']),
    /**
     * The site's address as users reach it (`https://ezh.school.example`): the OAuth redirect is
     * built on it. Unset on a loopback address: the address the browser used.
     */
    publicUrl: httpUrl.nullable().default(null),
    /**
     * embedded: `ezh serve` also runs the scheduler (one process for a small school); service:
     * a stateless process behind the proxy (jobs run in `ezh worker`), any number of them.
     */
    mode: z.enum(['embedded', 'service']).default('embedded'),
    /**
     * Key of the encrypted session cookies (64 hex characters = 32 bytes), the same for every
     * process of a site; from EZH_WEB__SESSION_SECRET. Unset: a random key per process (sessions
     * end on restart), refused in service mode.
     */
    sessionSecret: z
      .string()
      .regex(/^[0-9a-fA-F]{64}$/, 'must be 64 hex characters (openssl rand -hex 32)')
      .nullable()
      .default(null),
    /** A session ends after this long without a request… */
    sessionIdleMinutes: z
      .int()
      .min(1)
      .max(24 * 60)
      .default(30),
    /** …and this long after the login, whatever happens. */
    sessionMaxHours: z
      .int()
      .min(1)
      .max(24 * 30)
      .default(12),
    /** Administration (director, deputy directors): local logins or platform person ids. */
    admins: accountList,
    /** ICT engineers: local logins or platform person ids. */
    ict: accountList,
    login: z
      .strictObject({
        /** Login form posts per IP address per minute (every process counts its own). */
        perIpPerMinute: z.int().min(1).default(10),
        /** Failed passwords of one login in a row before it is locked for `lockMinutes`. */
        maxFailures: z.int().min(1).default(5),
        lockMinutes: z.int().min(1).default(15),
      })
      .prefault({}),
    /**
     * «Войти через Дневник.ру»: the platform's OAuth2 (reference §1) with the application of
     * `platform.oauth` (clientId, clientSecret, authorizeUrl); the redirect goes to
     * `<publicUrl>/auth/platform/callback`.
     */
    oauth: z
      .strictObject({
        enabled: z.boolean().default(false),
        /** A login needs only whose account it is. */
        scope: z.string().min(1).default('CommonInfo'),
      })
      .prefault({}),
  })
  .prefault({});

export type WebConfig = z.infer<typeof webSection>;
