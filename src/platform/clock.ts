/**
 * The "now" of a process. Production uses the system clock; the demo and tests run ezh on the
 * sandbox platform's clock, so that "first seen" times and deadlines line up with the sandbox's
 * timeline and results are deterministic.
 */
export interface Clock {
  /** Epoch milliseconds. */
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

/** A clock that only moves when told to (tests, the sandbox timeline). */
export class ManualClock implements Clock {
  constructor(private current: number) {}
  now(): number {
    return this.current;
  }
  set(instant: number): void {
    this.current = instant;
  }
  advance(ms: number): void {
    this.current += ms;
  }
}
