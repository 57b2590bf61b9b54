export {
  runChecks,
  selectRules,
  type CheckRunResult,
  type CheckSchool,
  type RunChecksOptions,
} from './engine.js';
export { checkSchool, type FindingsReport, type RunEvidence } from './run-evidence.js';
export { runAllRules, type BenchResult } from './bench.js';
export { toFindingJson, findingKey, type Finding, type FindingJson } from './finding.js';
export { RULES, RULE_IDS, getRule } from './registry.js';
export type { Rule, Severity, Audience, KeyParts } from './rule.js';
export * from './history.js';
export { describePrecision } from './precision.js';
