/**
 * The handoff core (issue 9): every change to a handoff record is
 * `reduce(record, input, config) -> { record, effects }`. Pure: no I/O, no clock (the time is in
 * the input), no randomness but the injected `newId`. The store runs it inside each
 * compare-and-set write, so it is the one writer of records; the interpreter (interpreter.ts)
 * performs its effects.
 *
 * It composes the pure rules that own each concern: the lifecycle (`transition`, state.ts), the
 * relay lease (relay-lease.ts), deadlines (deadlines.ts), reopen memory (reopen.ts) and the turn's
 * bookkeeping (turn-record.ts). What they decide for the user, the bot or 8x8 becomes outbox items
 * here, in the same write; link tombstones and deadline-index notes become effects here too.
 */
import { randomUUID } from 'node:crypto';
import type { CoreEffect, Reduction } from './effects';
import { earliestDeadline, fireDue, planDeadlines, userActive, type DeadlinePolicy } from './deadlines';
import type { HandoffInput, LeaseView } from './inputs';
import { inPlaceItems } from './native-conversation';
import { hasDeadlines, type ResolvedHandoffOptions } from './options';
import { rememberEnded, reopenable } from './reopen';
import { claimRelay, renewRelay, settleItem, takeRelayWithItem, type LeaseTerms } from './relay-lease';
import { SEEN_LIMIT, transition } from './state';
import { applyTurn } from './turn-record';
import type { HandoffEffect, HandoffRecord, HandoffSummary, OutboxItem, SummaryDraft } from './types';

/** The fixed rules of one middleware instance. */
export interface CoreConfig {
  /** This instance's id, for the relay lease. */
  owner: string;
  /** How long a relay lease lasts without renewal. */
  leaseTtlMs: number;
  /** New outbox item ids. */
  newId: () => string;
  /** Waiting room, maximum wait and inactivity, in ms. */
  deadlines: DeadlinePolicy;
  /** Reopen the last 8x8 conversation within this time of its end; undefined: never. */
  reopenWindowMs?: number;
  /** A `bot` receives messages held during a failed create; without one they are reported. */
  hasBot: boolean;
}

/**
 * The rules without a middleware (a store used on its own, e.g. by operations tooling): a random
 * instance id, a 30-second lease, no deadlines, no reopen.
 */
export function defaultCoreConfig(): CoreConfig {
  return { owner: randomUUID(), leaseTtlMs: 30_000, newId: randomUUID, deadlines: { onMaxWait: 'offer' }, hasBot: true };
}

/** The rules of a middleware's resolved options. */
export function coreConfigOf(options: Pick<ResolvedHandoffOptions, 'instanceId' | 'relayLeaseMs' | 'newId' | 'deadlines' | 'reopenWindowMs' | 'bot'>): CoreConfig {
  return { owner: options.instanceId, leaseTtlMs: options.relayLeaseMs, newId: options.newId, deadlines: options.deadlines, reopenWindowMs: options.reopenWindowMs, hasBot: options.bot !== undefined };
}

/** Slack after another instance's lease expiry before this one checks whether to take over. */
export const LEASE_GRACE_MS = 100;

/** Applies one input. The record is the same object, and there are no effects but `ignored`, when nothing changed. */
export function reduce(record: HandoffRecord, input: HandoffInput, config: CoreConfig): Reduction {
  const step = decide(record, input, config);
  const done = step.record === record ? step : settle(record, step, input.now, config);
  // Items a failed send left behind wait for the next event or turn, in any state: any input but
  // the relay's own drains them (a redundant drain finds nothing to do and writes nothing).
  if (!RELAY_INPUTS.has(input.type) && done.record.outbox.length && !done.effects.some((e) => e.type === 'drain')) return { ...done, effects: [...done.effects, { type: 'drain' }] };
  return done;
}

/** The inputs of the drain loop itself, which decides its own next step. */
const RELAY_INPUTS: ReadonlySet<HandoffInput['type']> = new Set(['claimRelay', 'renewRelay', 'settle']);

/** What the input itself does, before the bookkeeping every change gets. */
function decide(record: HandoffRecord, input: HandoffInput, config: CoreConfig): Reduction {
  switch (input.type) {
    case 'turn':
      return { record: applyTurn(record, input), effects: [] };
    case 'hold':
      if (record.state !== 'escalating') return ignored(record, 'not waiting for a create call');
      return { record: { ...record, held: [...record.held, input.activity].slice(-HELD_LIMIT) }, effects: [] };
    case 'userActive':
      return { record: userActive(record, input.now, config.deadlines), effects: [] };
    case 'lifecycle':
      return lifecycle(record, input, config);
    case 'agentMessage':
      return agentMessage(record, input, config);
    case 'due': {
      const fired = fireDue(record, input.now, config.deadlines, input.figures);
      return fired ? outcome(record, fired.record, fired.effects, { now: input.now, lease: input.lease }, config) : ignored(record, 'nothing due');
    }
    case 'claimRelay':
      return claim(record, terms(config, input.now, input.lease));
    case 'renewRelay':
      return { record: renewRelay(record, terms(config, input.now, input.lease)), effects: [] };
    case 'settle':
      return settleSend(record, input, config);
    case 'handOverInPlace':
      return { record: record.inPlace ? record : { ...record, inPlace: true }, effects: [] };
    case 'retireLink':
      if (record.endedLink === input.gatewayConversationId) return { record, effects: [] };
      return { record: { ...record, endedLink: input.gatewayConversationId }, effects: [linkEffect(input.gatewayConversationId, record.endedLink)] };
  }
}

/** Held messages per conversation; the oldest are dropped past this. */
const HELD_LIMIT = 50;

type LifecycleInput = Extract<HandoffInput, { type: 'lifecycle' }>;

function lifecycle(record: HandoffRecord, input: LifecycleInput, config: CoreConfig): Reduction {
  const { event, now } = input;
  // The bot's clock at a join, for the summary (8x8's own event times order joins only).
  const stamped = event.type === 'agentJoined' || event.type === 'assigned' ? { ...event, receivedAt: event.receivedAt ?? now } : event;
  const result = transition(record, stamped);
  const reduced = outcome(record, result.record, result.effects, input, config);
  if (event.type === 'createSucceeded' && result.effects.some((e) => e.type === 'removeUser')) {
    // The user cancelled (or escalated anew) while the create call ran: nobody uses that conversation.
    const id = event.gatewayConversationId;
    if (reduced.record.endedLink !== id) return { record: { ...reduced.record, endedLink: id }, effects: [...reduced.effects, linkEffect(id, reduced.record.endedLink)] };
  }
  return reduced;
}

type AgentMessageInput = Extract<HandoffInput, { type: 'agentMessage' }>;

function agentMessage(record: HandoffRecord, input: AgentMessageInput, config: CoreConfig): Reduction {
  const live = record.state !== 'bot' && record.state !== 'escalating' && record.gatewayConversationId === input.gatewayConversationId;
  // In place, 8x8 shows the agent's messages to the customer itself.
  if (record.inPlace || !live) return ignored(record, 'message of no active handoff');
  if (record.seen.includes(input.key)) return ignored(record, 'duplicate message');
  const item: OutboxItem = { id: config.newId(), kind: 'activity', activity: input.activity };
  if (input.files) Object.assign(item, { files: input.files, gatewayConversationId: input.gatewayConversationId });
  const counted: HandoffRecord = { ...record, messagesFromAgent: (record.messagesFromAgent ?? 0) + 1, seen: [...record.seen, input.key].slice(-SEEN_LIMIT) };
  return appendItems(counted, [item], input, config, []);
}

/**
 * Turns the lifecycle's decisions into effects and outbox items: in a turn, notices are replies
 * and customer-leave is called at once; otherwise they, like every status report and given-back
 * message, are outbox items written with the record.
 */
function outcome(before: HandoffRecord, after: HandoffRecord, decided: HandoffEffect[], input: { now: number; inTurn?: boolean; lease?: LeaseView }, config: CoreConfig): Reduction {
  const effects: CoreEffect[] = [];
  const items: OutboxItem[] = [];
  const id = config.newId;
  for (const effect of decided) {
    switch (effect.type) {
      case 'notify':
        if (input.inTurn) effects.push({ type: 'reply', key: effect.key, ...(effect.params ? { params: effect.params } : {}), ...(effect.actions ? { actions: effect.actions } : {}) });
        else items.push({ id: id(), kind: 'notice', key: effect.key, params: effect.params, ...(effect.actions ? { actions: effect.actions } : {}) });
        break;
      case 'removeUser':
        if (input.inTurn && !before.inPlace) effects.push({ type: 'leave', gatewayConversationId: effect.gatewayConversationId });
        else items.push({ id: id(), kind: 'leave', gatewayConversationId: effect.gatewayConversationId });
        break;
      case 'status':
        items.push(statusItem(effect, id(), input.now));
        break;
      case 'returnHeld':
        if (config.hasBot) for (const activity of effect.activities) items.push({ id: id(), kind: 'held', activity });
        else effects.push({ type: 'unanswered', count: effect.activities.length });
        break;
      case 'createConversation': {
        const queueId = after.request?.queueId ?? '';
        const reopen = reopenable(after, queueId, input.now, config.reopenWindowMs);
        effects.push({ type: 'create', handoffId: effect.handoffId, queueId, ...(reopen ? { reopen } : {}) });
        break;
      }
      case 'flushHeld':
        effects.push({ type: 'created', gatewayConversationId: effect.gatewayConversationId, held: effect.activities });
        break;
      case 'ignored':
        effects.push(effect);
        break;
    }
  }
  return appendItems(after, items, input, config, effects);
}

/** Appends outbox items (none of what 8x8 shows itself, in place), taking the lease when asked; `drain` when there are any. */
function appendItems(record: HandoffRecord, items: OutboxItem[], input: { now: number; lease?: LeaseView }, config: CoreConfig, effects: CoreEffect[]): Reduction {
  const kept = record.inPlace ? inPlaceItems(items) : items;
  if (!kept.length) return { record, effects };
  const appended = { ...record, outbox: [...record.outbox, ...kept] };
  const leased = input.lease ? takeRelayWithItem(appended, terms(config, input.now, input.lease)) : appended;
  return { record: leased, effects: [...effects, { type: 'drain' }] };
}

function statusItem(effect: Extract<HandoffEffect, { type: 'status' }>, id: string, now: number): OutboxItem {
  const item: OutboxItem = { id, kind: 'status', state: effect.state, message: effect.message };
  if (effect.reason) item.reason = effect.reason;
  if (effect.summary) item.summary = finishSummary(effect.summary, now);
  return item;
}

/** A summary's instants as seconds at `now` (durations left out when an instant is unknown). */
export function finishSummary(draft: SummaryDraft, now: number | undefined): HandoffSummary {
  const { escalatedAt, firstJoinedAt, connectedAt, ...summary } = draft;
  const seconds = (from?: number, to?: number) => (from !== undefined && to !== undefined ? Math.max(0, Math.round((to - from) / 1000)) : undefined);
  const out: HandoffSummary = { ...summary };
  const waited = seconds(escalatedAt, firstJoinedAt ?? now);
  const connected = connectedAt !== undefined ? seconds(connectedAt, now) : undefined;
  if (waited !== undefined) out.waitedSeconds = waited;
  if (connected !== undefined) out.connectedSeconds = connected;
  return JSON.parse(JSON.stringify(out)) as HandoffSummary; // drops undefined fields: the record is JSON
}

function terms(config: CoreConfig, now: number, lease: LeaseView | undefined): LeaseTerms {
  return { owner: config.owner, now, ttlMs: config.leaseTtlMs, expiryOf: lease?.expiryOf };
}

/** The drain starts: send the head when the lease is ours, else wait out the other instance's lease. */
function claim(record: HandoffRecord, leaseTerms: LeaseTerms): Reduction {
  const { record: next, result } = claimRelay(record, leaseTerms);
  if (result.claim === 'taken') return { record: next, effects: [{ type: 'send', item: next.outbox[0]! }] };
  if (result.claim === 'busy') return { record: next, effects: [{ type: 'retryDrain', inMs: Math.max(0, result.until - leaseTerms.now) + LEASE_GRACE_MS, leaseWait: true }] };
  return { record: next, effects: [] };
}

type SettleInput = Extract<HandoffInput, { type: 'settle' }>;

/** A send finished: the next item, a retry later, or nothing (done, waiting for the next drain, or taken over). */
function settleSend(record: HandoffRecord, input: SettleInput, config: CoreConfig): Reduction {
  const { record: next, result } = settleItem(record, input.item, input.outcome, terms(config, input.now, input.lease));
  const effects: CoreEffect[] = [];
  if (result.gaveUpAfter !== undefined) effects.push({ type: 'dropped', item: input.item, attempts: result.gaveUpAfter });
  if (result.next === 'continue') effects.push({ type: 'send', item: next.outbox[0]! });
  if (result.next === 'retry') effects.push({ type: 'retryDrain', inMs: result.retryIn });
  return { record: next, effects };
}

/**
 * The bookkeeping of every change: the last ended interaction (for a reopen), deadlines in step
 * with the state, a tombstone for the link of a handoff that just ended, and a note for the
 * deadline index when the earliest deadline moved earlier.
 */
function settle(before: HandoffRecord, step: Reduction, now: number, config: CoreConfig): Reduction {
  let record = config.reopenWindowMs !== undefined ? rememberEnded(before, step.record, now) : step.record;
  if (hasDeadlines(config.deadlines)) record = planDeadlines(before, record, now, config.deadlines);
  const effects = [...step.effects];
  const ended = before.gatewayConversationId;
  if (ended && before.state !== 'bot' && record.state === 'bot') {
    record = { ...record, endedLink: ended };
    effects.push(linkEffect(ended, before.endedLink));
  }
  const earliest = earliestDeadline(record);
  const previous = earliestDeadline(before);
  if (earliest !== undefined && (previous === undefined || earliest < previous)) effects.push({ type: 'noteDeadline', dueAt: earliest });
  return { record, effects };
}

function linkEffect(ended: string, previous: string | undefined): CoreEffect {
  return previous && previous !== ended ? { type: 'retireLink', ended, previous } : { type: 'retireLink', ended };
}

function ignored(record: HandoffRecord, why: string): Reduction {
  return { record, effects: [{ type: 'ignored', why }] };
}
