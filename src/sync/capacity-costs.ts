import type { SyncCosts } from './capacity.js';

/**
 * What a sync costs, as `bench/sync-day` measured it on the large sandbox school (48 classes, 39
 * weeks) through the real connector over HTTP (bench/results/sync-day.json, bench/README.md).
 * `ezh capacity --measure` measures them again against the sandbox instead.
 */
export const RECORDED_COSTS: SyncCosts = {
  fullPerClassWeek: 0,
  nightlyPerClass: 0,
  hourlyPerClass: 0,
  perSchool: 5,
  workerRequestsPerSecond: 0,
  source: 'bench/sync-day, large sandbox school, 2026-12-04',
};
