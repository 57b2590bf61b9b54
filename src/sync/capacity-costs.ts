import type { SyncCosts } from './capacity.js';

/**
 * What a sync costs, as the benches measured it through the real connector over HTTP:
 * - requests per class: `bench/sync-day` on 2026-12-04 (the small sandbox school, 4 classes, a
 *   39-week year read by the first sync; bench/results/sync-day.json): first sync 96 requests,
 *   a nightly reconciliation 132, a school day of 15 hourly runs 43 per class (3 per class once
 *   the week's first lessons are in). A first sync of a school in mid-year costs more per
 *   class-week than this school's, whose year is mostly ahead: up to 2.07 (`bench/sync`,
 *   2026-12-02, the large school with attendance still read per subject); pass `--measure`.
 * - one worker's processing rate: `bench/sync` on 2026-12-02 (idle 2-core machine): 3,877
 *   requests of the large school's first sync in 68 s, with the mirror's writes.
 */
export const RECORDED_COSTS: SyncCosts = {
  fullPerClassWeek: 0.62,
  nightlyPerClass: 33,
  hourlyPerClass: 3,
  perSchool: 5,
  workerRequestsPerSecond: 57,
  source: 'bench/sync-day 2026-12-04 (small school) and bench/sync 2026-12-02',
};
