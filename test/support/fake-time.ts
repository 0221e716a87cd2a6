/**
 * Fake time for tests: one object that is both the clock and the scheduler (src/time.ts). Time
 * only moves when a test calls {@link FakeTime.advance}, which runs the tasks that fall due in
 * order, letting promises and I/O settle between them, so "nothing happened within N seconds" is
 * shown in microseconds of real time and never by sleeping.
 */
import type { ScheduledTask, Scheduler } from '../../src/time';

interface Pending {
  at: number;
  seq: number;
  task: () => void;
}

/** A clock and scheduler that move only when told to. */
export class FakeTime implements Scheduler {
  private current: number;
  private seq = 0;
  private readonly pending = new Set<Pending>();

  /** `start`: the epoch ms the clock shows first. */
  constructor(start = Date.UTC(2026, 0, 5, 12, 0, 0)) {
    this.current = start;
  }

  /** The clock, as a function to inject (`clock: time.clock`). */
  readonly clock = (): number => this.current;

  /** The time now (epoch ms). */
  get now(): number {
    return this.current;
  }

  after(delayMs: number, task: () => void): ScheduledTask {
    const entry: Pending = { at: this.current + Math.max(0, delayMs), seq: this.seq++, task };
    this.pending.add(entry);
    return { cancel: () => this.pending.delete(entry) };
  }

  /** How many tasks are scheduled and not yet run. */
  get scheduled(): number {
    return this.pending.size;
  }

  /** When the next task is due, or undefined. */
  get nextAt(): number | undefined {
    return this.next()?.at;
  }

  /**
   * Moves the clock `ms` forward, running each task that falls due at its own time, in order, and
   * letting pending promises and I/O settle after each one.
   */
  async advance(ms: number): Promise<void> {
    const target = this.current + ms;
    await settle();
    for (;;) {
      const due = this.next();
      if (!due || due.at > target) break;
      this.pending.delete(due);
      this.current = Math.max(this.current, due.at);
      due.task();
      await settle();
    }
    this.current = target;
    await settle();
  }

  /** Sets the clock without running anything (a skewed or jumped clock). */
  set(epochMs: number): void {
    this.current = epochMs;
  }

  private next(): Pending | undefined {
    let best: Pending | undefined;
    for (const p of this.pending) if (!best || p.at < best.at || (p.at === best.at && p.seq < best.seq)) best = p;
    return best;
  }
}

/** Lets promise chains and ready I/O callbacks run (a few turns of the event loop). */
export async function settle(turns = 5): Promise<void> {
  for (let i = 0; i < turns; i++) await new Promise<void>((resolve) => setImmediate(resolve));
}

/**
 * Polls until `check` holds: for real I/O (an HTTP request reaching a server) that a test must see
 * before it moves fake time on. Fails after `timeoutMs` of real time, naming `what`.
 */
export async function until(check: () => boolean, what: string, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
