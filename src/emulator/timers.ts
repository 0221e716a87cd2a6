/**
 * Every timer the emulator starts goes through one {@link TimerSet}, so `close()` can cancel them
 * all and jest sees no open handles.
 */
export class TimerSet {
  private readonly timers = new Map<NodeJS.Timeout, () => void>();
  private closed = false;

  /** Runs `fn` after `ms` unless the set is closed first. */
  schedule(fn: () => void, ms: number): NodeJS.Timeout {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      fn();
    }, ms);
    this.timers.set(timer, () => undefined);
    return timer;
  }

  /** Cancels one timer. */
  cancel(timer: NodeJS.Timeout | undefined): void {
    if (!timer) return;
    clearTimeout(timer);
    this.timers.delete(timer);
  }

  /** Resolves after `ms`, or at once (with `false`) when the set is or gets closed. */
  sleep(ms: number): Promise<boolean> {
    if (this.closed) return Promise.resolve(false);
    if (ms <= 0) return Promise.resolve(true);
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        resolve(true);
      }, ms);
      this.timers.set(timer, () => resolve(false));
    });
  }

  /** True once {@link closeAll} ran. */
  get isClosed(): boolean {
    return this.closed;
  }

  /** Cancels every timer and wakes every sleeper. */
  closeAll(): void {
    this.closed = true;
    for (const [timer, wake] of this.timers) {
      clearTimeout(timer);
      wake();
    }
    this.timers.clear();
  }
}
