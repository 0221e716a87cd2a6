/**
 * The handoff lifecycle as a pure function: `transition(record, event) -> { record, effects }`.
 * No I/O, no clock: times arrive inside events. The middleware and the relay perform the effects.
 *
 * Robust to what webhooks do (RELIABILITY D5): duplicates change nothing (dedupe keys), an agent
 * join before `QUEUED` still connects, a late `QUEUED` never regresses, events of an ended handoff
 * or of an earlier 8x8 conversation are ignored, and transfers are counted so that reordered
 * `TRANSFER` / agent-left pairs balance. The one order the machine needs is that a `TRANSFER`
 * arrives before the agent-left it excuses: an agent-left with no transfer to consume ends the
 * handoff (8x8 sends TRANSFER first; a TRANSFER delivered after its agent-left cannot be told
 * apart from an end followed by a stray event).
 */
import type { EscalationStart, HandoffEffect, HandoffRecord, LifecycleEvent, SummaryDraft, TransitionResult } from './types';

/** How many applied gateway-event keys a record remembers for duplicate detection. */
export const SEEN_LIMIT = 100;

/** How many departed agents a record remembers. */
const LEFT_LIMIT = 50;

type GatewayLifecycleEvent = Extract<LifecycleEvent, { key: string }>;

/** Applies one lifecycle event. Returns the same record object and an `ignored` effect when nothing changes. */
export function transition(record: HandoffRecord, event: LifecycleEvent): TransitionResult {
  switch (event.type) {
    case 'escalate':
      return escalate(record, event.start);
    case 'createSucceeded': {
      const result = createSucceeded(record, event.handoffId, event.gatewayConversationId);
      return event.reopened && result.record.state === 'queued' ? { ...result, record: { ...result.record, reopened: true } } : result;
    }
    case 'createFailed':
      return createFailed(record, event);
    case 'unavailable':
      return unavailable(record, event);
    case 'messageTaken':
      if (!record.awaitingMessage) return ignore(record, 'no message was awaited');
      return { record: { ...record, awaitingMessage: undefined }, effects: [] };
    case 'userEnded':
      return userEnded(record, event.reason);
    case 'offerAnswered':
      if (record.state !== 'queued' || record.offer !== 'maxWait') return ignore(record, 'no open offer');
      if (event.answer === 'keepWaiting') return { record: { ...record, offer: undefined }, effects: [{ type: 'notify', key: 'keptWaiting' }] };
      return gaveUpWaiting(record, 'leftQueue', 'user went back to the bot');
    case 'gatewayLost':
      return gatewayLost(record, event.gatewayConversationId, event.reason);
    default:
      return gatewayEvent(record, event);
  }
}

/** The create call failed: back to the bot with a cooldown; what the user typed meanwhile is not lost (the bot answers it). */
function createFailed(record: HandoffRecord, event: Extract<LifecycleEvent, { type: 'createFailed' }>): TransitionResult {
  if (record.state !== 'escalating' || record.handoffId !== event.handoffId) return ignore(record, 'stale create result');
  return {
    record: { ...reset(record), cooldownUntil: event.now + event.cooldownMs },
    effects: [
      { type: 'notify', key: 'failed' },
      { type: 'status', state: 'failed', message: event.reason, reason: 'createFailed', summary: summaryOf(record) },
      ...(record.held.length ? [{ type: 'returnHeld' as const, activities: record.held }] : []),
    ],
  };
}

/** The availability check refused: the user is told (with the next opening when known), the bot gets `failed`. */
function unavailable(record: HandoffRecord, event: Extract<LifecycleEvent, { type: 'unavailable' }>): TransitionResult {
  if (record.state !== 'bot') return ignore(record, 'a handoff is already active');
  return {
    record: event.leaveMessage ? { ...record, awaitingMessage: event.leaveMessage } : record,
    effects: [
      { type: 'notify', key: event.reason === 'noAgents' ? 'noAgents' : event.params?.nextOpening ? 'closedUntil' : 'closed', params: event.params },
      ...(event.leaveMessage ? [{ type: 'notify' as const, key: 'leaveMessagePrompt' as const }] : []),
      { type: 'status', state: 'failed', message: event.reason, reason: event.reason },
    ],
  };
}

function escalate(record: HandoffRecord, start: EscalationStart): TransitionResult {
  if (record.state !== 'bot') return ignore(record, 'a handoff is already active');
  if (record.cooldownUntil !== undefined && start.now < record.cooldownUntil) {
    return { record, effects: [{ type: 'notify', key: 'cooldown' }, { type: 'ignored', why: 'cooldown after a failed escalation' }] };
  }
  return {
    record: {
      ...reset(record),
      state: 'escalating',
      handoffId: start.handoffId,
      request: start.request,
      escalatedAt: start.now,
      consecutiveFallbacks: 0,
      cooldownUntil: undefined,
    },
    effects: [{ type: 'notify', key: 'connecting' }, { type: 'createConversation', handoffId: start.handoffId }],
  };
}

function createSucceeded(record: HandoffRecord, handoffId: string, gatewayConversationId: string): TransitionResult {
  if (record.state !== 'escalating' || record.handoffId !== handoffId) {
    // The user cancelled (or a newer escalation began) while the create call was in flight: the
    // 8x8 conversation exists but nobody will answer it, so leave it at once.
    return { record, effects: [{ type: 'removeUser', gatewayConversationId }, { type: 'ignored', why: 'create result of an abandoned handoff' }] };
  }
  return {
    record: { ...record, state: 'queued', gatewayConversationId, held: [] },
    effects: [
      { type: 'flushHeld', gatewayConversationId, activities: record.held },
      { type: 'status', state: 'accepted', message: record.request?.reason },
    ],
  };
}

/**
 * The user ended it. The wording fits the state: nothing "ended with the agent" when no agent ever
 * joined (escalating or queued: the request is cancelled); `transferring` follows a connected agent.
 */
function userEnded(record: HandoffRecord, reason: string): TransitionResult {
  if (record.state === 'bot') return ignore(record, 'no handoff to end');
  const effects: HandoffEffect[] = [];
  if (record.gatewayConversationId) effects.push({ type: 'removeUser', gatewayConversationId: record.gatewayConversationId });
  const hadAgent = record.state === 'connected' || record.state === 'transferring';
  effects.push({ type: 'notify', key: hadAgent ? 'userEnded' : 'userCancelled' }, { type: 'status', state: 'completed', message: reason, reason: 'userEnded', summary: summaryOf(record) });
  return { record: reset(record), effects };
}

/**
 * The user stops waiting (they chose to, or the maximum wait returned them): 8x8 is told
 * (customer-leave), the user hears `notice`, and the bot gets `failed` with reason `maxWait`.
 */
export function gaveUpWaiting(record: HandoffRecord, notice: 'leftQueue' | 'maxWaitReturned', message: string): TransitionResult {
  const effects: HandoffEffect[] = [];
  if (record.gatewayConversationId) effects.push({ type: 'removeUser', gatewayConversationId: record.gatewayConversationId });
  effects.push({ type: 'notify', key: notice }, { type: 'status', state: 'failed', message, reason: 'maxWait', summary: summaryOf(record) });
  return { record: reset(record), effects };
}

/** The customer was silent too long: customer-leave, a notice, and `completed` with reason `inactivity`. */
export function endedByInactivity(record: HandoffRecord): TransitionResult {
  const effects: HandoffEffect[] = [];
  if (record.gatewayConversationId) effects.push({ type: 'removeUser', gatewayConversationId: record.gatewayConversationId });
  effects.push({ type: 'notify', key: 'inactivityEnded' }, { type: 'status', state: 'completed', message: 'customer inactive', reason: 'inactivity', summary: summaryOf(record) });
  return { record: reset(record), effects };
}

/** 8x8 no longer knows the conversation: nobody can answer there, so the bot takes over again (no removeUser: nothing to leave). */
function gatewayLost(record: HandoffRecord, gatewayConversationId: string, reason: string): TransitionResult {
  if (record.state === 'bot' || record.gatewayConversationId !== gatewayConversationId) return ignore(record, 'not the current 8x8 conversation');
  return {
    record: reset(record),
    effects: [{ type: 'notify', key: 'conversationLost' }, { type: 'status', state: 'failed', message: reason, reason: 'conversationLost', summary: summaryOf(record) }],
  };
}

function gatewayEvent(record: HandoffRecord, event: GatewayLifecycleEvent): TransitionResult {
  if (record.state === 'bot' || record.state === 'escalating' || record.gatewayConversationId !== event.gatewayConversationId) {
    return ignore(record, 'event of no active handoff');
  }
  if (record.seen.includes(event.key)) return ignore(record, 'duplicate event');
  // Even a no-op remembers its key, so a duplicate of it stays a no-op after later changes.
  return applyGatewayEvent({ ...record, seen: [...record.seen, event.key].slice(-SEEN_LIMIT) }, event);
}

function applyGatewayEvent(record: HandoffRecord, event: GatewayLifecycleEvent): TransitionResult {
  // Late ending events of a reopened conversation's previous interaction (see `reopened`).
  if (record.reopened && record.state === 'queued' && (event.type === 'agentLeft' || event.type === 'idle' || event.type === 'userRemoved')) return { record, effects: [] };
  switch (event.type) {
    case 'queued':
      if (record.state !== 'queued' || record.queuedReported) return { record: { ...record, queueName: event.queueName ?? record.queueName }, effects: [] };
      return {
        record: { ...record, queuedReported: true, queueName: event.queueName },
        effects: [{ type: 'status', state: 'queued', message: event.queueName }],
      };
    case 'agentJoined':
      return agentJoined(record, event.agentId, event.agentName, event.at, event.receivedAt);
    case 'assigned':
      // An assignment only tells us who took the chat when no join was seen yet.
      if (record.state !== 'queued' && record.state !== 'transferring') return { record, effects: [] };
      return agentJoined(record, event.agentId, undefined, event.at, event.receivedAt);
    case 'transfer':
      return {
        record: { ...record, pendingTransfers: record.pendingTransfers + 1 },
        effects: [{ type: 'notify', key: 'transferring' }, { type: 'status', state: 'transferred' }],
      };
    case 'agentLeft':
      return agentLeft(record, event.agentId);
    case 'userRemoved':
      // Not excused by a pending transfer: without its customer the 8x8 chat cannot go on.
      return {
        record: reset(record),
        effects: [{ type: 'notify', key: 'userRemoved' }, { type: 'status', state: 'completed', message: 'user removed in 8x8', reason: 'userEnded', summary: summaryOf(record) }],
      };
    case 'idle':
      // No live interaction any more. During a transfer (TRANSFER seen, or its agent-left already
      // consumed it while the next agent has not joined) the chat lives on in the next queue.
      // 8x8 closed the interaction itself: nothing to leave.
      return record.pendingTransfers === 0 && record.state !== 'transferring' ? end(record, false) : { record, effects: [] };
  }
}

function agentJoined(record: HandoffRecord, agentId: string, agentName: string | undefined, at: number | undefined, receivedAt: number | undefined): TransitionResult {
  if (record.leftAgents.includes(agentId)) return { record, effects: [] };
  if (record.state === 'connected') {
    if (record.agentId === agentId) return { record: { ...record, agentName: record.agentName ?? agentName }, effects: [] };
    // Two agents present at once only happens when events are reordered around a transfer:
    // the one who joined later is the current one.
    if (at !== undefined && record.agentJoinedAt !== undefined && at < record.agentJoinedAt) return { record, effects: [] };
  }
  const notice: HandoffEffect = agentName
    ? { type: 'notify', key: 'agentJoinedNamed', params: { agentName } }
    : { type: 'notify', key: 'agentJoined' };
  return {
    record: { ...record, reopened: undefined, state: 'connected', agentId, agentName, agentJoinedAt: at, connectedAt: receivedAt, firstJoinedAt: record.firstJoinedAt ?? receivedAt },
    effects: [notice, { type: 'status', state: 'agentJoined', message: agentName ?? agentId }],
  };
}

function agentLeft(record: HandoffRecord, agentId: string | undefined): TransitionResult {
  if (agentId !== undefined && record.leftAgents.includes(agentId)) return { record, effects: [] };
  const left = agentId === undefined ? record : { ...record, leftAgents: [...record.leftAgents, agentId].slice(-LEFT_LIMIT) };
  // Each TRANSFER arrives before the agent-left it excuses, so an agent-left finding no transfer to
  // consume is the end, even when it belongs to an agent whose join was not seen yet.
  if (left.pendingTransfers === 0) return end(left, true);
  const consumed = { ...left, pendingTransfers: left.pendingTransfers - 1 };
  const isOtherAgent = left.state === 'connected' && agentId !== undefined && agentId !== left.agentId;
  // An earlier agent leaving after the new one joined (reordered transfer) changes nothing else.
  if (isOtherAgent) return { record: consumed, effects: [] };
  return { record: { ...consumed, state: 'transferring', agentId: undefined, agentName: undefined, agentJoinedAt: undefined }, effects: [] };
}

/**
 * The agent side ended it. After an agent left, the customer leaves too (`leave`), so 8x8 sees
 * the interaction closed and no agent accepts a chat with nobody (issue 11).
 */
function end(record: HandoffRecord, leave: boolean): TransitionResult {
  const effects: HandoffEffect[] = [];
  if (leave && record.gatewayConversationId) effects.push({ type: 'removeUser', gatewayConversationId: record.gatewayConversationId });
  effects.push({ type: 'notify', key: 'agentLeft' }, { type: 'status', state: 'completed', message: 'agent left', reason: 'agentLeft', summary: summaryOf(record) });
  return { record: reset(record), effects };
}

/** The summary of the handoff in `record`, as instants (see `finishSummary`). */
export function summaryOf(record: HandoffRecord): SummaryDraft {
  return {
    queueId: record.request?.queueId, queueName: record.queueName, agentId: record.agentId, agentName: record.agentName,
    escalatedAt: record.escalatedAt, firstJoinedAt: record.firstJoinedAt, connectedAt: record.connectedAt, messagesFromAgent: record.messagesFromAgent ?? 0,
  };
}

/** Back to the bot: every per-handoff field cleared; the transcript, reference and handoffId stay. */
function reset(record: HandoffRecord): HandoffRecord {
  return {
    ...record,
    state: 'bot',
    request: undefined,
    awaitingMessage: undefined,
    gatewayConversationId: undefined,
    queueName: undefined,
    agentId: undefined,
    agentName: undefined,
    agentJoinedAt: undefined,
    pendingTransfers: 0,
    queuedReported: undefined,
    escalatedAt: undefined,
    firstJoinedAt: undefined,
    connectedAt: undefined,
    messagesFromAgent: undefined,
    leftAgents: [],
    seen: [],
    held: [],
    deadlines: undefined,
    offer: undefined,
    reopened: undefined,
  };
}

function ignore(record: HandoffRecord, why: string): TransitionResult {
  return { record, effects: [{ type: 'ignored', why }] };
}
