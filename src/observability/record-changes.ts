/**
 * Turns one committed handoff-record write (the record before and after) into observer calls.
 * The core has a single write path for records (`HandoffStore.update`), so watching it there sees
 * every start, queue, join, end and outbox change without touching the state machine.
 *
 * Durations (time to agent, queue wait, relay latency) are measured by this instance's clock
 * between two writes it made itself: with several instances, a handoff whose start and join were
 * written by different instances reports no duration rather than one skewed by their clocks.
 */
import type { HandoffRecord, OutboxItem } from '../handoff/types';
import type { HandoffCorrelation, HandoffObserver } from './observer';

/** How many pending timings are kept (oldest dropped first), so memory stays bounded. */
const TIMING_LIMIT = 50_000;

/** A bounded insertion-ordered map of start times. */
class Timings {
  private readonly at = new Map<string, number>();
  set(key: string, ms: number): void {
    if (this.at.has(key)) return;
    if (this.at.size >= TIMING_LIMIT) this.at.delete(this.at.keys().next().value as string);
    this.at.set(key, ms);
  }
  take(key: string): number | undefined {
    const ms = this.at.get(key);
    this.at.delete(key);
    return ms;
  }
  peek(key: string): number | undefined {
    return this.at.get(key);
  }
}

const USER_ENDINGS = new Set(['cancelPhrase', 'endOfConversation', 'userLeft']);

/** A bounded metric label for how a handoff ended, from the status item its last write queued. */
export function endingReason(status: Extract<OutboxItem, { kind: 'status' }> | undefined, before: HandoffRecord): string {
  if (!status) return before.state === 'escalating' ? 'cancelled' : 'other';
  const message = status.message ?? '';
  if (status.state === 'completed') {
    if (message === 'agent left') return 'agent_left';
    return USER_ENDINGS.has(message) ? 'user_ended' : 'other';
  }
  if (/no longer knows conversation/.test(message)) return 'conversation_lost';
  if (/unavailable|circuit breaker/i.test(message)) return 'gateway_unavailable';
  return before.state === 'escalating' ? 'create_failed' : 'other';
}

/** Watches record writes and reports them to an observer. */
export class RecordWatcher {
  private readonly started = new Timings();
  private readonly queued = new Timings();
  private readonly recorded = new Timings();

  constructor(private readonly observer: HandoffObserver, private readonly now: () => number = Date.now) {}

  /** Called once per committed write of `botKey`'s record. */
  changed(botKey: string, before: HandoffRecord | undefined, after: HandoffRecord | undefined): void {
    if (!after) return;
    const now = this.now();
    const was = before?.state ?? 'bot';
    const ids: HandoffCorrelation = { botConversation: botKey, handoffId: after.handoffId ?? before?.handoffId, gatewayConversation: after.gatewayConversationId ?? before?.gatewayConversationId };
    const o = this.observer;

    if (after.state !== 'bot' && (was === 'bot' || after.handoffId !== before?.handoffId)) {
      if (after.handoffId) this.started.set(after.handoffId, now);
      o.handoffStarted?.({ ...ids, queueId: after.request?.queueId, trigger: after.request?.trigger });
    }
    if (after.queuedReported && !before?.queuedReported && after.state !== 'bot') {
      if (after.handoffId) this.queued.set(after.handoffId, now);
      o.handoffQueued?.(ids);
    }
    if (after.state === 'connected' && was !== 'connected') {
      const started = after.handoffId ? this.started.peek(after.handoffId) : undefined;
      const queued = after.handoffId ? this.queued.take(after.handoffId) : undefined;
      o.agentJoined?.({ ...ids, timeToAgentMs: started === undefined ? undefined : now - started, queueWaitMs: queued === undefined ? undefined : now - queued });
    }
    if (after.state === 'bot' && was !== 'bot' && before) {
      const fresh = new Set(before.outbox.map((i) => i.id));
      const status = after.outbox.find((i): i is Extract<OutboxItem, { kind: 'status' }> => i.kind === 'status' && !fresh.has(i.id) && (i.state === 'failed' || i.state === 'completed'));
      const startedAt = before.handoffId ? this.started.take(before.handoffId) : undefined;
      if (before.handoffId) this.queued.take(before.handoffId);
      const ending = { ...ids, reason: endingReason(status, before), durationMs: startedAt === undefined ? undefined : now - startedAt };
      if (status?.state === 'completed') o.handoffCompleted?.(ending);
      else o.handoffFailed?.(ending);
    }
    this.outbox(ids, before?.outbox ?? [], after.outbox, now);
  }

  private outbox(ids: HandoffCorrelation, before: OutboxItem[], after: OutboxItem[], now: number): void {
    const kept = new Set(after.map((i) => i.id));
    for (const item of before) {
      if (kept.has(item.id)) continue;
      const at = this.recorded.take(item.id);
      if (at !== undefined) this.observer.relayed?.({ ...ids, latencyMs: now - at });
    }
    const old = new Set(before.map((i) => i.id));
    for (const item of after) if (!old.has(item.id)) this.recorded.set(item.id, now);
    if (before.length !== after.length) this.observer.outboxDepth?.({ ...ids, depth: after.length });
  }
}
