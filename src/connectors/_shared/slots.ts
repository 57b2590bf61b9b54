/**
 * A cap on requests in flight: at most `size` holders at once, the others served in arrival
 * order. A freed slot is handed straight to the next waiter, so the count never dips between.
 */
export class Slots {
  private inFlight = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(private readonly size: number) {
    if (!(size >= 1)) throw new Error('concurrency must be at least 1');
  }

  take(): Promise<void> {
    if (this.inFlight < this.size) {
      this.inFlight++;
      return Promise.resolve();
    }
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  release(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.inFlight--;
  }
}
