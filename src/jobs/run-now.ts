import type { Config } from '../config/schema.js';
import { asOfInstant, loadSchoolContexts } from '../mirror/school-context.js';
import type { SqlExecutor } from '../mirror/sql.js';
import { UsageError } from '../platform/errors.js';
import type { SyncDeps } from '../sync/deps.js';
import { checkClassName } from '../sync/engine.js';
import { requestFromOptions, type SyncOptions } from '../sync/request.js';
import { jobSpec, type JobPayloads, type JobSpec } from './job-names.js';
import type { DocumentRegistry } from '../reports/define-document.js';
import { DOCUMENTS } from '../reports/registry.js';

/**
 * Jobs queued by hand (`ezh jobs run`), so an operator of service mode runs a sync, checks,
 * alerts, a document or an archive now, through the workers, instead of an embedded `ezh sync`
 * beside them (which would take over the workers' live run). The same payloads the schedules
 * queue; ids of their own (`manual-...`), so they never collide with a scheduled occurrence.
 */

export const RUNNABLE = ['sync', 'checks', 'alerts', 'report', 'archive'] as const;
export type Runnable = (typeof RUNNABLE)[number];

const ALIASES: Record<string, Runnable> = {
  check: 'checks',
  documents: 'report',
  reports: 'report',
};

export interface RunNowOptions extends Omit<SyncOptions, 'schoolId'> {
  school?: string;
  asOf?: number;
  dryRun?: boolean;
  /** Which document of the registry (`report`): audit by default. */
  report?: string;
  /**
   * The document's own job params (`report`), by key (`DocumentSpec.job.keys`); `class` comes from
   * `className`, which a sync shares.
   */
  params?: Readonly<Record<string, string | undefined>>;
  /** `archive`: weekly (default) or period-end. */
  trigger?: string;
}

/**
 * `--as-of` of `ezh jobs run`, as an instant for the job's payload: read as `ezh check` reads it,
 * a local time in the zone of the school the job is for (its SchoolContext), or the zone all
 * schools share; never in the first school's zone for every school.
 */
export async function manualAsOf(
  db: SqlExecutor,
  config: Config,
  value: string | undefined,
  school?: string,
): Promise<number | undefined> {
  if (value === undefined) return undefined;
  return asOfInstant(value, async () => (await loadSchoolContexts(db, config)).zoneFor(school));
}

export function runnableOf(name: string): Runnable {
  const what = (RUNNABLE as readonly string[]).includes(name) ? (name as Runnable) : ALIASES[name];
  if (!what) {
    throw new UsageError(`unknown job "${name}"`, [`expected one of ${RUNNABLE.join(', ')}`]);
  }
  return what;
}

/** The jobs `ezh jobs run <what>` queues: one per school where the job is per school. */
export function manualJobs(
  config: Config,
  name: string,
  options: RunNowOptions,
  now: number,
): JobSpec[] {
  const what = runnableOf(name);
  const known = config.schools.map((s) => s.id);
  if (options.school !== undefined && known.length > 0 && !known.includes(options.school)) {
    throw new UsageError(`unknown school "${options.school}"`, [
      `configured schools: ${known.join(', ')}`,
    ]);
  }
  const schools = options.school !== undefined ? [options.school] : known;
  const stamp = now.toString(36);
  const id = (school: string | undefined) =>
    `manual-${what}-${(school ?? 'all').replace(/[^A-Za-z0-9._-]/g, '-')}-${stamp}`;
  const perSchool = (make: (schoolId: string) => JobSpec) => {
    if (schools.length === 0) {
      throw new UsageError(`no school to ${what}`, ['give --school ID or configure schools[]']);
    }
    return schools.map(make);
  };
  switch (what) {
    case 'sync': {
      const request = requestFromOptions({ ...options, schoolId: options.school });
      return perSchool((schoolId) =>
        jobSpec(
          'sync.school',
          { schoolId, request, followUps: config.jobs.afterSync },
          id(schoolId),
        ),
      );
    }
    case 'checks':
      return perSchool((schoolId) =>
        jobSpec('checks.run', { schoolId, asOf: options.asOf }, id(schoolId)),
      );
    case 'alerts':
      return [
        jobSpec(
          'alerts.send',
          { schoolId: options.school, asOf: options.asOf, dryRun: options.dryRun },
          id(options.school),
        ),
      ];
    case 'report':
      return [jobSpec('reports.render', reportPayload(options), id(options.school))];
    case 'archive': {
      const trigger = options.trigger ?? 'weekly';
      if (trigger !== 'weekly' && trigger !== 'period-end') {
        throw new UsageError('invalid --trigger', ['expected weekly or period-end']);
      }
      return [
        jobSpec(
          'archive.create',
          { schoolId: options.school, asOf: options.asOf, trigger },
          id(options.school),
        ),
      ];
    }
  }
}

/**
 * What the queued jobs ask that the school cannot answer, refused before anything is queued, as
 * the embedded door refuses it: a sync of an unknown class is exit 2 with the school's classes
 * listed, and no job (hence no run) is created.
 */
export async function checkManualJobs(
  deps: Pick<SyncDeps, 'db' | 'connectorFor'>,
  specs: readonly JobSpec[],
): Promise<void> {
  for (const spec of specs) {
    if (spec.name === 'sync.school') {
      await checkClassName(deps, spec.payload.schoolId, spec.payload.request);
    }
  }
}

function reportPayload(options: RunNowOptions): JobPayloads['reports.render'] {
  const report = options.report ?? 'audit';
  // The documents of the registry; each says which params its job reads and needs.
  const definition = DOCUMENTS.get(report);
  if (!definition) {
    throw new UsageError('invalid --report', [
      `expected one of ${DOCUMENTS.all.map((d) => d.id).join(', ')}`,
    ]);
  }
  const given: Record<string, string> = {};
  for (const [key, value] of Object.entries(options.params ?? {})) {
    if (value !== undefined) given[key] = value;
  }
  if (options.className !== undefined) given.class = options.className;
  const keys = definition.job.keys;
  const foreign = Object.keys(given).filter((key) => !keys.includes(key));
  if (foreign.length > 0) {
    // Dropped silently, a --class or --week would print another document than the one asked for.
    throw new UsageError(`report ${report} takes no ${foreign.map((k) => `--${k}`).join(', ')}`, [
      keys.length > 0 ? `it takes ${keys.map((k) => `--${k}`).join(', ')}` : 'it takes none',
    ]);
  }
  const needed = (definition.job.required ?? []).find((key) => !given[key]);
  if (needed) {
    throw new UsageError(`report ${report} needs --${needed}`);
  }
  return { schoolId: options.school, report, asOf: options.asOf, params: given };
}

/** An option of `ezh jobs run` for a document's job param: every document reading it named. */
export interface ReportParamOption {
  key: string;
  /** Commander flags: `--<key> <value>`. */
  flags: string;
  description: string;
}

/**
 * The options `ezh jobs run report` offers for the documents' own params, from the registry: one
 * per key some document's job reads, in the registry's order, described by the CLI option of the
 * same name (`ezh report <id> --help`).
 */
export function reportParamOptions(registry: DocumentRegistry = DOCUMENTS): ReportParamOption[] {
  const byKey = new Map<string, { ids: string[]; description: string | null }>();
  for (const d of registry.all) {
    for (const key of d.job.keys) {
      const cli = d.cli.options.find((o) => new RegExp(`^--${key}(\\s|$)`).test(o.flags));
      const entry = byKey.get(key) ?? { ids: [], description: null };
      entry.ids.push(d.id);
      entry.description ??= cli?.description ?? null;
      byKey.set(key, entry);
    }
  }
  return [...byKey].map(([key, { ids, description }]) => ({
    key,
    flags: `--${key} <value>`,
    description: `report ${ids.join(', ')}: ${description ?? `the document's ${key}`}`,
  }));
}
