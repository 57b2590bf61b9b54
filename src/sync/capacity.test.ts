import { describe, expect, it } from 'vitest';
import { formatDuration, planCapacity, type Deployment, type SyncCosts } from './capacity.js';

const costs: SyncCosts = {
  fullPerClassWeek: 2,
  nightlyPerClass: 50,
  hourlyPerClass: 3,
  perSchool: 5,
  workerRequestsPerSecond: 60,
  source: 'test',
};
const deployment: Deployment = {
  schools: 10,
  classesPerSchool: 40,
  weeks: 35,
  rateLimit: 4,
  workers: 2,
  jobsPerWorker: 4,
  hourlyRuns: 15,
};

describe('capacity plan', () => {
  it('is bound by the tokens while the workers keep up: schools at once times the rate', () => {
    const plan = planCapacity(deployment, costs);
    // 8 schools at once (2 workers x 4 jobs) x 4 requests/s = 32/s, under 2 x 60.
    expect(plan.throughput).toBe(32);
    expect(plan.fullSync.requestsPerSchool).toBe(5 + 2 * 40 * 35);
    expect(plan.fullSync.seconds).toBeCloseTo((10 * 2805) / 32);
    expect(plan.hourlyRound.seconds).toBeCloseTo((10 * 120) / 32);
    expect(plan.schoolDaySeconds).toBeCloseTo(15 * plan.hourlyRound.seconds);
    expect(plan.hourlyFits).toBe(true);
    expect(plan.fullSync.boundBy).toBe('rate limit');
  });

  it('is bound by the workers when the tokens would allow more', () => {
    const plan = planCapacity({ ...deployment, schools: 200, rateLimit: 20 }, costs);
    expect(plan.throughput).toBe(120);
    expect(plan.fullSync.boundBy).toBe('workers');
    // A round of 200 schools x 120 requests at 120/s: 200 s, which fits in the hour.
    expect(plan.hourlyRound.seconds).toBeCloseTo(200);
  });

  it('says when a round of hourly runs does not fit in its hour', () => {
    const plan = planCapacity({ ...deployment, schools: 200, rateLimit: 0.5, workers: 1 }, costs);
    expect(plan.hourlyFits).toBe(false);
  });

  it('refuses a deployment without schools, rate or workers', () => {
    expect(() => planCapacity({ ...deployment, workers: 0 }, costs)).toThrow(RangeError);
  });

  it('formats durations as an operator reads them', () => {
    expect(formatDuration(12.4)).toBe('12 s');
    expect(formatDuration(250)).toBe('4 min 10 s');
    expect(formatDuration(3900)).toBe('1 h 05 min');
  });
});
