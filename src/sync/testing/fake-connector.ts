import type {
  Connector,
  ConnectorCapabilities,
  FetchResult,
  QuarantinedRecord,
  Scope,
} from '../../connectors/connector.js';
import type { AnyRecord, StreamName, StreamRecords } from '../../connectors/records.js';
import { STREAM_NAMES } from '../../connectors/records.js';

/**
 * An in-memory platform for unit tests of the sync engine: a data set per stream, scoped the way
 * the contract says (school / class / class + window), with request counting like the real
 * connector (1 call for lessons+works, 1 for marks, 1 per subject for attendance), and optional
 * failures and quarantined records.
 */
export type FakeData = { [S in StreamName]: StreamRecords[S][] };

export function emptyData(): FakeData {
  return Object.fromEntries(STREAM_NAMES.map((s) => [s, []])) as unknown as FakeData;
}

export interface FakeConnectorOptions {
  maxWindowDays?: number | null;
  /** Called before each fetch: throw to simulate a platform failure. */
  beforeFetch?: (streams: readonly StreamName[], scope: Scope) => void;
  /** Quarantined records returned with the given stream's fetches (lessons: attendance's too). */
  quarantined?: QuarantinedRecord[];
}

export class FakeConnector implements Connector {
  readonly platform = 'dnevnik';
  readonly capabilities: ConnectorCapabilities;
  requests = 0;
  fetches: { streams: StreamName[]; scope: Scope }[] = [];

  constructor(
    public data: FakeData,
    private readonly options: FakeConnectorOptions = {},
  ) {
    this.capabilities = {
      streams: [...STREAM_NAMES],
      bundles: [['lessons', 'works']],
      markEntryTime: true,
      maxWindowDays: options.maxWindowDays === undefined ? 92 : options.maxWindowDays,
    };
  }

  async fetch<S extends StreamName>(streams: readonly S[], scope: Scope): Promise<FetchResult<S>> {
    this.options.beforeFetch?.(streams, scope);
    this.fetches.push({ streams: [...streams], scope: { ...scope } });
    const lessonIds = new Set(
      this.data.lessons
        .filter((l) => l.classId === scope.classId && inWindow(l.date, scope))
        .map((l) => l.id),
    );
    const records = {} as { [K in S]: StreamRecords[K][] };
    let requests = 0;
    for (const stream of streams) {
      const list = (this.data[stream] as AnyRecord[]).filter((r) =>
        this.inScope(stream, r, scope, lessonIds),
      );
      (records as Record<string, AnyRecord[]>)[stream] = list.map((r) => structuredClone(r));
      if (stream === 'attendance') {
        requests += new Set(
          this.data.lessons.filter((l) => lessonIds.has(l.id)).map((l) => l.subjectId),
        ).size;
      } else if (stream !== 'works') requests += 1;
    }
    this.requests += requests;
    // Like the Dnevnik connector, attendance is read through the window's lessons: a lesson
    // that fails validation is quarantined with the attendance fetch as well.
    const wanted = new Set<StreamName>(streams);
    if (wanted.has('attendance')) wanted.add('lessons');
    const quarantined = (this.options.quarantined ?? []).filter((q) => wanted.has(q.stream));
    return { records, quarantined, complete: true, stats: { requests, retries: 0 } };
  }

  private inScope(stream: StreamName, r: AnyRecord, scope: Scope, lessonIds: Set<string>): boolean {
    const rec = r as unknown as Record<string, unknown>;
    switch (stream) {
      case 'persons': {
        const p = r as StreamRecords['persons'];
        if (!scope.classId) return p.role !== 'student';
        return this.data.enrollments.some(
          (e) => e.classId === scope.classId && e.personId === p.id,
        );
      }
      case 'lessons':
        return rec.classId === scope.classId && inWindow(String(rec.date), scope);
      // Marks come in the window of their lesson's date, as on the platform (reference §7).
      case 'marks':
      case 'works':
      case 'attendance':
        return lessonIds.has(String(rec.lessonId));
      case 'enrollments':
      case 'teacherAssignments':
      case 'reportingPeriods':
      case 'finalMarks':
        return rec.classId === scope.classId;
      case 'schools':
      case 'classes':
      case 'subjects':
      case 'workTypes':
        return true;
    }
  }

  async close(): Promise<void> {}
}

function inWindow(date: string, scope: Scope): boolean {
  return (!scope.from || date >= scope.from) && (!scope.to || date <= scope.to);
}
