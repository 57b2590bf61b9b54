import { z } from 'zod';
import { cronPattern, httpUrl } from '../fields.js';
import { didYouMean } from '../suggest.js';

/** Channels alerts can go through; `file` writes .eml files instead of sending (demo, air-gapped schools). */
export const ALERT_CHANNELS = ['smtp', 'webhook', 'file'] as const;
export type AlertChannelName = (typeof ALERT_CHANNELS)[number];

/**
 * Documents a person can subscribe to: the letters without a PDF below (the archive's state, the
 * sync's health and the operator alerts), and every printed document of the registry that offers
 * a subscription (the compliance note, period results, the monthly activity report). The config
 * sits below the registry, so the name is checked against it at start-up (app/documents-service.ts).
 */
export const SUBSCRIPTION_LETTERS = ['archive', 'sync-health'] as const;
export type SubscriptionDocument = string;

export const AUDIENCES = ['class_teacher', 'subject_teacher'] as const;
export type Audience = (typeof AUDIENCES)[number];

const retrySchema = z
  .strictObject({
    /** Attempts per message, the first included. */
    attempts: z.int().min(1).max(20).default(5),
    /** Delay before the second attempt; doubles each time (plus up to 25 % jitter). */
    baseDelayMs: z.int().min(0).default(2_000),
    maxDelayMs: z.int().min(0).default(60_000),
  })
  .prefault({});

const smtpSchema = z
  .strictObject({
    host: z.string().min(1).optional(),
    port: z.int().min(1).max(65535).default(587),
    /** Implicit TLS from the first byte (port 465). Otherwise STARTTLS as set below. */
    secure: z.boolean().default(false),
    /** `required`: refuse to send without STARTTLS; `opportunistic`: use it when offered; `off`: never. */
    starttls: z.enum(['required', 'opportunistic', 'off']).default('required'),
    user: z.string().min(1).optional(),
    /** Secret: from EZH_SMTP_PASSWORD. */
    password: z.string().min(1).optional(),
    /** Sender, e.g. `"ЭЖ школы № 5" <ezh@school5.ru>`. */
    from: z.string().min(3).optional(),
    connectionTimeoutMs: z.int().min(1000).default(30_000),
    /** Verify the server's certificate (turn off only for a school's self-signed relay). */
    rejectUnauthorized: z.boolean().default(true),
  })
  .prefault({});

const webhookSchema = z
  .strictObject({
    /** Endpoint receiving one JSON POST per digest (e.g. a messenger bot). */
    url: httpUrl.optional(),
    /** HMAC-SHA256 key for `X-Ezh-Signature`; secret, from EZH_WEBHOOK_SECRET. */
    secret: z.string().min(16, 'must be at least 16 characters').optional(),
    timeoutMs: z.int().min(1000).default(10_000),
  })
  .prefault({});

const subscriptionSchema = z.strictObject({
  document: z.string().regex(/^[a-z][a-z0-9-]*$/, 'must be a document name, e.g. audit'),
  /** E-mail addresses, or person ids / full names resolved through `alerts.recipients`. */
  to: z.array(z.string().min(1)).min(1),
  /**
   * When the jobs engine makes and sends it (school time). Omitted: `activity` goes on the 1st of
   * the month for the month before, `weekly` (each class teacher their class's sheet) on Mondays at
   * 07:00 for the week before, `audit` with `jobs.schedules.auditReport` (every 10 days),
   * `sync-health` gets the operator alerts as problems arise, the others on demand.
   */
  schedule: cronPattern.optional(),
  /** Restricts the subscription to one school; omitted: every school. */
  schoolId: z.string().optional(),
});

/** `alerts:`; `ruleIds` (the checks' registry, from src/app/config.ts) validate `audiences`' keys. */
export const alertsSection = (ruleIds: readonly string[]) =>
  z
    .strictObject({
      /** Whether the scheduler installs the alert jobs; `ezh alerts send` works either way. */
      enabled: z.boolean().default(false),
      /** Channels every digest goes through; each keeps its own once-only bookkeeping. */
      channels: z.array(z.enum(ALERT_CHANNELS)).min(1).default(['smtp']),
      /** Digest schedule in school time; default 13:00 on school days (Mon–Fri; six-day schools: 1-6). */
      schedule: cronPattern.default('0 13 * * 1-5'),
      /** How often the operator alerts look for sync and archive problems (school time). */
      operatorSchedule: cronPattern.default('*/15 * * * *'),
      /** Operator alert when this many sync runs in a row failed. */
      failedSyncRuns: z.int().min(1).default(3),
      /** A finding already sent is sent again only when still open this many days after the last send. */
      reminderDays: z.number().positive().default(3),
      /** The platform's editing period, counted from the lesson date («можно исправить до …»). */
      editingPeriodDays: z.int().min(0).default(7),
      /**
       * Subject teachers receive their own entries (in any class) besides the class teachers (who
       * get everything of their class); one digest per person either way. Off: class teachers only.
       */
      subjectTeachers: z.boolean().default(true),
      /** Per-rule override of docs/rules.md's audiences, e.g. `mark-late: [class_teacher, subject_teacher]`. */
      audiences: z
        .record(z.string(), z.array(z.enum(AUDIENCES)))
        .superRefine((audiences, ctx) => {
          for (const key of Object.keys(audiences)) {
            if (ruleIds.includes(key)) continue;
            ctx.addIssue({
              code: 'custom',
              path: [key],
              message: `unknown rule${didYouMean(key, ruleIds)}`,
            });
          }
        })
        .default({}),
      /** E-mail addresses: person id or full name → address. Overrides the platform's e-mail. */
      recipients: z
        .record(z.string(), z.email({ message: 'must be an e-mail address' }))
        .default({}),
      /** Who receives which scheduled document. */
      subscriptions: z.array(subscriptionSchema).default([]),
      /** Directory of the `file` channel. */
      fileDir: z.string().min(1).default('./out/alerts'),
      smtp: smtpSchema,
      webhook: webhookSchema,
      retry: retrySchema,
    })
    .prefault({})
    .superRefine((alerts, ctx) => {
      if (!alerts.enabled) return;
      for (const p of channelProblems(alerts, alerts.channels)) {
        ctx.addIssue({ code: 'custom', path: p.path, message: p.message });
      }
    });

export type AlertsConfig = z.infer<ReturnType<typeof alertsSection>>;

/** What a channel needs before anything can be sent through it; shared by the schema and the runtime. */
export function channelProblems(
  alerts: Pick<AlertsConfig, 'smtp' | 'webhook'>,
  channels: readonly AlertChannelName[],
): { path: string[]; message: string }[] {
  const out: { path: string[]; message: string }[] = [];
  if (channels.includes('smtp')) {
    if (!alerts.smtp.host) {
      out.push({ path: ['smtp', 'host'], message: 'is required for the smtp channel' });
    }
    if (!alerts.smtp.from) {
      out.push({ path: ['smtp', 'from'], message: 'is required for the smtp channel' });
    }
    if (alerts.smtp.password && !alerts.smtp.user) {
      out.push({ path: ['smtp', 'user'], message: 'is required when a password is set' });
    }
  }
  if (channels.includes('webhook')) {
    if (!alerts.webhook.url) {
      out.push({ path: ['webhook', 'url'], message: 'is required for the webhook channel' });
    }
    if (!alerts.webhook.secret) {
      out.push({
        path: ['webhook', 'secret'],
        message: 'is required for the webhook channel (EZH_WEBHOOK_SECRET)',
      });
    }
  }
  return out;
}
