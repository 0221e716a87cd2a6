/**
 * The emulated contact center around the Chat Gateway: whether it is open (a switch, or opening
 * hours on the emulator's clock) and which agents are logged in. It answers the Tenant Schedule
 * and real-time statistics calls the middleware's availability adapters make.
 */
import { compileSchedule, isOpenAt, type WeeklySchedule, type WeeklyScheduleInput } from '../../availability';
import type { EmulatorClock, EmulatorQueue, EmulatorAgentOptions } from '../options';
import type { EmulatorStore } from '../store';

/** Open, closed, or following the configured opening hours. */
export type OpenMode = 'open' | 'closed' | 'schedule';

/** Real-time figures of one queue, under 8x8's metric keys. */
export type QueueFigures = Record<'enabled.rt' | 'availableIdle.rt' | 'busy.rt' | 'interactionsWaitInQueue.rt' | 'interactionsLongestWaitInQueue.rt', number>;

/** The contact center's open/closed switch, agent presence, and queue figures. */
export class ContactCenter {
  private mode: OpenMode;
  private readonly schedule?: WeeklySchedule;
  private readonly loggedOut = new Set<string>();

  constructor(
    private readonly deps: { store: EmulatorStore; clock: EmulatorClock; queues: EmulatorQueue[]; agents: Array<Required<EmulatorAgentOptions>>; onChange: () => void },
    hours?: WeeklyScheduleInput,
  ) {
    this.schedule = hours ? compileSchedule(hours, 'schedule') : undefined;
    this.mode = hours ? 'schedule' : 'open';
  }

  /** The switch's position. */
  get openMode(): OpenMode {
    return this.mode;
  }

  /** Sets the switch; `schedule` needs opening hours. */
  setOpenMode(mode: OpenMode): void {
    if (mode === 'schedule' && !this.schedule) throw new Error('no opening hours configured (emulator option `schedule`)');
    this.mode = mode;
    this.deps.onChange();
  }

  /** Open now, by the switch or by the hours on the emulator's clock. */
  isOpen(): boolean {
    if (this.mode === 'schedule') return isOpenAt(this.schedule!, this.deps.clock.now());
    return this.mode === 'open';
  }

  /** Logs an agent in or out (a logged-out agent counts nowhere). */
  setPresence(agentId: string, loggedIn: boolean): void {
    if (loggedIn) this.loggedOut.delete(agentId);
    else this.loggedOut.add(agentId);
    this.deps.onChange();
  }

  /** True unless the agent was logged out. */
  isLoggedIn(agentId: string): boolean {
    return !this.loggedOut.has(agentId);
  }

  /** The figures of one queue, or undefined for an unknown queue. */
  figures(queueId: string): QueueFigures | undefined {
    if (!this.deps.queues.some((q) => q.id === queueId)) return undefined;
    const conversations = [...this.deps.store.conversations.values()];
    const enabled = this.deps.agents.filter((a) => a.queueIds.includes(queueId) && this.isLoggedIn(a.id));
    const busy = enabled.filter((a) => conversations.some((c) => c.agentId === a.id && c.status === 'assigned'));
    const waiting = conversations.filter((c) => c.status === 'queued' && c.queueId === queueId);
    const now = this.deps.clock.now();
    const longest = waiting.reduce((ms, c) => Math.max(ms, now - Date.parse(c.createdAt)), 0);
    return {
      'enabled.rt': enabled.length,
      'availableIdle.rt': enabled.length - busy.length,
      'busy.rt': busy.length,
      'interactionsWaitInQueue.rt': waiting.length,
      'interactionsLongestWaitInQueue.rt': Math.max(0, longest),
    };
  }
}
