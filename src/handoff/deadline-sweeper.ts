/**
 * Acts on due deadlines (deadlines.ts) of every conversation the index lists (deadline-index.ts).
 * Each visit is one compare-and-set write of the record that removes or reschedules what it fired
 * and appends the outbox items for its effects, so with several instances sweeping the same
 * Storage one instance acts, once: the other's write conflicts, and re-running the pure decision
 * on the fresh record finds nothing due. The timer is a background task on the injected scheduler
 * (never keeps the process alive) and reads the injectable clock, so tests drive it on fake time.
 */
import type { AvailabilityCheck } from '../availability';
import { dueKinds, earliestDeadline, type WaitingFigures } from './deadlines';
import type { DeadlineIndex, DueEntry } from './deadline-index';
import type { HandoffCore } from './interpreter';
import type { ResolvedHandoffOptions } from './options';
import type { HandoffStore } from './store';
import type { HandoffRecord } from './types';
import { every, type ScheduledTask } from '../time';

/** What the sweeper needs from the middleware. */
export interface SweeperDeps {
  store: HandoffStore;
  index: DeadlineIndex;
  /** Supplies position and estimated wait for waiting-room updates, when configured. */
  queueStats?: AvailabilityCheck;
  /** Writes the due input through the reducer and performs its effects (the drain awaited). */
  core: HandoffCore;
}

/** Sweeps due deadlines on a timer and on demand. */
export class DeadlineSweeper {
  private timer?: ScheduledTask;
  private running?: Promise<number>;

  constructor(
    private readonly options: Pick<ResolvedHandoffOptions, 'clock' | 'scheduler' | 'newId' | 'instanceId' | 'relayLeaseMs' | 'onError'>,
    private readonly deps: SweeperDeps,
  ) {}

  /** Sweeps every `intervalMs` on the scheduler from now on. */
  start(intervalMs: number): void {
    if (this.timer) return;
    this.timer = every(this.options.scheduler, intervalMs, () => {
      this.sweep().catch((error: unknown) => this.options.onError(error, { where: 'deadlines' }));
    });
  }

  /** Stops the timer; the deadlines stay in the records for the next sweep (any instance's). */
  dispose(): void {
    this.timer?.cancel();
    this.timer = undefined;
  }

  /**
   * Acts on everything due at the clock's now; resolves with the number of conversations in which
   * a deadline fired. One sweep at a time per instance (a call during one joins it).
   */
  sweep(): Promise<number> {
    this.running ??= this.sweepOnce().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  private async sweepOnce(): Promise<number> {
    const now = this.options.clock();
    let fired = 0;
    for (const entry of await this.deps.index.due(now)) {
      try {
        if (await this.visit(entry, now)) fired++;
      } catch (error) {
        // One conversation's failure must not hold up the others; its entry stays due.
        this.options.onError(error, { where: 'deadlines', conversation: entry.botKey });
      }
    }
    return fired;
  }

  /** Fires what is due in one record (one write), moves its index entry, and drains its outbox. */
  private async visit(entry: DueEntry, now: number): Promise<boolean> {
    const { store, index } = this.deps;
    const seen = await store.read(entry.botKey);
    const figures = dueKinds(seen, now).includes('waitingUpdate') && seen?.state === 'queued' ? await this.figures(seen, now, entry.botKey) : undefined;
    // Without a lease view the lease is judged by its own expiry (the sweep is rare; the drain that follows judges by sightings).
    const done = await this.deps.core.apply(entry.botKey, { type: 'due', now, figures, lease: {} }, { drain: 'await' });
    await index.settle(entry, earliestDeadline(done.record));
    // Another instance's write got there first: the decision re-ran on its record and found nothing due.
    return !done.effects.some((e) => e.type === 'ignored');
  }

  /** Queue figures for the waiting room; none when no provider answers (the plain update is sent). */
  private async figures(record: HandoffRecord, now: number, botKey: string): Promise<WaitingFigures | undefined> {
    const check = this.deps.queueStats;
    const queueId = record.request?.queueId;
    if (!check || !queueId) return undefined;
    try {
      const verdict = await check({ queueId, now, inQueue: true });
      return verdict.open ? { position: verdict.position, estimatedWaitSeconds: verdict.estimatedWaitSeconds } : undefined;
    } catch (error) {
      this.options.onError(error, { where: 'deadlines.queueStats', conversation: botKey });
      return undefined;
    }
  }
}
