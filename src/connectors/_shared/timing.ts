/**
 * Time as the HTTP machinery sees it: a clock to read and a way to wait. Retries and the rate
 * limiter take it as a dependency so that tests run them on a fake clock without real waits.
 */
export interface Timing {
  /** Epoch milliseconds. */
  now(): number;
  sleep(ms: number): Promise<void>;
}

export const systemTiming: Timing = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms))),
};

/**
 * A clock that only moves when slept on: tests see every wait without waiting. Sleepers wake one
 * at a time in order of their wake-up time (each computed from the clock when it fell asleep), the
 * clock jumping to that time, so concurrent waits line up as they would on a real clock.
 */
export class FakeTiming implements Timing {
  /** Every wait asked for, in order. */
  readonly sleeps: number[] = [];
  private readonly pending: { at: number; seq: number; wake: () => void }[] = [];
  private seq = 0;
  private scheduled = false;

  constructor(private current = 0) {}

  now(): number {
    return this.current;
  }

  sleep(ms: number): Promise<void> {
    this.sleeps.push(ms);
    return new Promise((resolve) => {
      this.pending.push({ at: this.current + Math.max(0, ms), seq: this.seq++, wake: resolve });
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    // A macrotask: every sleeper that falls asleep in the current turn is queued before one wakes.
    setImmediate(() => {
      this.scheduled = false;
      this.pending.sort((a, b) => a.at - b.at || a.seq - b.seq);
      const next = this.pending.shift();
      if (!next) return;
      this.current = Math.max(this.current, next.at);
      next.wake();
      if (this.pending.length > 0) this.schedule();
    });
  }
}
