import { DateTime } from 'luxon';
import { z } from 'zod';
import { httpUrl as url } from '../../config/fields.js';

/**
 * Dnevnik.ru's own part of the config's `platform` section (`platform.kind: dnevnik`, the
 * default): an HTTP API with a token per school staff user and an OAuth application.
 */
export const dnevnikSettings = z.strictObject({
  /** API root; white-label hosts such as https://api.school.mosreg.ru/v2/ work the same. */
  baseUrl: url.default('https://api.dnevnik.ru/v2/'),
  /** Access token of a staff/administrator user with EducationalInfo scope; secret, from EZH_DNEVNIK_TOKEN. */
  token: z.string().min(8, 'must be at least 8 characters').optional(),
  /** OAuth application, for `ezh auth` and token refresh. */
  oauth: z
    .strictObject({
      authorizeUrl: url.default('https://login.dnevnik.ru/oauth2'),
      clientId: z.string().optional(),
      clientSecret: z.string().optional(),
      redirectUri: url.optional(),
      refreshToken: z.string().optional(),
      scope: z.string().default('CommonInfo,EducationalInfo'),
    })
    .prefault({}),
  /** Per token. Conservative: the platform publishes no limits. */
  requestsPerSecond: z.number().positive('must be positive').max(100).default(4),
  concurrency: z.int().min(1).max(32).default(4),
  timeoutMs: z.int().min(1000).default(30_000),
  maxRetries: z.int().min(0).max(20).default(6),
  /**
   * The zone of the moments the platform stamps when a mark is set or attendance entered
   * (`Mark.date`, `LessonLogEntry.createdDate`): UTC on Dnevnik, as public clients read them
   * (docs/platform.md). `ezh probe` tells whether a school's platform agrees.
   */
  entryTimeZone: z
    .string()
    .refine(
      (zone) => DateTime.now().setZone(zone).isValid,
      'must be a time zone (UTC, Europe/Moscow, UTC+3)',
    )
    .default('UTC'),
});

/** The `platform` section as Dnevnik reads it (defaults applied). */
export type DnevnikSettings = z.output<typeof dnevnikSettings>;

/** What the HTTP client of one school needs: the school's own host and token over the platform's. */
export interface DnevnikClientSettings {
  baseUrl: string;
  token: string | null;
  requestsPerSecond: number;
  concurrency: number;
  timeoutMs: number;
  maxRetries: number;
  /**
   * The zone in which the platform stamps entry moments (marks set, attendance entered): `UTC` on
   * Dnevnik, whatever the school's zone (reference §7). Default `UTC`.
   */
  entryTimeZone?: string;
}

/** Connection settings of one school: its own host and token when it has them, else the platform's. */
export function dnevnikClientSettings(
  platform: DnevnikSettings,
  school: { token?: string | undefined; baseUrl?: string | undefined } | null = null,
): DnevnikClientSettings {
  return {
    baseUrl: school?.baseUrl ?? platform.baseUrl,
    token: school?.token ?? platform.token ?? null,
    requestsPerSecond: platform.requestsPerSecond,
    concurrency: platform.concurrency,
    timeoutMs: platform.timeoutMs,
    maxRetries: platform.maxRetries,
    entryTimeZone: platform.entryTimeZone,
  };
}
