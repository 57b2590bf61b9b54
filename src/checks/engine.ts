import { randomUUID } from 'node:crypto';
import type { SqlDb } from '../mirror/sql.js';
import { findSubgroups, normalizeName, type SubgroupMatch } from '../platform/class-names.js';
import { subgroupFindings } from './subgroup-findings.js';
import { systemClock, type Clock } from '../platform/clock.js';
import { UsageError } from '../platform/errors.js';
import { getLogger } from '../platform/logger.js';
import type { ChecksConfig } from '../config/sections/checks.js';
import { mirrorCoverage, type MirrorCoverage } from './data-time.js';
import type { Exemption } from './exemptions.js';
import type { Finding } from './finding.js';
import { preparePeriodTotals } from '../mirror/projections/index.js';
import { entryTimePrecision } from './precision.js';
import { RULES, RULE_IDS } from './registry.js';
import type { Rule, RuleContextBase } from './rule.js';
import type { RunKind } from './run-kind.js';
import { closeWhatIfRun, failRun, startRun, storeFindings, type RunRecord } from './store.js';
import { evaluateRule, type RuleEvaluation } from './evaluate-rule.js';
import { evaluateOnThreads, parallelSqlitePath } from './parallel/rule-pool.js';

/** The school a run evaluates, as config (or the mirror, when config lists none) describes it. */
export interface CheckSchool {
  id: string;
  /** IANA zone; deadlines are computed in it. */
  timeZone: string;
  finalMarkDeadlines?: Readonly<Record<string, string>>;
  exemptions?: readonly Exemption[];
}

export interface RunChecksOptions {
  school: CheckSchool;
  /** The instant evaluated (epoch ms). */
  asOf: number;
  /** Rule ids to run (even if disabled in config); default: every enabled rule. */
  rules?: readonly string[];
  /** Class names (`ezh check --class`); default: every class. */
  classFilter?: readonly string[] | null;
  /** The `checks:` config section; default: every rule with its defaults. */
  config?: ChecksConfig;
  clock?: Clock;
  /** Store the run and its findings (default true); false evaluates only. */
  persist?: boolean;
  /**
   * `current` (default): the run keeps the findings' lifecycle (opens, resolves). `what-if`: the
   * run is stored with its counts only (run-kind.ts); the caller decides (for-app.ts: any as-of
   * other than the mirror's present).
   */
  kind?: RunKind;
  /**
   * Rules evaluated at once (default 1): worker threads with their own connection on a SQLite
   * file, concurrent queries from the pool on PostgreSQL. Findings do not depend on it.
   */
  threads?: number;
  /**
   * Let the period rules read the period totals (refreshed first) when they hold the mirror as
   * of `asOf` (default true); false: they group the marks themselves. Findings do not depend on it.
   */
  periodTotals?: boolean;
}

export interface RuleOutcome {
  rule: string;
  params: Record<string, unknown>;
  findings: number;
  durationMs: number;
}

export interface CheckRunResult {
  runId: string;
  schoolId: string;
  asOf: number;
  kind: RunKind;
  entryTimePrecision: string;
  rules: RuleOutcome[];
  /** Sorted by class, teacher, rule, date. */
  findings: Finding[];
  /** Opened or re-opened, and resolved, by this run (a what-if run: 0 and 0). */
  newCount: number;
  resolvedCount: number;
  durationMs: number;
  /** Rules evaluated at once (worker threads on SQLite, connections on PostgreSQL). */
  threads: number;
  /** Whether the period rules read the period totals (else they grouped lessons and marks). */
  periodTotals: boolean;
  /** The mirror's history the run stood on (existence.ts: before it, the platform's stamps). */
  coverage: MirrorCoverage;
}

/** Which rules a run uses, refusing unknown ids with the list of valid ones (exit 2). */
export function selectRules(ids: readonly string[] | undefined, config?: ChecksConfig): Rule[] {
  if (ids && ids.length > 0) {
    const unknown = ids.filter((id) => !RULES.has(id));
    if (unknown.length > 0) {
      throw new UsageError(`unknown rule ${unknown.map((u) => `"${u}"`).join(', ')}`, [
        `valid rule ids: ${RULE_IDS.join(', ')}`,
      ]);
    }
    return [...new Set(ids)].map((id) => RULES.get(id)!);
  }
  return [...RULES.values()].filter((rule) => ruleSettings(rule, config).enabled);
}

function ruleSettings(
  rule: Rule,
  config?: ChecksConfig,
): { enabled: boolean; params: Record<string, unknown> } {
  const entry =
    (config?.rules as Record<string, Record<string, unknown>> | undefined)?.[rule.id] ?? {};
  const { enabled = true, ...rest } = entry;
  return { enabled: enabled !== false, params: rule.parseParams(rest) };
}

/**
 * `--class` names: classes, or subgroups («5А / Английский язык, гр. 1», see
 * `mirror/class-names.ts`). A subgroup is checked through its class (its lessons are the class's)
 * and narrows the findings shown (`subgroupFindings`).
 */
async function resolveClasses(
  db: SqlDb,
  schoolId: string,
  names: readonly string[],
): Promise<{ classIds: string[]; subgroups: SubgroupMatch[] }> {
  const rows = await db.query<{ id: string; name: string; kind: string; parent_ids: string }>(
    `SELECT id, name, kind, parent_ids FROM classes WHERE school_id = ? AND deleted_at IS NULL ORDER BY name`,
    [schoolId],
  );
  const classIds = new Set<string>();
  const namedWhole = new Set<string>();
  const subgroups: SubgroupMatch[] = [];
  const missing: string[] = [];
  for (const name of new Set(names.map((n) => n.trim()))) {
    const classes = rows.filter(
      (r) => r.kind !== 'subgroup' && normalizeName(r.name) === normalizeName(name),
    );
    if (classes.length > 0) {
      for (const c of classes) {
        classIds.add(c.id);
        namedWhole.add(c.id);
      }
      continue;
    }
    const subs = findSubgroups(name, rows);
    if (subs.length > 1) {
      throw new UsageError(`--class "${name}" names several subgroups`, [
        `name one with its class: ${subs.map((s) => `"${s.label}"`).join(', ')}`,
      ]);
    }
    if (subs.length === 1) {
      classIds.add(subs[0]!.parentId);
      subgroups.push(subs[0]!);
    } else missing.push(name);
  }
  if (missing.length > 0) {
    throw new UsageError(
      `unknown class ${missing.map((m) => `"${m}"`).join(', ')} in school ${schoolId}`,
      [
        `classes: ${
          rows
            .filter((r) => r.kind !== 'subgroup')
            .map((r) => r.name)
            .join(', ') || '(none in the mirror)'
        }`,
      ],
    );
  }
  // A class named whole shows all its findings: its subgroups named too narrow nothing.
  return {
    classIds: [...classIds],
    subgroups: subgroups.filter((s) => !namedWhole.has(s.parentId)),
  };
}

/** Evaluates the rules for one school as of an instant, and (by default) stores the run and its findings. */
export async function runChecks(db: SqlDb, options: RunChecksOptions): Promise<CheckRunResult> {
  const clock = options.clock ?? systemClock;
  const log = getLogger();
  const { school, asOf } = options;
  const rules = selectRules(options.rules, options.config);
  const selection =
    options.classFilter && options.classFilter.length > 0
      ? await resolveClasses(db, school.id, options.classFilter)
      : null;
  const classIds = selection?.classIds ?? null;
  const settings = new Map(rules.map((r) => [r.id, ruleSettings(r, options.config).params]));
  const persist = options.persist ?? true;
  const kind = options.kind ?? 'current';
  const started = performance.now();
  const periodTotals =
    (options.periodTotals ?? true) &&
    rules.some((r) => r.usesPeriodTotals) &&
    (await preparePeriodTotals(db, school.id, asOf, clock.now()));
  const ctx: RuleContextBase = {
    db,
    schoolId: school.id,
    zone: school.timeZone,
    asOf,
    classIds,
    exemptions: school.exemptions ?? [],
    finalMarkDeadlines: school.finalMarkDeadlines ?? {},
    periodTotals,
    coverage: await mirrorCoverage(db, school.id),
  };
  const tasks = rules.map((rule) => ({ rule, params: settings.get(rule.id)! }));
  // Worker threads start evaluating now; this thread meanwhile records the run (on one
  // thread, evaluateAll has finished by the time it returns, which changes nothing).
  // Heavy rules first (rule.ts, `heavy`): with several lanes they end together.
  const order = [...tasks.filter((t) => t.rule.heavy), ...tasks.filter((t) => !t.rule.heavy)];
  const evaluation = evaluateAll(ctx, order, options.threads ?? 1);
  evaluation.catch(() => undefined);
  const run: RunRecord = {
    id: randomUUID(),
    schoolId: school.id,
    asOf,
    startedAt: clock.now(),
    rules: {
      ...Object.fromEntries(rules.map((r) => [r.id, settings.get(r.id)])),
      ...(classIds ? { $classIds: classIds } : {}),
    },
    entryTimePrecision: await entryTimePrecision(db, school.id, asOf),
    kind,
  };
  if (persist) await startRun(db, run);

  const outcomes: RuleOutcome[] = [];
  const byKey = new Map<string, Finding>();
  let threads: number;
  try {
    const evaluated = await evaluation;
    threads = evaluated.threads;
    for (const { rule, params } of tasks) {
      const { findings, durationMs } = evaluated.results.get(rule.id)!;
      for (const f of findings) byKey.set(f.key, f);
      outcomes.push({ rule: rule.id, params, findings: findings.length, durationMs });
      log.debug(
        { rule: rule.id, findings: findings.length, ms: Math.round(durationMs) },
        'rule evaluated',
      );
    }
  } catch (err) {
    if (persist) await failRun(db, run.id, clock.now()).catch(() => undefined);
    throw err;
  }
  const findings = sortFindings([...byKey.values()]);
  let counts = { newCount: 0, resolvedCount: 0 };
  if (persist && kind === 'what-if') {
    await closeWhatIfRun(db, run, findings.length, clock.now());
  } else if (persist) {
    counts = await storeFindings(
      db,
      run,
      findings,
      { ruleIds: rules.map((r) => r.id), classIds },
      clock.now(),
    );
  }
  return {
    runId: run.id,
    schoolId: school.id,
    asOf,
    kind,
    entryTimePrecision: run.entryTimePrecision,
    rules: outcomes,
    findings: selection ? await subgroupFindings(db, selection.subgroups, findings) : findings,
    newCount: counts.newCount,
    resolvedCount: counts.resolvedCount,
    durationMs: performance.now() - started,
    threads,
    periodTotals,
    coverage: ctx.coverage!,
  };
}

/** Every rule's findings and time, one at a time or `threads` at once; rules never share state. */
async function evaluateAll(
  ctx: RuleContextBase,
  tasks: readonly { rule: Rule; params: Record<string, unknown> }[],
  threads: number,
): Promise<{ results: Map<string, RuleEvaluation>; threads: number }> {
  const path = threads > 1 && tasks.length > 1 ? parallelSqlitePath(ctx.db as SqlDb) : null;
  if (path !== null) {
    const width = Math.min(threads, tasks.length);
    return { results: await evaluateOnThreads(path, ctx, tasks, width), threads: width };
  }
  const width = threads > 1 && ctx.db.dialect === 'postgres' ? threads : 1;
  const results = new Map<string, RuleEvaluation>();
  const queue = [...tasks];
  const lane = async () => {
    for (let task = queue.shift(); task; task = queue.shift()) {
      const evaluation = await evaluateRule(task.rule, ctx, task.params).catch((err: unknown) => {
        const message = err instanceof Error ? err.message : String(err);
        throw new Error(`rule ${task.rule.id}: ${message}`, { cause: err });
      });
      results.set(task.rule.id, evaluation);
    }
  };
  await Promise.all(Array.from({ length: width }, lane));
  return { results, threads: width };
}

/**
 * One collator for the whole sort: `localeCompare(b, 'ru', …)` builds one per call (~0.25 s for
 * the 5,000 findings of a large school, after the rules, on the run's critical path).
 */
const RU = new Intl.Collator('ru', { numeric: true });
const cmp = (a: string | null, b: string | null) => RU.compare(a ?? '', b ?? '');

export function sortFindings(findings: Finding[]): Finding[] {
  return findings.sort(
    (a, b) =>
      cmp(a.className, b.className) ||
      cmp(a.teacherName, b.teacherName) ||
      RULE_IDS.indexOf(a.rule) - RULE_IDS.indexOf(b.rule) ||
      cmp(a.date, b.date) ||
      cmp(a.studentName, b.studentName) ||
      cmp(a.key, b.key),
  );
}
