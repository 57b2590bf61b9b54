/** The sandbox platform: a generated school behind a local Dnevnik.ru v2 API emulator. */
export {
  startSandbox,
  type SandboxServer,
  type SandboxSchoolInfo,
  type StartSandboxOptions,
} from './server.js';
export {
  Sandbox,
  type AnswerKey,
  type AnswerKeyOptions,
  type AttendanceStorage,
  type SandboxOptions,
} from './sandbox.js';
export type { FindingKey, PlantedViolation, RuleId } from './model.js';
export { RULE_IDS } from './model.js';
export type { FaultKind, FaultOptions } from './faults.js';
export { FAULT_KINDS } from './faults.js';
export { UnfixableError } from './overlays.js';
export type { TokenLimitOptions, TokenRequest } from './token-limits.js';
export { peakRate } from './token-limits.js';
