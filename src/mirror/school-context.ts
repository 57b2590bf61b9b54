import type { Config, SchoolConfig } from '../config/schema.js';
import { UsageError } from '../platform/errors.js';
import { parseAsOf, parseZone } from '../platform/time.js';
import type { SqlExecutor } from './sql.js';

type Exemption = SchoolConfig['exemptions'][number];

/**
 * Everything every door (CLI, jobs, demo) needs to know about one school, built once per run from
 * the config and the mirror, so that a check, a document, an alert and an archive of the same
 * school agree on its name and, above all, its time zone (every deadline is local to it).
 *
 * The zone: `schools[].timeZone` when the config gives one (the operator knows better than the
 * platform, e.g. a wrong offset there); else the platform's (Dnevnik's `School.timeZone`, hours
 * from UTC, mirrored as `UTC+5` by the first roster sync). There is no default: a wrong zone moves
 * every deadline by hours (Russia spans eleven zones, so "Moscow" is wrong for most schools) and
 * accuses teachers wrongly, while nothing is lost by asking for it. Reading `zone` of a school
 * with neither throws a UsageError (exit 2) saying how to get one; a school that was never synced
 * has no journal in the mirror anyway, so nothing useful is refused.
 */
export interface SchoolContext {
  id: string;
  /** The platform's full name (else its short name) from the mirror; null before the first sync. */
  name: string | null;
  /** IANA name or fixed offset (`UTC+5`) as luxon reads it; throws when neither config nor platform gives one. */
  readonly zone: string;
  /** Where `zone` comes from; null: unknown (reading `zone` throws). */
  zoneSource: 'config' | 'platform' | null;
  /** Listed in `schools[]` (else only found in the mirror: the demo's sandbox, a config without schools). */
  configured: boolean;
  director: string | null;
  deputyDirector: string | null;
  /** Final-mark deadlines from the school's order: period name → date. */
  finalMarkDeadlines: Readonly<Record<string, string>>;
  exemptions: readonly Exemption[];
  consentedPersonIds: readonly string[];
}

type SchoolRow = {
  id: string;
  name: string | null;
  full_name: string | null;
  time_zone: string | null;
};

/** The platform's zone when luxon reads it, else null (an unreadable value is no zone). */
function readableZone(zone: string | null | undefined): string | null {
  if (!zone) return null;
  try {
    return parseZone(zone);
  } catch {
    return null;
  }
}

function contextOf(
  id: string,
  cfg: SchoolConfig | undefined,
  row: SchoolRow | undefined,
): SchoolContext {
  const configZone = cfg?.timeZone ?? null;
  const platformZone = readableZone(row?.time_zone);
  const zone = configZone ?? platformZone;
  const name = row ? (row.full_name ?? row.name ?? null) : null;
  return {
    id,
    name,
    get zone(): string {
      if (zone !== null) return zone;
      throw new UsageError(`the time zone of school ${id} is unknown`, [
        row?.time_zone
          ? `the platform gives "${row.time_zone}", which is not a time zone: set schools[].timeZone (e.g. Asia/Yekaterinburg)`
          : row
            ? 'the platform gives none: set schools[].timeZone (e.g. Asia/Yekaterinburg)'
            : 'the platform gives it at the first sync: run `ezh sync` first, or set schools[].timeZone (e.g. Asia/Yekaterinburg)',
      ]);
    },
    zoneSource: configZone !== null ? 'config' : platformZone !== null ? 'platform' : null,
    configured: cfg !== undefined,
    director: cfg?.director ?? null,
    deputyDirector: cfg?.deputyDirector ?? null,
    finalMarkDeadlines: cfg?.finalMarkDeadlines ?? {},
    exemptions: cfg?.exemptions ?? [],
    consentedPersonIds: cfg?.consentedPersonIds ?? [],
  };
}

/**
 * The schools of a run: those of the config (in its order), else every live school of the mirror.
 * `pick`/`select` resolve `--school` and the "which school" default the same way for every door.
 */
export class SchoolContexts {
  constructor(readonly all: readonly SchoolContext[]) {}

  /** The school with this id; unknown: a UsageError listing the known ones. */
  get(id: string): SchoolContext {
    const found = this.all.find((s) => s.id === id);
    if (!found) throw this.unknown(id);
    return found;
  }

  /** `--school` when given (one school), else every school of the run. */
  select(only?: string | null): SchoolContext[] {
    return only === undefined || only === null ? [...this.all] : [this.get(only)];
  }

  /**
   * The one school a command is about: `--school` when given, else the only school there is.
   * Several and no `--school`: a UsageError listing them (never silently the first one).
   */
  pick(only?: string | null): SchoolContext {
    if (only !== undefined && only !== null) return this.get(only);
    if (this.all.length === 1) return this.all[0]!;
    if (this.all.length === 0) {
      throw new UsageError(
        'no school: list it in schools[] (its id is enough) or run `ezh sync` first',
      );
    }
    throw new UsageError('several schools: pass --school ID', this.list());
  }

  /** `pick` when one school is meant, null when there are several and none was named (all of them). */
  pickOrAll(only?: string | null): SchoolContext | null {
    if ((only === undefined || only === null) && this.all.length > 1) return null;
    return this.pick(only);
  }

  /**
   * The zone a run over `only` (else every school) reads local times in: that school's, or the
   * zone all its schools share. Schools in different zones: exit 2 (name one with --school),
   * never silently the first school's.
   */
  zoneFor(only?: string | null): string {
    const schools = this.select(only);
    const zones = [...new Set(schools.map((s) => s.zone))];
    if (zones.length === 1) return zones[0]!;
    if (zones.length === 0) {
      throw new UsageError(
        'no school: list it in schools[] (its id is enough) or run `ezh sync` first',
      );
    }
    throw new UsageError(
      'the schools are in different time zones: pass --school (or a time with an offset, e.g. 2026-10-20T12:00+05:00)',
      schools.map((s) => `${s.id}: ${s.zone}`),
    );
  }

  private list(): string[] {
    return this.all.map((s) => (s.name ? `${s.id} ${s.name}` : s.id));
  }

  private unknown(id: string): UsageError {
    return new UsageError(`unknown school "${id}"`, [
      `schools: ${this.all.map((s) => s.id).join(', ') || '(none configured or mirrored)'}`,
    ]);
  }
}

/** Builds the contexts of every school of the run; one query. */
export async function loadSchoolContexts(
  db: SqlExecutor,
  config: Pick<Config, 'schools'>,
): Promise<SchoolContexts> {
  const rows = await db.query<SchoolRow>(
    'SELECT id, name, full_name, time_zone FROM schools WHERE deleted_at IS NULL ORDER BY id',
  );
  const byId = new Map(rows.map((r) => [String(r.id), r]));
  const schools =
    config.schools.length > 0
      ? config.schools.map((s) => contextOf(s.id, s, byId.get(s.id)))
      : rows.map((r) => contextOf(String(r.id), undefined, r));
  return new SchoolContexts(schools);
}

/** One school's context (sync, a job about one school); a school in neither config nor mirror still gets one. */
export async function loadSchoolContext(
  db: SqlExecutor,
  config: Pick<Config, 'schools'>,
  schoolId: string,
): Promise<SchoolContext> {
  const rows = await db.query<SchoolRow>(
    'SELECT id, name, full_name, time_zone FROM schools WHERE deleted_at IS NULL AND id = ?',
    [schoolId],
  );
  return contextOf(
    schoolId,
    config.schools.find((s) => s.id === schoolId),
    rows[0],
  );
}

/**
 * `--as-of` as an instant: an ISO instant as it is, a local date-time in `zone()`, the zone of the
 * school(s) the command is about (`SchoolContexts.zoneFor`), asked only when needed. Bad syntax: exit 2.
 */
export async function asOfInstant(
  value: string,
  zone: () => string | Promise<string>,
  now: () => number = Date.now,
): Promise<number> {
  const hasZone = /[zZ]|[+-]\d\d:?\d\d$/.test(value);
  const readIn = hasZone ? 'UTC' : await zone();
  try {
    return parseAsOf(value, readIn, now);
  } catch (err) {
    throw new UsageError('bad --as-of', [(err as Error).message]);
  }
}
