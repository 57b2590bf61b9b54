/**
 * How grave a finding is, lowest first. Base vocabulary: the rules carry it, and the config's
 * `checks.failOn` names one (so the config can validate it without knowing the checks).
 */
export const SEVERITIES = ['info', 'warning', 'critical'] as const;
export type Severity = (typeof SEVERITIES)[number];
