/**
 * Like `Promise.all`, but waits for every job before failing, so that no request of a failed
 * fetch is still running (and counting) after the fetch has returned.
 */
export async function settleAll<T>(jobs: readonly Promise<T>[]): Promise<T[]> {
  const results = await Promise.allSettled(jobs);
  const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) throw failed.reason;
  return results.map((r) => (r as PromiseFulfilledResult<T>).value);
}
