import {
  STREAM_SCOPES,
  type Connector,
  type ConnectorCapabilities,
  type FetchResult,
  type Scope,
  type ScopeLevel,
  type StreamName,
  type StreamRecords,
} from '../connector.js';
import { STREAM_NAMES } from '../records.js';
import { sharedRateLimiters, type TokenLimiters } from '../_shared/rate-limiter.js';
import { DEFAULT_RETRY_POLICY } from '../_shared/retry-policy.js';
import { systemTiming, type Timing } from '../_shared/timing.js';
import { staticTokenProvider, type TokenProvider } from '../_shared/token-provider.js';
import { DnevnikClient } from './client.js';
import { FetchSink } from './fetch-sink.js';
import { fetchClassScope } from './resources/class-scope.js';
import { fetchSchoolScope } from './resources/school-scope.js';
import { fetchWindowScope } from './resources/window-scope.js';
import { WindowState, type AttendanceCalls } from './resources/window-state.js';
import type { DnevnikClientSettings } from './settings.js';

export const DNEVNIK_PLATFORM = 'dnevnik';

export const DNEVNIK_CAPABILITIES: ConnectorCapabilities = {
  streams: [...STREAM_NAMES],
  bundles: [
    ['lessons', 'works'],
    ['persons', 'enrollments'],
  ],
  // `Mark.date` is when the mark was set, in UTC (reference §7: public clients read it so).
  markEntryTime: true,
  maxWindowDays: null,
};

/** What tests and the sync engine may inject besides the settings. */
export interface DnevnikOptions {
  /** Overrides `settings.token` (e.g. a refreshing OAuth provider). */
  tokens?: TokenProvider | null;
  timing?: Timing;
  random?: () => number;
  /** Per-token limiters; the process-wide registry by default (service mode: shared through Redis). */
  limiters?: TokenLimiters;
  /** How attendance is asked for (`window-state.ts`); `per-subject` only for benches. */
  attendanceCalls?: AttendanceCalls;
}

export function createDnevnikClient(
  settings: DnevnikClientSettings,
  options: DnevnikOptions = {},
): DnevnikClient {
  const tokens =
    options.tokens !== undefined
      ? options.tokens
      : settings.token
        ? staticTokenProvider(settings.token)
        : null;
  const limiters = options.limiters ?? sharedRateLimiters;
  return new DnevnikClient({
    baseUrl: settings.baseUrl,
    tokens,
    timeoutMs: settings.timeoutMs,
    retry: { ...DEFAULT_RETRY_POLICY, maxRetries: settings.maxRetries },
    limiter: tokens
      ? limiters.forToken(
          tokens.identity,
          { requestsPerSecond: settings.requestsPerSecond, concurrency: settings.concurrency },
          // A token's limit is the host's that issued it (white-label hosts have their own).
          new URL(settings.baseUrl).host,
        )
      : null,
    timing: options.timing ?? systemTiming,
    random: options.random,
  });
}

export function createDnevnikConnector(
  settings: DnevnikClientSettings,
  options: DnevnikOptions = {},
): Connector {
  const client = createDnevnikClient(settings, options);
  const state = new WindowState(options.attendanceCalls);
  return {
    platform: DNEVNIK_PLATFORM,
    capabilities: DNEVNIK_CAPABILITIES,
    fetch: (streams, scope) =>
      fetchStreams(client, streams, scope, settings.entryTimeZone ?? 'UTC', state),
    close: () => Promise.resolve(),
  };
}

type Partial_ = Partial<{ [K in StreamName]: StreamRecords[K][] }>;

async function fetchStreams<S extends StreamName>(
  client: DnevnikClient,
  streams: readonly S[],
  scope: Scope,
  entryZone: string,
  state: WindowState,
): Promise<FetchResult<S>> {
  const level = levelOf(scope);
  const misplaced = streams.filter((s) => !STREAM_SCOPES[s].includes(level));
  if (misplaced.length > 0) {
    throw new Error(
      `stream(s) ${misplaced.join(', ')} cannot be fetched at ${level} level (see STREAM_SCOPES)`,
    );
  }
  const want = new Set<StreamName>(streams);
  const sink = new FetchSink();
  let out: Partial_;
  switch (level) {
    case 'school':
      out = await fetchSchoolScope(client, scope.schoolId, want, sink);
      break;
    case 'class':
      out = await fetchClassScope(
        client,
        { schoolId: scope.schoolId, classId: scope.classId as string },
        want,
        sink,
      );
      break;
    case 'window':
      out = await fetchWindowScope(
        client,
        {
          schoolId: scope.schoolId,
          classId: scope.classId as string,
          from: scope.from as string,
          to: scope.to as string,
          entryZone,
        },
        want,
        sink,
        state,
      );
      break;
  }
  const records = {} as { [K in S]: StreamRecords[K][] };
  for (const s of streams) (records as Record<string, unknown>)[s] = out[s] ?? [];
  return {
    records,
    quarantined: sink.quarantined,
    complete: sink.complete,
    stats: { ...sink.stats },
  };
}

function levelOf(scope: Scope): ScopeLevel {
  const hasWindow = scope.from !== undefined || scope.to !== undefined;
  if (hasWindow) {
    if (!scope.classId || !scope.from || !scope.to) {
      throw new Error('a window scope needs classId, from and to');
    }
    if (scope.from > scope.to) {
      throw new Error(`window ${scope.from}..${scope.to} ends before it starts`);
    }
    return 'window';
  }
  return scope.classId ? 'class' : 'school';
}
