import type { SyncCosts } from './capacity.js';

/**
 * What a sync costs, as the benches measured it through the real connector over HTTP:
 * - requests per class: `bench/sync-day` on 2026-12-04 (the small sandbox school, 4 classes, a
 *   39-week year read by the first sync): first sync 96 requests, a nightly reconciliation 132.
 *   Hourly runs: `bench/sync-day` on the large school (48 classes), 2026-12-04 evening, with
 *   attendance asked across classes in calls of 60 lessons: 2.0-2.3 requests per class a run on
 *   a Monday (lessons and marks 2, attendance 0.1-0.3), more later in the week as its lessons
 *   accumulate (estimated 2.6 on a Friday: not measured with the final packing). A first sync of a school in mid-year costs more per
 *   class-week than this school's, whose year is mostly ahead: up to 2.07 (`bench/sync`,
 *   2026-12-02, the large school with attendance still read per subject); pass `--measure`.
 * - one worker's processing rate: `bench/sync` on 2026-12-02 (idle 2-core machine): 3,877
 *   requests of the large school's first sync in 68 s, with the mirror's writes.
 */
export const RECORDED_COSTS: SyncCosts = {
  fullPerClassWeek: 0.62,
  nightlyPerClass: 33,
  hourlyPerClass: 2.3,
  perSchool: 5,
  workerRequestsPerSecond: 57,
  source:
    'bench/sync-day 2026-12-04 (small school; hourly: large school) and bench/sync 2026-12-02',
};
