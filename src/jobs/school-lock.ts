import type { Redis } from 'ioredis';

/**
 * The per-school hard cap of service mode: at most one sync job of a school runs at a time,
 * whatever the number of workers and their concurrency. The fair queue (fair-share.ts) orders
 * the schools' groups but does not stop two workers from taking two groups of one school at
 * once; this lock does.
 *
 * One Redis key per school (`<prefix>:school-lock:<school>`), set with NX to the holder's name
 * (worker and job) and an expiry; the holder renews it while its job runs and deletes it at the
 * end (both by a script that checks the holder, so a lock that expired and went to another job is
 * never renewed or deleted by the old one). A worker that dies leaves the lock to expire after
 * `ttlMs`. A job that finds its school locked is put back for a moment (worker.ts), no attempt
 * spent.
 */

const RENEW = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return 0
`;

const RELEASE = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
`;

interface LockCommands {
  ezhSchoolLockRenew(key: string, holder: string, ttlMs: number): Promise<number>;
  ezhSchoolLockRelease(key: string, holder: string): Promise<number>;
}

/** A lock held: renewed every third of its expiry until `release`. */
export interface HeldLock {
  release(): Promise<void>;
}

export class SchoolLocks {
  private readonly redis: Redis & LockCommands;

  constructor(
    redis: Redis,
    private readonly prefix: string,
    /** The lock's expiry; renewed every third of it while the job runs. */
    private readonly ttlMs: number,
  ) {
    const r = redis as Redis & Partial<LockCommands>;
    if (typeof r.ezhSchoolLockRenew !== 'function') {
      redis.defineCommand('ezhSchoolLockRenew', { numberOfKeys: 1, lua: RENEW });
      redis.defineCommand('ezhSchoolLockRelease', { numberOfKeys: 1, lua: RELEASE });
    }
    this.redis = r as Redis & LockCommands;
  }

  key(schoolId: string): string {
    return `${this.prefix}:school-lock:${schoolId}`;
  }

  /** The lock of `schoolId` for `holder`, or null when another holder has it. */
  async acquire(schoolId: string, holder: string): Promise<HeldLock | null> {
    const key = this.key(schoolId);
    const ok = await this.redis.set(key, holder, 'PX', this.ttlMs, 'NX');
    if (ok !== 'OK') return null;
    const timer = setInterval(
      () => void this.redis.ezhSchoolLockRenew(key, holder, this.ttlMs).catch(() => undefined),
      Math.max(100, Math.floor(this.ttlMs / 3)),
    );
    timer.unref();
    let released = false;
    return {
      release: async () => {
        if (released) return;
        released = true;
        clearInterval(timer);
        await this.redis.ezhSchoolLockRelease(key, holder);
      },
    };
  }
}

/** The school a sync job is for (every sync job's payload names it), or null. */
export function schoolOfJob(data: unknown): string | null {
  const school = (data as { schoolId?: unknown } | null)?.schoolId;
  return typeof school === 'string' && school.length > 0 ? school : null;
}
