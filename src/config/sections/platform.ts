import { DateTime } from 'luxon';
import { z } from 'zod';
import { httpUrl as url } from '../fields.js';

export const platformSection = z
  .strictObject({
    /** Connector key (see `src/connectors/registry.ts`). */
    kind: z.enum(['dnevnik']).default('dnevnik'),
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
  })
  .prefault({});
