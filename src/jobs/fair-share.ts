import type { Redis } from 'ioredis';

/**
 * Fair sharing of the sync queue between schools (BullMQ OSS has no groups, so ezh keeps its
 * own): start-time fair queueing over BullMQ priorities.
 *
 * Each school has a virtual clock in one Redis hash (`<prefix>:fair:sync`): `s:<school>`, the tag
 * of its last queued scope group. A new group of the school gets the tag
 * `max(V, s:<school>) + weight` as its BullMQ priority (lower runs first; equal tags run in the
 * order queued), where `V` is the highest tag a worker has started. So a school that queued 300
 * groups of a backfill at once holds tags far ahead, and a school whose hourly sync arrives later
 * starts at `V`: its groups run next, interleaved with the backfill instead of behind all of it,
 * and every school with queued work gets a share of the workers.
 *
 * The weight is the run's cost class: an incremental, daytime (`hourly`) or confirming run's groups advance
 * the school's clock by 1, a full, reconciling or backfilling run's by `HEAVY_WEIGHT`, so on
 * shared workers hourly syncs get several turns for each turn of a backfill. It is set when a
 * school's `sync.school` job fans out (from its request's mode) and kept for the run's later
 * stages (one live run per school: the run's lease).
 *
 * Only the scope groups (`sync.scopes`, where the requests are) get a priority: the stages that
 * fan out and finish a run have none, and BullMQ serves unprioritized jobs first, so a run's next
 * stage never queues behind other schools' groups.
 *
 * A fan-out queued twice (a retried stage; BullMQ keeps the first job of an id) still moves the
 * school's clock: that school then waits a little longer for its next turns, nothing more.
 *
 * Tags grow without end; BullMQ caps priorities at 2^21 - 1. When a tag would pass that cap the
 * clocks start again from zero (years of hourly syncs): the jobs already queued then run after
 * the new ones once, nothing is lost.
 */

/** A full, reconciling or backfilling run's groups cost this many hourly groups' turns. */
export const HEAVY_WEIGHT = 2;
const PRIORITY_LIMIT = 2 ** 21 - 1;

const TAGS = `
local school = 's:' .. ARGV[1]
local weightKey = 'w:' .. ARGV[1]
local weight = tonumber(ARGV[2])
if weight > 0 then
  redis.call('HSET', KEYS[1], weightKey, weight)
else
  weight = tonumber(redis.call('HGET', KEYS[1], weightKey) or '1')
end
local count = tonumber(ARGV[3])
local v = tonumber(redis.call('HGET', KEYS[1], 'V') or '0')
local last = tonumber(redis.call('HGET', KEYS[1], school) or '0')
local start = math.max(v, last)
if start + weight * count > tonumber(ARGV[4]) then
  redis.call('DEL', KEYS[1])
  redis.call('HSET', KEYS[1], weightKey, weight)
  start = 0
end
redis.call('HSET', KEYS[1], school, start + weight * count)
return {start, weight}
`;

const STARTED = `
local v = tonumber(redis.call('HGET', KEYS[1], 'V') or '0')
if tonumber(ARGV[1]) > v then redis.call('HSET', KEYS[1], 'V', ARGV[1]) end
return 0
`;

interface FairCommands {
  ezhFairTags(
    key: string,
    school: string,
    weight: number,
    count: number,
    limit: number,
  ): Promise<[number, number]>;
  ezhFairStarted(key: string, tag: number): Promise<number>;
}

/** The weight of a run of `mode` (see above); 0 for "the school's current run's". */
export function weightOfMode(mode: string | undefined): number {
  if (mode === undefined) return 0;
  return mode === 'incremental' || mode === 'hourly' || mode === 'confirm' ? 1 : HEAVY_WEIGHT;
}

export class FairShare {
  private readonly redis: FairCommands;
  private readonly key: string;

  constructor(redis: Redis, prefix: string) {
    const r = redis as Redis & Partial<FairCommands>;
    if (typeof r.ezhFairTags !== 'function') {
      redis.defineCommand('ezhFairTags', { numberOfKeys: 1, lua: TAGS });
      redis.defineCommand('ezhFairStarted', { numberOfKeys: 1, lua: STARTED });
    }
    this.redis = r as Redis & FairCommands;
    this.key = `${prefix}:fair:sync`;
  }

  /**
   * The priorities of `count` new scope groups of `schoolId`, in the order they are queued;
   * `weight` 0 keeps the weight of the school's current run.
   */
  async priorities(schoolId: string, weight: number, count: number): Promise<number[]> {
    if (count === 0) return [];
    const [start, w] = await this.redis.ezhFairTags(
      this.key,
      schoolId,
      weight,
      count,
      PRIORITY_LIMIT,
    );
    return Array.from({ length: count }, (_, i) => start + w * (i + 1));
  }

  /** A worker started a group with this priority: later schools' groups start from here. */
  async started(priority: number | undefined): Promise<void> {
    if (priority !== undefined && priority > 0) await this.redis.ezhFairStarted(this.key, priority);
  }
}
