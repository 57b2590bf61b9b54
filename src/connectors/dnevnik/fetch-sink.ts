import type { z } from 'zod';
import type { FetchStats, QuarantinedRecord, StreamName } from '../connector.js';

/**
 * What one `fetch` gathers besides records: counters, quarantined records, and whether the
 * scope was read whole. Validation happens per record: a record that fails its schema is
 * quarantined with the reason and its raw payload, and the rest goes on.
 */
export class FetchSink {
  readonly stats: FetchStats = { requests: 0, retries: 0 };
  readonly quarantined: QuarantinedRecord[] = [];
  /** False once a reply could not be read as a whole (its records are unknown). */
  complete = true;

  quarantine(stream: StreamName, reason: string, payload: unknown): void {
    this.quarantined.push({ stream, reason, payload, ref: refOf(payload) });
  }

  /** Validates one raw record; null (and quarantined) when it does not fit. */
  one<T extends z.ZodType>(stream: StreamName, schema: T, raw: unknown): z.output<T> | null {
    const result = schema.safeParse(raw);
    if (result.success) return result.data;
    this.quarantine(stream, describeIssues(result.error.issues), raw);
    return null;
  }

  /**
   * Validates a list reply record by record. A reply that is not a list at all (`null`
   * included) is quarantined whole and makes the fetch incomplete: nothing may be inferred
   * deleted from it.
   */
  list<T extends z.ZodType>(
    stream: StreamName,
    schema: T,
    reply: unknown,
    what: string,
  ): z.output<T>[] {
    if (!Array.isArray(reply)) {
      this.quarantine(stream, `${what}: expected a list, got ${kindOf(reply)}`, reply);
      this.complete = false;
      return [];
    }
    const out: z.output<T>[] = [];
    for (const raw of reply) {
      const parsed = this.one(stream, schema, raw);
      if (parsed !== null) out.push(parsed);
    }
    return out;
  }
}

export function describeIssues(issues: readonly z.core.$ZodIssue[]): string {
  return issues
    .map(
      (issue) =>
        `${issue.path.length ? issue.path.map(String).join('.') : '(record)'}: ${issue.message}`,
    )
    .join('; ');
}

function kindOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  return typeof value === 'object' ? 'an object' : typeof value;
}

/** Best-effort platform id of a raw record, for the quarantine's `ref`. */
function refOf(payload: unknown): string | null {
  if (payload === null || typeof payload !== 'object' || Array.isArray(payload)) return null;
  const o = payload as Record<string, unknown>;
  for (const key of ['id_str', 'IdStr', 'id', 'Id']) {
    const v = o[key];
    if (typeof v === 'string' || typeof v === 'number') return String(v);
  }
  return null;
}
