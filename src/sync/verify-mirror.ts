import type { Config } from '../config/schema.js';
import type { Connector, FetchResult } from '../connectors/connector.js';
import type { AnyRecord, StreamName } from '../connectors/records.js';
import { STREAM_NAMES } from '../connectors/records.js';
import { contentHashOf } from '../mirror/mirror-writer.js';
import type { SqlExecutor } from '../mirror/sql.js';
import { tableOf } from '../mirror/tables.js';
import type { Clock } from '../platform/clock.js';
import { EzhError } from '../platform/errors.js';
import { addDays, instantToLocalDate } from '../platform/time.js';
import { loadSchoolContext } from '../mirror/school-context.js';
import { makeScope, type PlannedScope } from './scope.js';
import { schoolYearOf, type DateRange, type PeriodSpan } from './school-year.js';
import { wideWindows, windowSizes } from './windows.js';

/**
 * `ezh verify-mirror`: the whole school year read from the platform through the connector (read
 * only: nothing is written to the mirror) and compared with the mirror's live rows, stream by
 * stream, by id and content hash (the hash the mirror writer keeps, see `contentHashOf`). It
 * answers "does the mirror equal the platform?" with ids only, never personal data: the fault
 * suite, the demo and an ICT engineer all ask it the same way.
 */

export interface StreamComparison {
  stream: StreamName;
  /** Records the platform served for the year (quarantined ones not counted). */
  platform: number;
  /** Live rows of the mirror in the same reach (windowed streams: dated in the year). */
  mirror: number;
  /** On the platform, not live in the mirror. */
  missing: string[];
  /** Live in the mirror, not on the platform. */
  extra: string[];
  /** In both, with different content. */
  different: string[];
  /** Ids the platform sent in a shape that failed validation: not judged either way. */
  quarantined: string[];
}

export interface MirrorComparison {
  schoolId: string;
  /** The school year that was read (local dates). */
  year: DateRange;
  streams: StreamComparison[];
  /** No stream has a missing, extra or different row. */
  equal: boolean;
  requests: number;
  retries: number;
}

export interface VerifyMirrorDeps {
  db: SqlExecutor;
  connector: Connector;
  config: Config;
  clock: Clock;
}

/** A scope the platform could not serve whole: no comparison can be trusted. */
export class VerifyIncompleteError extends EzhError {}

/** Classes read at once: enough to keep the connector's request slots busy. */
const CLASS_CONCURRENCY = 4;

export async function verifyMirror(
  deps: VerifyMirrorDeps,
  schoolId: string,
): Promise<MirrorComparison> {
  const { connector } = deps;
  const school = await loadSchoolContext(deps.db, deps.config, schoolId);
  const consented = new Set(school.consentedPersonIds);
  const hashCtx = { isConsented: (id: string) => consented.has(id) };
  const available = new Set(connector.capabilities.streams);
  const seen = new PlatformSide(hashCtx);
  const source = connector.platform;

  const read = async (scope: PlannedScope | null): Promise<FetchResult | null> => {
    if (!scope) return null;
    const result = await connector.fetch(scope.streams, {
      schoolId: scope.schoolId,
      ...(scope.classId ? { classId: scope.classId } : {}),
      ...(scope.from ? { from: scope.from } : {}),
      ...(scope.to ? { to: scope.to } : {}),
    });
    if (!result.complete) {
      throw new VerifyIncompleteError(
        `the platform did not serve scope ${scope.key} whole (a reply was not a list): the mirror cannot be compared; try again later`,
      );
    }
    seen.add(scope.streams, result);
    return result;
  };

  const schoolScope = await read(makeScope('school', { schoolId }, available, 'full'));
  // Read as the sync reads (planner.ts): a subgroup of a known class, its roster only; its
  // lessons, marks and attendance come with its class's windows.
  const groups = schoolScope?.records.classes ?? [];
  const known = new Set(groups.map((c) => c.id));
  const isSubgroup = (c: (typeof groups)[number]) =>
    c.kind === 'subgroup' && c.parentIds.some((id) => known.has(id));
  const classIds = groups.filter((c) => !isSubgroup(c)).map((c) => c.id);
  const rosters = groups.filter(isSubgroup).map((c) => c.id);
  await eachLimited(rosters, CLASS_CONCURRENCY, async (classId) => {
    await read(makeScope('roster', { schoolId, classId }, available, 'full'));
  });
  const periods: PeriodSpan[] = [];
  await eachLimited(classIds, CLASS_CONCURRENCY, async (classId) => {
    const r = await read(makeScope('class', { schoolId, classId }, available, 'full'));
    for (const p of r?.records.reportingPeriods ?? []) {
      periods.push({ start: p.start, finish: p.finish, type: p.type });
    }
  });

  const today = instantToLocalDate(deps.clock.now(), school.zone);
  const year = schoolYearOf(periods, today);
  const sizes = windowSizes(
    deps.config.sync.recentWindowDays,
    deps.config.sync.pastWindowDays,
    connector.capabilities.maxWindowDays,
  );
  const windows = wideWindows(year, sizes);
  await eachLimited(classIds, CLASS_CONCURRENCY, async (classId) => {
    for (const w of windows) {
      for (const kind of ['lessons', 'marks', 'attendance'] as const) {
        await read(
          makeScope(kind, { schoolId, classId, from: w.from, to: w.to }, available, 'full'),
        );
      }
    }
  });

  const streams: StreamComparison[] = [];
  for (const stream of STREAM_NAMES) {
    if (!available.has(stream)) continue;
    streams.push(await compareStream(deps.db, source, schoolId, year, stream, seen));
  }
  return {
    schoolId,
    year,
    streams,
    equal: streams.every(
      (s) => s.missing.length === 0 && s.extra.length === 0 && s.different.length === 0,
    ),
    requests: seen.requests,
    retries: seen.retries,
  };
}

/** What the platform served: id → content hash per stream, and the quarantined ids. */
class PlatformSide {
  readonly hashes = new Map<StreamName, Map<string, string>>();
  readonly quarantined = new Map<StreamName, Set<string>>();
  requests = 0;
  retries = 0;

  constructor(private readonly ctx: { isConsented: (id: string) => boolean }) {}

  add(streams: readonly StreamName[], result: FetchResult): void {
    this.requests += result.stats.requests;
    this.retries += result.stats.retries;
    for (const stream of streams) {
      const list = (result.records as Partial<Record<StreamName, AnyRecord[]>>)[stream] ?? [];
      let map = this.hashes.get(stream);
      if (!map) this.hashes.set(stream, (map = new Map()));
      // The last record wins, as in the writer: scopes are read in the sync's order.
      for (const r of list) map.set(r.id, contentHashOf(stream, r as never, this.ctx));
    }
    for (const q of result.quarantined) {
      let set = this.quarantined.get(q.stream);
      if (!set) this.quarantined.set(q.stream, (set = new Set()));
      if (q.ref !== null) set.add(q.ref);
    }
  }
}

async function compareStream(
  db: SqlExecutor,
  source: string,
  schoolId: string,
  year: DateRange,
  stream: StreamName,
  seen: PlatformSide,
): Promise<StreamComparison> {
  const platform = seen.hashes.get(stream) ?? new Map<string, string>();
  const quarantined = seen.quarantined.get(stream) ?? new Set<string>();
  for (const id of quarantined) platform.delete(id);
  const spec = tableOf(stream);
  const live = await db.query<{ id: string; content_hash: string }>(
    `SELECT id, content_hash FROM ${spec.table} WHERE source = ? AND school_id = ? AND deleted_at IS NULL`,
    [source, schoolId],
  );
  const mirror = new Map(live.map((r) => [r.id, r.content_hash]));
  // Rows of windowed streams dated outside the year (earlier years) are not the platform's to
  // confirm: only those inside it can be "extra".
  const inYear = await idsInYear(db, source, schoolId, year, stream);
  const missing: string[] = [];
  const different: string[] = [];
  for (const [id, hash] of platform) {
    const have = mirror.get(id);
    if (have === undefined) missing.push(id);
    else if (have !== hash) different.push(id);
  }
  const extra: string[] = [];
  let reach = 0;
  for (const id of mirror.keys()) {
    if (inYear && !inYear.has(id)) continue;
    reach++;
    if (!platform.has(id) && !quarantined.has(id)) extra.push(id);
  }
  const sort = (xs: string[]) => xs.sort();
  return {
    stream,
    platform: platform.size,
    mirror: reach,
    missing: sort(missing),
    extra: sort(extra),
    different: sort(different),
    quarantined: sort([...quarantined]),
  };
}

/** Ids of a windowed stream's live rows dated in the year; null for streams without windows. */
async function idsInYear(
  db: SqlExecutor,
  source: string,
  schoolId: string,
  year: DateRange,
  stream: StreamName,
): Promise<Set<string> | null> {
  const spec = tableOf(stream);
  const win = spec.scope?.window;
  if (!win) return null;
  const end = addDays(year.end, 1);
  const rows =
    'dateColumn' in win
      ? await db.query<{ id: string }>(
          `SELECT id FROM ${spec.table} WHERE source = ? AND school_id = ? AND deleted_at IS NULL AND ${win.dateColumn} >= ? AND ${win.dateColumn} < ?`,
          [source, schoolId, year.start, end],
        )
      : await db.query<{ id: string }>(
          `SELECT t.id FROM ${spec.table} t JOIN lessons l ON l.source = t.source AND l.id = t.${win.viaLessons}
           WHERE t.source = ? AND t.school_id = ? AND t.deleted_at IS NULL AND l.date >= ? AND l.date < ?`,
          [source, schoolId, year.start, end],
        );
  return new Set(rows.map((r) => r.id));
}

async function eachLimited<T>(
  items: readonly T[],
  limit: number,
  work: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  let failed = false;
  // After a failure the other lanes take no new item, so nothing runs on after the caller gave up.
  const lane = async () => {
    while (!failed && next < items.length) {
      try {
        await work(items[next++]!);
      } catch (err) {
        failed = true;
        throw err;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
}
