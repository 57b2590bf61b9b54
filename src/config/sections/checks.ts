import { z } from 'zod';
import { RULES } from '../../checks/registry.js';
import { SEVERITIES } from '../../checks/rule.js';

/**
 * `checks:` — per rule `enabled` plus that rule's own parameters (each rule file owns its zod
 * schema and defaults, so a new rule needs no edit here), and the severity that fails a run.
 */
function ruleEntry(schema: z.ZodObject) {
  return schema
    .extend({ enabled: z.boolean().default(true) })
    .strict()
    .prefault({});
}

const rulesShape = Object.fromEntries(
  [...RULES.values()].map((rule) => [rule.id, ruleEntry(rule.paramsSchema)]),
);

export const checksSection = z
  .strictObject({
    /** `ezh check` exits 1 when a finding has at least this severity; null: never (override: --fail-on). */
    failOn: z.enum(SEVERITIES).nullable().default(null),
    /**
     * Rules evaluated at once: worker threads with their own SQLite connection, or concurrent
     * PostgreSQL connections. 1 evaluates one rule after another. Findings do not depend on it.
     */
    threads: z.int().min(1).max(16).default(2),
    rules: z.strictObject(rulesShape).prefault({}),
  })
  .prefault({});

export type ChecksConfig = z.infer<typeof checksSection>;
export type RuleConfig = { enabled: boolean } & Record<string, unknown>;
