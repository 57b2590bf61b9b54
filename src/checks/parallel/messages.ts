import type { Finding } from '../finding.js';
import type { RuleContextBase } from '../rule.js';

/** What the rule pool and its worker threads exchange (structured-clone data only). */

export interface WorkerInit {
  /** The SQLite mirror file. */
  path: string;
  ctx: Omit<RuleContextBase, 'db'>;
}

export interface RuleTask {
  ruleId: string;
  params: Record<string, unknown>;
}

export type WorkerReply =
  | { ready: true }
  | { ruleId: string; findings: Finding[]; durationMs: number }
  | { ruleId: string; error: { message: string; stack: string } };
