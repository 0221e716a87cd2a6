/**
 * The data of one handoff: its states, the record kept in Storage, the lifecycle events the pure
 * transition function consumes and the effects it asks the edges to perform.
 */
import type { Activity, ConversationReference } from 'botbuilder';
import type { GatewayFile, TranscriptEntry } from '../transcript';

/** Where a bot conversation is. Every state but `bot` is a handoff state (the bot does not run). */
export type HandoffState = 'bot' | 'escalating' | 'queued' | 'connected' | 'transferring';

/** States reported to the bot in `handoff.status` events. */
export type HandoffStatusState = 'accepted' | 'failed' | 'completed' | 'queued' | 'agentJoined' | 'transferred';

/** Texts the user is told; each can be localized through the `messages` option. */
export type NoticeKey =
  | 'connecting' | 'failed' | 'cooldown' | 'agentJoined' | 'agentJoinedNamed'
  | 'transferring' | 'agentLeft' | 'userEnded' | 'filesFromBot' | 'conversationLost' | 'notDelivered'
  | 'closed' | 'closedUntil' | 'noAgents' | 'leaveMessagePrompt' | 'messageLeft' | 'messageNotLeft' | 'userRemoved'
  | 'userCancelled' | 'waitingUpdate' | 'waitingPosition' | 'waitingEstimate' | 'waitingPositionEstimate'
  | 'maxWaitOffer' | 'keepWaitingAction' | 'backToBotAction' | 'keptWaiting' | 'leftQueue' | 'maxWaitReturned'
  | 'inactivityReminder' | 'inactivityEnded';

/** Why a handoff ended (`completed`) or never started (`failed`), in `handoff.status`. */
export type StatusReason = 'agentLeft' | 'userEnded' | 'inactivity' | 'maxWait' | 'closed' | 'noAgents' | 'conversationLost' | 'createFailed';

/** What the bot is told about a handoff that ended: for a survey, a CRM note, analytics. */
export interface HandoffSummary {
  queueId?: string;
  queueName?: string;
  /** The last agent of the chat (after transfers). */
  agentId?: string;
  agentName?: string;
  /** From the escalation to the first agent joining (or to the end, if none joined). */
  waitedSeconds?: number;
  /** From the last agent joining to the end (8x8's join time against the bot's clock). */
  connectedSeconds?: number;
  /** Agent messages relayed to the user. */
  messagesFromAgent: number;
}

/** A summary as the pure lifecycle knows it: instants, finished into seconds when the effect is performed. */
export interface SummaryDraft extends Omit<HandoffSummary, 'waitedSeconds' | 'connectedSeconds'> {
  escalatedAt?: number;
  firstJoinedAt?: number;
  connectedAt?: number;
}

/** Something to deliver to the user's conversation after the webhook was acknowledged. */
export type OutboxItem =
  /** `actions`: labels offered as suggested actions under the notice (e.g. keep waiting / back to the bot). */
  | { id: string; kind: 'notice'; key: NoticeKey; params?: Record<string, string>; actions?: NoticeKey[]; attempts?: number }
  /**
   * An agent message; its `files` (attachments of 8x8 conversation `gatewayConversationId`, kept
   * here since the handoff may end before delivery) become attachments when it is delivered.
   */
  | { id: string; kind: 'activity'; activity: Partial<Activity>; files?: GatewayFile[]; gatewayConversationId?: string; attempts?: number }
  | { id: string; kind: 'status'; state: HandoffStatusState; message?: string; reason?: StatusReason; summary?: HandoffSummary; attempts?: number }
  /** Customer-leave at 8x8 (`PATCH .../participants/user {removed: true}`), so 8x8 sees the interaction closed. */
  | { id: string; kind: 'leave'; gatewayConversationId: string; attempts?: number }
  /** A user message held during a create call that failed: given back to the bot (`bot.run`) to answer. */
  | { id: string; kind: 'held'; activity: HeldActivity; attempts?: number };

/**
 * Which bot instance delivers the outbox (see `relay-lease.ts`): the holder's id and when the
 * lease lapses unless renewed (epoch ms).
 */
export interface RelayLease {
  owner: string;
  until: number;
}

/** What a due deadline does (see deadlines.ts). */
export type DeadlineKind = 'createTimeout' | 'waitingUpdate' | 'maxWait' | 'inactivityReminder' | 'inactivityEnd';

/**
 * A deadline of the current handoff, kept in the record (so it survives restarts and any instance
 * can act on it): its kind and when it is due (bot clock, epoch ms).
 */
export interface Deadline {
  kind: DeadlineKind;
  dueAt: number;
}

/** A user activity typed while the create call was in flight, sent once it succeeds. */
export type HeldActivity = Partial<Activity>;

/** The request that started the current handoff (kept for logs and the status message). */
export interface HandoffRequestInfo {
  trigger: string;
  reason: string;
  queueId: string;
}

/** One bot conversation's handoff record, stored as JSON in a botbuilder `Storage`. */
export interface HandoffRecord {
  /**
   * Format version, so a later release can migrate stored records. 2: the transcript lives under
   * its own key (see store.ts); 1: it was kept in the record (`transcript`), still read.
   */
  v: 1 | 2;
  state: HandoffState;
  /** Where proactive messages go; saved on every user turn. */
  reference?: Partial<ConversationReference>;
  /** The user's locale (from `activity.locale`), for localized notices. */
  locale?: string;
  /** Changes with every escalation; results of an older create call are ignored. */
  handoffId?: string;
  request?: HandoffRequestInfo;
  /** The 8x8 conversation of the current handoff. */
  gatewayConversationId?: string;
  queueName?: string;
  agentId?: string;
  agentName?: string;
  /**
   * `TRANSFER`s seen and not yet matched by an agent-left: while above zero, an agent-left does
   * not end the handoff. A count rather than a flag, so reordered transfers add up.
   */
  pendingTransfers: number;
  /** When the current agent joined (8x8 event time), so an older agent's late join does not take over. */
  agentJoinedAt?: number;
  /** The `queued` status was reported for this handoff. */
  queuedReported?: boolean;
  /** Agents that left during this handoff; a late join or assignment for them is ignored. */
  leftAgents: string[];
  /** Keys of lifecycle events already applied (bounded), so duplicates change nothing. */
  seen: string[];
  /**
   * Only in records written before v2: the transcript, kept in the record itself. Still read as
   * the conversation's transcript until the first turn that records something moves it to its own key.
   */
  transcript?: TranscriptEntry[];
  consecutiveFallbacks: number;
  held: HeldActivity[];
  /** Epoch ms until which a new escalation is refused (after a failed one). */
  cooldownUntil?: number;
  outbox: OutboxItem[];
  /** The instance delivering `outbox` right now, if any (RELIABILITY M1). */
  relayLease?: RelayLease;
  /** When the current handoff was escalated (bot clock, epoch ms), for its summary. */
  escalatedAt?: number;
  /** When the first agent joined this handoff (bot clock), for its summary. */
  firstJoinedAt?: number;
  /** When the current agent joined (bot clock), for its summary. */
  connectedAt?: number;
  /** Agent messages relayed during the current handoff, for its summary. */
  messagesFromAgent?: number;
  /** Set while the user's next message is to be left for the team (closed, with `leaveMessage` configured). */
  awaitingMessage?: AwaitingMessage;
  /** The 8x8 conversation of the last ended handoff: its link is a tombstone, deleted when the next one ends. */
  endedLink?: string;
  /** The due deadlines of the current handoff (waiting room, maximum wait, inactivity); see deadlines.ts. */
  deadlines?: Deadline[];
  /** The user was offered to keep waiting or go back to the bot, and has not answered yet. */
  offer?: 'maxWait';
  /**
   * A reopened conversation before its next agent joined: the previous interaction's ending events
   * (agent left, idle, the echo of our customer-leave) may still arrive late, so while queued
   * they are ignored (a user who is really gone is ended by the deadlines). Cleared when an agent joins.
   */
  reopened?: true;
  /** The 8x8 conversation of the last ended handoff and when it ended (bot clock), for a reopen (reopen.ts). */
  lastInteraction?: LastInteraction;
  /**
   * The conversation is 8x8-native (see native-conversation.ts): its handoffs re-route it in
   * place, and 8x8 carries both sides, so nothing is relayed. Never cleared.
   */
  inPlace?: boolean;
}

/** An ended handoff's 8x8 conversation, which an escalation within `reopenWindowSeconds` may reopen. */
export interface LastInteraction {
  gatewayConversationId: string;
  /** When it ended (bot clock, epoch ms). */
  endedAt: number;
  /** The queue it was routed to. */
  queueId?: string;
}

/** An open offer to leave a message: where it goes, and until when the next message counts (epoch ms). */
export interface AwaitingMessage {
  queueId: string;
  until: number;
}

/** The bot-side input of an escalation, already routed. */
export interface EscalationStart {
  handoffId: string;
  request: HandoffRequestInfo;
  now: number;
}

/** Everything that can happen to a handoff. Gateway events carry the 8x8 conversation id and a dedupe key. */
export type LifecycleEvent =
  | { type: 'escalate'; start: EscalationStart }
  /** `reopened`: the 8x8 conversation is the user's last one, reopened (reopen.ts), not a new one. */
  | { type: 'createSucceeded'; handoffId: string; gatewayConversationId: string; reopened?: boolean }
  | { type: 'createFailed'; handoffId: string; reason: string; now: number; cooldownMs: number }
  | { type: 'queued'; gatewayConversationId: string; key: string; queueName?: string }
  /** `at`: 8x8's event time (orders joins); `receivedAt`: the bot's clock when it arrived (for the summary). */
  | { type: 'agentJoined'; gatewayConversationId: string; key: string; agentId: string; agentName?: string; at?: number; receivedAt?: number }
  | { type: 'agentLeft'; gatewayConversationId: string; key: string; agentId?: string }
  | { type: 'transfer'; gatewayConversationId: string; key: string }
  | { type: 'assigned'; gatewayConversationId: string; key: string; agentId: string; at?: number; receivedAt?: number }
  | { type: 'idle'; gatewayConversationId: string; key: string }
  /** 8x8 removed the customer (MEMBERS_CHANGED user left): the chat is over, whatever an agent does next. */
  | { type: 'userRemoved'; gatewayConversationId: string; key: string }
  | { type: 'userEnded'; reason: 'cancelPhrase' | 'endOfConversation' | 'userLeft' }
  /** The user answered the maximum-wait offer: keep their place, or leave the queue for the bot. */
  | { type: 'offerAnswered'; answer: 'keepWaiting' | 'backToBot' }
  /**
   * The availability check refused the escalation before anything was created: the user is told
   * (`closedUntil` with `params.nextOpening` when known) and the bot gets `failed` with the reason.
   */
  | { type: 'unavailable'; reason: 'closed' | 'noAgents'; params?: Record<string, string>; leaveMessage?: AwaitingMessage }
  /** The user's message was taken (or the offer cancelled): the offer to leave a message is over. */
  | { type: 'messageTaken' }
  /** 8x8 answered 404 for the handoff's conversation: it no longer exists there. */
  | { type: 'gatewayLost'; gatewayConversationId: string; reason: string };

/** What the edges must do after a transition. */
export type HandoffEffect =
  | { type: 'notify'; key: NoticeKey; params?: Record<string, string>; actions?: NoticeKey[] }
  | { type: 'status'; state: HandoffStatusState; message?: string; reason?: StatusReason; summary?: SummaryDraft }
  | { type: 'createConversation'; handoffId: string }
  | { type: 'removeUser'; gatewayConversationId: string }
  | { type: 'flushHeld'; gatewayConversationId: string; activities: HeldActivity[] }
  /** The create call failed: hand the messages held meanwhile back to the bot, in order. */
  | { type: 'returnHeld'; activities: HeldActivity[] }
  | { type: 'ignored'; why: string };

/** Result of {@link transition}. `record` is the same object when nothing changed. */
export interface TransitionResult {
  record: HandoffRecord;
  effects: HandoffEffect[];
}

/** A fresh record for a conversation that never escalated. */
export function emptyRecord(): HandoffRecord {
  return { v: 2, state: 'bot', pendingTransfers: 0, leftAgents: [], seen: [], consecutiveFallbacks: 0, held: [], outbox: [] };
}

/** True for every state in which the bot's own logic does not run. */
export function isHandoffActive(state: HandoffState): boolean {
  return state !== 'bot';
}
