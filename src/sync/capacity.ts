/**
 * The capacity plan of a deployment: how long the sync workloads of N schools take, from the
 * requests each costs per class (measured by `bench/sync-day`) and the two limits that bound it:
 * - each school's token: at most `rateLimit` requests per second (the platform's, per token);
 * - the workers: `workers` processes, each running `jobsPerWorker` sync jobs at once and able to
 *   process at most `workerRequestsPerSecond` requests per second end to end (fetch, parse, write).
 * A workload of R requests per school then takes N·R / X, where the throughput X is the smaller
 * of the schools being read at once times their token's rate, and what the workers can process:
 *   X = min(min(N, workers·jobsPerWorker) · rateLimit, workers · workerRequestsPerSecond).
 * It assumes the workers share their slots fairly between schools (issue 24 §5) and that retries
 * are rare (the connector keeps under the limit); `bench/capacity` checks it against a real run.
 */

export interface SyncCosts {
  /** Requests of a full first sync per class and week of the school year. */
  fullPerClassWeek: number;
  /** Requests of a nightly reconciliation per class. */
  nightlyPerClass: number;
  /** Requests of one daytime (hourly) run per class. */
  hourlyPerClass: number;
  /** Requests per school besides its classes (the school scope: teachers, subjects …). */
  perSchool: number;
  /** Requests per second one worker processes end to end when no limit holds it back. */
  workerRequestsPerSecond: number;
  /** Where the figures come from (a bench run and its date, or `measured now`). */
  source: string;
}

export interface Deployment {
  schools: number;
  classesPerSchool: number;
  /** Weeks of the school year a first sync reads. */
  weeks: number;
  /** Requests per second per token (per school). */
  rateLimit: number;
  workers: number;
  jobsPerWorker: number;
  /** Daytime runs per school day (the schedule 07:00-21:00 hourly: 15). */
  hourlyRuns: number;
}

export interface Workload {
  requestsPerSchool: number;
  /** Wall time for all schools, seconds. */
  seconds: number;
  /** What bounds it: the tokens' rate or the workers' processing. */
  boundBy: 'rate limit' | 'workers';
}

export interface CapacityPlan {
  deployment: Deployment;
  throughput: number;
  fullSync: Workload;
  nightly: Workload;
  /** One round of daytime runs of every school (must fit in the hour between runs). */
  hourlyRound: Workload;
  /** Busy time of a school day of daytime runs (`hourlyRuns` rounds). */
  schoolDaySeconds: number;
  /** Whether a round fits in its hour (the next round would otherwise queue behind it). */
  hourlyFits: boolean;
}

export function throughputOf(
  d: Deployment,
  c: SyncCosts,
): { rps: number; boundBy: Workload['boundBy'] } {
  const byRate = Math.min(d.schools, d.workers * d.jobsPerWorker) * d.rateLimit;
  const byWorkers = d.workers * c.workerRequestsPerSecond;
  return byRate <= byWorkers
    ? { rps: byRate, boundBy: 'rate limit' }
    : { rps: byWorkers, boundBy: 'workers' };
}

export function planCapacity(d: Deployment, c: SyncCosts): CapacityPlan {
  if (d.schools < 1 || d.rateLimit <= 0 || d.workers < 1 || d.jobsPerWorker < 1) {
    throw new RangeError('schools, rate limit, workers and jobs per worker must be positive');
  }
  const { rps, boundBy } = throughputOf(d, c);
  const workload = (requestsPerSchool: number): Workload => ({
    requestsPerSchool: Math.round(requestsPerSchool),
    seconds: (d.schools * requestsPerSchool) / rps,
    boundBy,
  });
  const fullSync = workload(c.perSchool + c.fullPerClassWeek * d.classesPerSchool * d.weeks);
  const nightly = workload(c.perSchool + c.nightlyPerClass * d.classesPerSchool);
  const hourlyRound = workload(c.hourlyPerClass * d.classesPerSchool);
  return {
    deployment: d,
    throughput: rps,
    fullSync,
    nightly,
    hourlyRound,
    schoolDaySeconds: hourlyRound.seconds * d.hourlyRuns,
    hourlyFits: hourlyRound.seconds <= 3600,
  };
}

/** `1 h 05 min`, `4 min 10 s`, `12 s`: what an operator reads in a table. */
export function formatDuration(seconds: number): string {
  const s = Math.round(seconds);
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min ${String(s % 60).padStart(2, '0')} s`;
  return `${Math.floor(m / 60)} h ${String(m % 60).padStart(2, '0')} min`;
}
