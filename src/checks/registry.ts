import type { Rule } from './rule.js';
import absentWithMark from './rules/absent-with-mark.check.js';
import attendanceNotKept from './rules/attendance-not-kept.check.js';
import controlWorkUnmarked from './rules/control-work-unmarked.check.js';
import finalMarkEarly from './rules/final-mark-early.check.js';
import finalMarkMissing from './rules/final-mark-missing.check.js';
import finalMarkObjectivity from './rules/final-mark-objectivity.check.js';
import grade1Homework from './rules/grade1-homework.check.js';
import grade1Mark from './rules/grade1-mark.check.js';
import homeworkMissing from './rules/homework-missing.check.js';
import markAccumulation from './rules/mark-accumulation.check.js';
import markLate from './rules/mark-late.check.js';
import topicMissing from './rules/topic-missing.check.js';
import twoNotCorrected from './rules/two-not-corrected.check.js';

/** Builds a registry; a duplicate id is a programming error caught at start-up. */
export function createRegistry(rules: readonly Rule[]): ReadonlyMap<string, Rule> {
  const byId = new Map<string, Rule>();
  for (const rule of rules) {
    if (byId.has(rule.id)) throw new Error(`duplicate rule id "${rule.id}"`);
    byId.set(rule.id, rule);
  }
  return byId;
}

/** Every rule, in the order documents list them. Ids are permanent (docs/rules.md). */
export const RULES: ReadonlyMap<string, Rule> = createRegistry([
  markLate,
  topicMissing,
  homeworkMissing,
  grade1Mark,
  grade1Homework,
  finalMarkMissing,
  finalMarkEarly,
  markAccumulation,
  finalMarkObjectivity,
  controlWorkUnmarked,
  absentWithMark,
  attendanceNotKept,
  twoNotCorrected,
]);

export const RULE_IDS: readonly string[] = [...RULES.keys()];

export function getRule(id: string): Rule | undefined {
  return RULES.get(id);
}
