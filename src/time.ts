/**
 * Time as an injected dependency (issue 9): every module that needs "now" takes a {@link Clock},
 * and every module that needs "later" takes a {@link Scheduler}, so tests run on fake time (see
 * test/support/fake-time.ts) and never sleep to show that something did not happen.
 */

/** Epoch-ms clock. The default everywhere is `Date.now`. */
export type Clock = () => number;

/** A scheduled task that can be cancelled before it runs. */
export interface ScheduledTask {
  cancel(): void;
}

/** How a task is scheduled. */
export interface ScheduleOptions {
  /**
   * A background task (a retry, a sweep, a renewal) must not keep the process alive: it is simply
   * not run when the process exits first. Default false: a task someone awaits keeps it alive.
   */
  background?: boolean;
}

/** Runs tasks later. The real one is {@link realScheduler}; tests pass a fake one. */
export interface Scheduler {
  /** Runs `task` once, `delayMs` from now (negative counts as 0). */
  after(delayMs: number, task: () => void, options?: ScheduleOptions): ScheduledTask;
}

/** `setTimeout`, with `unref` for background tasks. */
export const realScheduler: Scheduler = {
  after(delayMs, task, options) {
    const timer = setTimeout(task, Math.max(0, delayMs));
    if (options?.background) timer.unref();
    return { cancel: () => clearTimeout(timer) };
  },
};

/** Resolves after `delayMs` on `scheduler` (a pause someone awaits, so it keeps the process alive). */
export function sleep(scheduler: Scheduler, delayMs: number): Promise<void> {
  return new Promise((resolve) => {
    scheduler.after(delayMs, resolve);
  });
}

/**
 * Runs `task` every `everyMs` on `scheduler` until cancelled (a background task). The next run is
 * scheduled when the previous one was started, like `setInterval`.
 */
export function every(scheduler: Scheduler, everyMs: number, task: () => void): ScheduledTask {
  let current: ScheduledTask | undefined;
  let cancelled = false;
  const tick = () => {
    if (cancelled) return;
    current = scheduler.after(everyMs, () => {
      tick();
      task();
    }, { background: true });
  };
  tick();
  return {
    cancel: () => {
      cancelled = true;
      current?.cancel();
    },
  };
}
