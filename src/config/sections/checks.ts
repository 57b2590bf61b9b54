import { z } from 'zod';
import { SEVERITIES } from '../../platform/severity.js';

/** What the config needs of a rule: its id and its parameters' schema (with their defaults). */
export interface RuleSettings {
  readonly id: string;
  readonly paramsSchema: z.ZodObject;
}

export type RuleConfig = { enabled: boolean } & Record<string, unknown>;

function ruleEntry(schema: z.ZodObject): z.ZodType<RuleConfig> {
  return schema
    .extend({ enabled: z.boolean().default(true) })
    .strict()
    .prefault({}) as unknown as z.ZodType<RuleConfig>;
}

/**
 * `checks:` — per rule `enabled` plus that rule's own parameters (each rule file owns its zod
 * schema and defaults, so a new rule needs no edit here), and the severity that fails a run. The
 * rules come from the checks' registry, handed in by the composition root (src/app/config.ts):
 * the config is the base layer and does not import the checks.
 */
export const checksSection = (rules: readonly RuleSettings[]) =>
  z
    .strictObject({
      /** `ezh check` exits 1 when a finding has at least this severity; null: never (override: --fail-on). */
      failOn: z.enum(SEVERITIES).nullable().default(null),
      /**
       * Rules evaluated at once: worker threads with their own SQLite connection, or concurrent
       * PostgreSQL connections. 1 evaluates one rule after another. Findings do not depend on it.
       */
      threads: z.int().min(1).max(16).default(2),
      rules: z
        .strictObject(
          Object.fromEntries(
            rules.map((rule) => [rule.id, ruleEntry(rule.paramsSchema)]),
          ) as Record<string, z.ZodType<RuleConfig>>,
        )
        .prefault({}),
    })
    .prefault({});

export type ChecksConfig = z.infer<ReturnType<typeof checksSection>>;
