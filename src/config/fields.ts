import { getNextMillis } from 'bullmq';
import { z } from 'zod';
import { parseZone } from '../platform/time.js';

/**
 * Value types shared by the config sections, each checked at load time so that a mistake stops
 * `ezh` with its path (exit 2) instead of surfacing in the middle of a sync or never at all.
 */

/** A calendar date that exists: `2026-02-30` matches the shape but is refused. */
export const isoDate = z.string().superRefine((value, ctx) => {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!m) {
    ctx.addIssue({ code: 'custom', message: 'must be a date YYYY-MM-DD' });
    return;
  }
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(y, mo - 1, d));
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== mo - 1 || date.getUTCDate() !== d) {
    ctx.addIssue({ code: 'custom', message: `must be a date YYYY-MM-DD: ${value} does not exist` });
  }
});

/** Names luxon would take that mean "the zone of whatever host runs ezh": never a school's. */
const HOST_ZONES = new Set(['system', 'local', 'default']);

/**
 * A time zone as the rest of ezh reads it (`parseZone`, luxon): an IANA name (`Europe/Moscow`)
 * or the platform's fixed offsets (`UTC+3`), the same set `ezh check` and BullMQ's scheduler
 * accept; checked here so that a typo stops the load instead of a sync a minute in.
 */
export const timeZone = z.string().superRefine((value, ctx) => {
  let known = !HOST_ZONES.has(value.toLowerCase());
  if (known) {
    try {
      parseZone(value);
    } catch {
      known = false;
    }
  }
  if (!known) {
    ctx.addIssue({
      code: 'custom',
      message: `unknown time zone "${value}" (an IANA name such as Europe/Moscow, or UTC+3)`,
    });
  }
});

/**
 * A schedule as BullMQ's job schedulers read it (their own `getNextMillis`, so the config accepts
 * exactly what `ezh schedule` can install), in the five fields the docs describe: a seconds field
 * would run a job every second. A pattern that never fires (31 April) is refused as well.
 */
export const cronPattern = z.string().superRefine((value, ctx) => {
  if (!/^\s*(\S+\s+){4}\S+\s*$/.test(value)) {
    ctx.addIssue({
      code: 'custom',
      message: 'must be a 5-field cron pattern (minute hour day month weekday)',
    });
    return;
  }
  let next: number | undefined;
  try {
    next = getNextMillis(Date.now(), { pattern: value, tz: 'UTC' });
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    ctx.addIssue({ code: 'custom', message: `is not a valid cron pattern: ${reason}` });
    return;
  }
  if (next === undefined) {
    ctx.addIssue({ code: 'custom', message: 'is not a valid cron pattern: it never fires' });
  }
});

/** A web address: only http and https (no `javascript:`, `data:` or `file:`). */
export const httpUrl = z.url({ protocol: /^https?$/, error: 'must be a URL (http or https)' });

/** A service URL with its own schemes (`postgres://`, `redis://`), which must also parse. */
export function serviceUrl(schemes: readonly string[]) {
  const message = `must be a ${schemes.map((s) => `${s}://`).join(' or ')} URL`;
  return z.string().superRefine((value, ctx) => {
    if (!parsesWithScheme(value, schemes)) ctx.addIssue({ code: 'custom', message });
  });
}

function parsesWithScheme(value: string, schemes: readonly string[]): boolean {
  try {
    return schemes.includes(new URL(value).protocol.replace(/:$/, '')) && value.includes('://');
  } catch {
    return false;
  }
}
