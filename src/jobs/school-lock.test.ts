import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deletePrefixKeys, testPrefix, TEST_REDIS_URL } from '../../test/helpers/redis.js';
import { SchoolLocks, schoolOfJob } from './school-lock.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Two connections stand for two worker processes sharing one Redis. */
describe('per-school sync lock in Redis', () => {
  const prefix = testPrefix();
  const connections: Redis[] = [];
  let a: SchoolLocks;
  let b: SchoolLocks;

  beforeAll(() => {
    for (let i = 0; i < 2; i++) {
      connections.push(new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: null }));
    }
    a = new SchoolLocks(connections[0]!, prefix, 600);
    b = new SchoolLocks(connections[1]!, prefix, 600);
  });
  afterAll(async () => {
    await deletePrefixKeys(prefix);
    for (const c of connections) c.disconnect();
  });

  it('lets one holder per school in, another school at the same time, the next after release', async () => {
    const held = await a.acquire('s1', 'w1:j1');
    expect(held).not.toBeNull();
    expect(await b.acquire('s1', 'w2:j2')).toBeNull();
    const other = await b.acquire('s2', 'w2:j3');
    expect(other).not.toBeNull();
    await held!.release();
    const next = await b.acquire('s1', 'w2:j2');
    expect(next).not.toBeNull();
    await next!.release();
    await other!.release();
  });

  it('keeps the lock while its holder runs, past its expiry; frees it when the holder died', async () => {
    const held = await a.acquire('s3', 'w1:long');
    await sleep(1500); // 2.5 expiries: renewed meanwhile
    expect(await b.acquire('s3', 'w2:x')).toBeNull();
    await held!.release();

    // A holder that stops renewing (its process died): the lock expires on its own.
    await connections[0]!.set(a.key('s4'), 'dead-worker:job', 'PX', 600);
    expect(await b.acquire('s4', 'w2:y')).toBeNull();
    await sleep(700);
    const taken = await b.acquire('s4', 'w2:y');
    expect(taken).not.toBeNull();
    await taken!.release();
    expect(await connections[0]!.get(a.key('s4'))).toBeNull();
  });

  it("reads the school from a sync job's payload", () => {
    expect(schoolOfJob({ schoolId: '1000', runId: 'r' })).toBe('1000');
    expect(schoolOfJob({ runId: 'r' })).toBeNull();
    expect(schoolOfJob(null)).toBeNull();
  });
});
