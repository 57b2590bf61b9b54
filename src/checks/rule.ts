import { z } from 'zod';
import type { SqlExecutor } from '../mirror/sql.js';
import type { MirrorCoverage } from './coverage.js';
import type { Exemption } from './exemptions.js';
import { SEVERITIES, type Severity } from '../platform/severity.js';

/**
 * The shape of a compliance rule. A rule is one file (`rules/<id>.check.ts`) that calls
 * `defineRule`: identity and Russian texts for documents, parameters with defaults (zod), and an
 * evaluation that runs SQL over the mirror and returns only the offending rows.
 */

export { SEVERITIES, type Severity };

export function severityRank(s: Severity): number {
  return SEVERITIES.indexOf(s);
}

/** Who is told about a finding (alerts and reports use this). */
export type Audience = 'subject_teacher' | 'class_teacher' | 'deputy_director';

/** The ids a finding can be keyed on (docs/rules.md "finding per"); also the answer key's fields. */
export const KEY_PART_NAMES = [
  'class',
  'subject',
  'student',
  'lesson',
  'work',
  'mark',
  'period',
] as const;
export type KeyPartName = (typeof KEY_PART_NAMES)[number];
export type KeyParts = Record<KeyPartName, string | null>;

/** One offending row, with ids and resolved names. Every rule yields this same shape. */
export interface FindingRow {
  classId: string | null;
  subjectId: string | null;
  teacherId: string | null;
  studentId: string | null;
  lessonId: string | null;
  workId: string | null;
  markId: string | null;
  /** The platform's reporting period id (not the per-class row id). */
  periodId: string | null;
  /** `YYYY-MM-DD`: the lesson's date, or the period's finish for period rules. */
  date: string | null;
  /** Epoch ms, or null when the rule has no deadline. */
  deadline: number | null;
  className: string | null;
  subjectName: string | null;
  teacherName: string | null;
  studentName: string | null;
  /** Rule-specific values for the message and `findings.details` (entry time, average, ...). */
  extra: Record<string, unknown>;
}

/** What a rule's evaluation sees: one school, one as-of instant, its own parameters. */
export interface RuleContext<P> {
  db: SqlExecutor;
  schoolId: string;
  /** The school's IANA zone. */
  zone: string;
  /** The instant the run evaluates (epoch ms). */
  asOf: number;
  params: P;
  /** Restrict to these class ids (`ezh check --class`); null: every class. */
  classIds: readonly string[] | null;
  exemptions: readonly Exemption[];
  /** Period name → local date from the director's order. */
  finalMarkDeadlines: Readonly<Record<string, string>>;
  /**
   * The period rules may read the period totals instead of grouping lessons and marks: refreshed
   * by this run and holding the mirror as of `asOf` (src/mirror/projections).
   */
  periodTotals: boolean;
  /**
   * What the mirror's own history covers (its first sync, its last successful one): as of an
   * instant it does not cover, rows are dated by the platform's timestamps, and what nothing
   * dates is taken in the direction that never accuses wrongly (`existedAt`, common.ts).
   * Absent: the run is taken as covered (a current run).
   */
  coverage?: MirrorCoverage;
}

export interface MessageContext<P> {
  zone: string;
  params: P;
}

export type RuleContextBase = Omit<RuleContext<unknown>, 'params'>;

export interface RuleSpec<S extends z.ZodObject> {
  id: string;
  /** Russian title, for documents. */
  title: string;
  severity: Severity;
  audience: readonly Audience[];
  /** The ids that make a finding's identity, in the order they are hashed. */
  keyParts: readonly KeyPartName[];
  /** Parameters with defaults: `params.parse({})` must succeed. */
  params: S;
  /** Reads the period totals when the run says they answer (`ctx.periodTotals`). */
  usesPeriodTotals?: boolean;
  /**
   * Reads row by row through a large school (each lesson, absence, «2», (work, student) pair or
   * period group): at 1M marks each takes several times what a light rule takes (bench/README.md).
   * When rules run at once (threads, connections) the heavy ones start first, so that the lanes
   * end together instead of one lane starting a long rule while the other has nothing left.
   */
  heavy?: boolean;
  /**
   * What the rule decides by as of an instant before the mirror's first sync (existence.ts), in
   * English (CLI, JSON) and Russian (the справка). Absent: the mirror's own history only.
   */
  beforeFirstSync?: HistoryEvidence;
  message(row: FindingRow, ctx: MessageContext<z.output<S>>): string;
  evaluate(ctx: RuleContext<z.output<S>>): Promise<FindingRow[]>;
}

export interface HistoryEvidence {
  en: string;
  ru: string;
}

const MIRROR_ONLY: HistoryEvidence = {
  en: "the mirror's own history only: nothing from before its first sync",
  ru: 'только история зеркала: сведений до его первой синхронизации нет',
};

/** A rule with its parameter type erased, as the registry and the engine hold it. */
export interface Rule {
  readonly id: string;
  readonly title: string;
  readonly severity: Severity;
  readonly audience: readonly Audience[];
  readonly keyParts: readonly KeyPartName[];
  readonly paramsSchema: z.ZodObject;
  readonly usesPeriodTotals: boolean;
  readonly heavy: boolean;
  readonly beforeFirstSync: HistoryEvidence;
  /** Validated parameters: defaults filled in; throws a ZodError on bad input. */
  parseParams(input: unknown): Record<string, unknown>;
  evaluate(ctx: RuleContextBase, params: Record<string, unknown>): Promise<FindingRow[]>;
  message(row: FindingRow, zone: string, params: Record<string, unknown>): string;
}

const RULE_ID = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;

export function defineRule<S extends z.ZodObject>(spec: RuleSpec<S>): Rule {
  if (!RULE_ID.test(spec.id)) throw new Error(`rule id "${spec.id}" must be kebab-case`);
  if (spec.keyParts.length === 0) throw new Error(`rule ${spec.id}: keyParts must not be empty`);
  // Fail at start-up, not at the first run, when a default is missing.
  spec.params.parse({});
  const parse = (input: unknown) => spec.params.parse(input ?? {}) as z.output<S>;
  // A run passes one params object for all of a rule's messages (thousands in a large school):
  // parsed once, not once per message.
  const parsed = new WeakMap<object, z.output<S>>();
  const parseOnce = (input: Record<string, unknown>) => {
    let out = parsed.get(input);
    if (out === undefined) {
      out = parse(input);
      parsed.set(input, out);
    }
    return out;
  };
  return {
    id: spec.id,
    title: spec.title,
    severity: spec.severity,
    audience: spec.audience,
    keyParts: spec.keyParts,
    paramsSchema: spec.params,
    usesPeriodTotals: spec.usesPeriodTotals ?? false,
    heavy: spec.heavy ?? false,
    beforeFirstSync: spec.beforeFirstSync ?? MIRROR_ONLY,
    parseParams: (input) => parse(input) as Record<string, unknown>,
    evaluate: (ctx, params) => spec.evaluate({ ...ctx, params: parse(params) }),
    message: (row, zone, params) => spec.message(row, { zone, params: parseOnce(params) }),
  };
}
