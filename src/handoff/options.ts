/**
 * Options of {@link HandoffMiddleware}, and the one place their defaults are resolved and checked.
 */
import { realScheduler, type Scheduler } from '../time';
import { randomUUID } from 'node:crypto';
import { MemoryStorage, type Storage, type TurnContext } from 'botbuilder';
import { combineAvailability, scheduleAvailability, type AvailabilityCheck, type WeeklyScheduleInput } from '../availability';
import type { HandoffConfig } from '../config';
import { ConfigurationError } from '../errors';
import { resolvePostAgentAssignment, type PostAgentAssignmentOptions } from './post-agent-assignment';
import type { ConversationUser, PostAgentAssignmentRequest } from '../gateway/types';
import { createDefaultLogger, type Logger } from '../logger';
import type { AttachmentFetcher } from '../transcript';
import { ADAPTIVE_CARD_VERSIONS, createAttachmentFetcher, DEFAULT_TARGET_CARD_VERSION } from '../transcript';
import type { EscalationRequest, EscalationTrigger } from '../triggers';
import type { WebhookReceiverOptions } from '../webhook';
import { combineObservers, loggingObserver, type HandoffObserver } from '../observability';
import { canCreateIfAbsent } from '../storage/create-if-absent';
import { FileLinkSigner, type FileLinksOptions } from './file-links';
import { isNoticeKey, type HandoffMessages } from './notices';
import type { DeadlinePolicy } from './deadlines';
import { resolvePacing as resolveChannelPacing, type PacingOptions, type ResolvedPacing } from './channel-pacing';
import type { HandoffGatewayPort, HandoffStatus, ProactiveSender, StatusBot } from './ports';

/**
 * Where an error reported to `onError` happened:
 * - `escalation`: creating the 8x8 conversation failed (the user was told); `escalation.history`,
 *   `escalation.files`: part of the transcript could not be posted; `escalation.postAgentAssignment`:
 *   8x8 refused the hand-back webhook; `escalation.reopen`: reopening the last conversation failed
 *   (a new one was created); `escalation.held`: messages typed during the create went unanswered;
 *   `escalation.sweep`: ending a conversation that a create with an unknown outcome may have left at 8x8 failed.
 * - `forward`: a user message could not be sent to the agent; `removeUser`: ending the 8x8 side failed;
 *   `leaveMessage`: a message left outside open hours could not be sent.
 * - `relay`: an agent message could not be delivered (`RelayDroppedError` when dropped); `relay.lease`:
 *   releasing the relay lease failed; `relay.files`: an agent's file could not be downloaded.
 * - `status`: what `bot.run` or `onStatus` threw for a `handoff.status` event.
 * - `transcript`: recording the turn failed; `store`: reading the conversation's record failed (the bot
 *   answered); `store.link`: writing the 8x8 conversation's link failed.
 * - `deadlines`, `deadlines.queueStats`, `deadlines.index`: the waiting room, maximum wait or
 *   inactivity timers (acting on a due deadline, asking for queue figures, noting the next one).
 * - `availability`: the availability check threw (the escalation went ahead).
 * - `files`: serving a file link (`handoff.files()`); `background`: other work after a turn.
 * - `trigger <name>`: an escalation trigger threw (e.g. `trigger keywords`); the turn went on.
 */
export type HandoffErrorWhere =
  | 'escalation' | 'escalation.history' | 'escalation.files' | 'escalation.postAgentAssignment' | 'escalation.reopen'
  | 'escalation.held' | 'escalation.sweep'
  | 'forward' | 'removeUser' | 'leaveMessage'
  | 'relay' | 'relay.lease' | 'relay.files'
  | 'status' | 'transcript' | 'store' | 'store.link'
  | 'deadlines' | 'deadlines.queueStats' | 'deadlines.index'
  | 'availability' | 'files' | 'background'
  | `trigger ${string}`;

/** Where an error reported to `onError` happened. */
export interface HandoffErrorInfo {
  /** The place, one of {@link HandoffErrorWhere}: e.g. `escalation`, `relay` (a failed or dropped send: `RelayDroppedError`), `forward`, `transcript`, `status`. */
  where: HandoffErrorWhere;
  /** The bot conversation key, when known. */
  conversation?: string;
}

/** Size limits of the recorded transcript and of the history given to 8x8. */
export interface TranscriptLimits {
  /** Entries kept per conversation. Default 220. */
  maxEntries?: number;
  /** Serialized bytes kept per conversation. Default 262 144 (256 KiB). */
  maxBytes?: number;
  /** Messages in `history` (8x8 allows 200). Default 200. */
  maxHistoryMessages?: number;
  /** Largest file uploaded to 8x8; larger ones become a text line. Default 10 MiB. */
  maxAttachmentBytes?: number;
}

/** The leave-a-message path of a closed contact center. */
export interface LeaveMessageOptions {
  /** The queue left messages go to. */
  queueId: string;
  /** Shown to the agent with the message. Default "Message left while the contact center was closed." */
  note?: string;
  /** How long the offer stays open, in seconds. Default 600. */
  windowSeconds?: number;
}

/** The waiting room: updates while queued, and the maximum wait (times in seconds, any positive number). */
export interface WaitingRoomOptions {
  /** Tell the waiting user every this many seconds (with place and wait when `queueStats` supplies them). Default: no updates. */
  updateEverySeconds?: number;
  /** After this long queued (from the escalation), offer keep-waiting / back-to-bot, or return the user. Default: no limit. */
  maxWaitSeconds?: number;
  /** `offer` (default): suggested actions `keepWaitingAction` / `backToBotAction`; `return`: back to the bot at once. */
  onMaxWait?: 'offer' | 'return';
  /**
   * Supplies `position` and `estimatedWaitSeconds` for the updates (asked with `inQueue: true`),
   * e.g. `queueStatsAvailability(...)`. Default: the `availability` check, when there is one.
   */
  queueStats?: AvailabilityCheck;
}

/** Customer silence while queued or with an agent (seconds, any positive number). */
export interface InactivityOptions {
  /** Silence before the reminder (`inactivityReminder`). */
  remindAfterSeconds: number;
  /** Further silence after the reminder before the handoff ends (customer-leave, `inactivityEnded`, reason `inactivity`). */
  endAfterSeconds: number;
}

/** Options of {@link HandoffMiddleware}. */
export interface HandoffMiddlewareOptions {
  /** The Chat Gateway client, e.g. `new ChatGatewayClient({ apiKey })`. Required. */
  gateway: HandoffGatewayPort;
  /** The 8x8 Chat API channel id conversations are created in. Required. */
  channelId: string;
  /** Queue an escalation goes to unless a trigger or routing rule chooses another. Required unless `config.queueId`. */
  queueId?: string;
  /** Sends agent messages outside user turns: the bot's `CloudAdapter`. Required. */
  adapter: ProactiveSender;
  /** The bot's Microsoft App Id for proactive sends (`''` for a local bot without auth). Required. */
  botAppId: string;
  /**
   * Where handoff records live. Default a new `MemoryStorage` (one instance only). Each bot
   * conversation that ever escalated keeps a record (its state and a bounded transcript, see
   * `transcript`) and at most two 8x8 link keys; nothing deletes the record, so it lives as long
   * as the Storage keeps it. In production use a Storage with expiry (e.g. `RedisStorage` with
   * `ttlMs`, or a Cosmos DB container with a default TTL).
   */
  storage?: Storage;
  /** Escalation triggers. Default none (plus `config.triggers`). */
  triggers?: EscalationTrigger[];
  /** A configuration loaded with `loadHandoffConfig`: triggers, routing, messages, cancel phrases. */
  config?: HandoffConfig;
  /** Receives synthetic incoming `handoff.status` events (an `ActivityHandler`). Default none. */
  bot?: StatusBot;
  /** Called with every status report. Default none. */
  onStatus?: (status: HandoffStatus) => void | Promise<void>;
  /** Adds user details (email, phone, additionalProperties) from your own data. Default none. */
  userResolver?: (context: TurnContext) => Partial<ConversationUser> | Promise<Partial<ConversationUser>>;
  /**
   * Checked before every escalation; when it says closed, the user is told (`closed`,
   * `closedUntil` with `{nextOpening}`, or `noAgents`), the bot gets `handoff.status` `failed` with
   * message `closed` or `noAgents`, and no 8x8 conversation is created. Opening hours
   * (`{ timeZone, weekly, holidays }`), a check function (`tenantScheduleAvailability(...)`,
   * `queueStatsAvailability(...)`, your own), or a list of them (all must say open). Default:
   * `config.availability`, else always open.
   */
  availability?: WeeklyScheduleInput | AvailabilityCheck | ReadonlyArray<WeeklyScheduleInput | AvailabilityCheck>;
  /**
   * When the availability check says closed, offer the user to leave a message: their next message
   * (within `windowSeconds`, default 600) becomes a conversation in `queueId` with the transcript
   * as history and `note` for the next agent (who answers by the user's details, e.g. from
   * `userResolver`); a cancel phrase skips it. Default `config.leaveMessage`, else no offer.
   */
  leaveMessage?: LeaveMessageOptions;
  /**
   * While queued: an update every `updateEverySeconds`, and after `maxWaitSeconds` an offer to keep
   * waiting or go back to the bot (`onMaxWait: 'offer'`) or a return to the bot (`'return'`); 8x8
   * is told (customer-leave) when the user gives up, and the bot gets `failed` with reason
   * `maxWait`. Default `config.waitingRoom`, else none.
   */
  waitingRoom?: WaitingRoomOptions;
  /**
   * Customer silence while queued or with an agent: a reminder after `remindAfterSeconds`, and after
   * `endAfterSeconds` more the handoff ends (customer-leave, a notice, `completed` with reason
   * `inactivity`). Default `config.inactivity`, else none.
   */
  inactivity?: InactivityOptions;
  /**
   * When the same user escalates again within this many seconds after a handoff ended (to the same
   * queue), the middleware posts the bot turns since then into that 8x8 conversation, which 8x8
   * re-queues in its last queue with the whole history for the next agent, instead of creating a
   * new one. Outside the window, or when 8x8 refuses, a new conversation is created. Default
   * `config.reopenWindowSeconds`, else no reopen.
   */
  reopenWindowSeconds?: number;
  /**
   * Hand-back through 8x8's post-agent assignment: right after each create (202) the middleware
   * asks 8x8 to route the conversation back to this bot webhook when the agent finishes, instead
   * of closing it (a failure goes to `onError`; the handoff goes on). Needs
   * `gateway.postAgentAssignment` (a `ChatGatewayClient`). Default `config.postAgentAssignment`, else off.
   */
  postAgentAssignment?: PostAgentAssignmentOptions;
  /**
   * How often (real time) this instance looks for due deadlines (waiting room, maximum wait,
   * inactivity), which live in the records, so any instance acts on them, once, and a restart
   * loses none. `false`: no timer (call `handoff.sweepDeadlines()` yourself, e.g. in tests).
   * Default 5000 ms, or half the shortest deadline interval when that is shorter (at least 50 ms).
   */
  deadlineSweepMs?: number | false;
  /** Veto or confirm an escalation; return false to keep the bot in charge. Default: always true. */
  confirm?: (context: TurnContext, request: EscalationRequest) => boolean | Promise<boolean>;
  /** Runs over every text that leaves for 8x8 (history and live relay). Default: identity. */
  redact?: (text: string) => string;
  /** Texts the user is told (see `DEFAULT_MESSAGES`). Default English texts. */
  messages?: HandoffMessages;
  /** Whole messages that end a handoff, per locale or for all. Default `['cancel', 'end chat', 'stop chat']`. */
  cancelPhrases?: string[] | Record<string, string[]>;
  /** How long escalation is refused after a failed one. Default 60 000 ms. */
  cooldownMs?: number;
  /**
   * When a create call fails with an unknown outcome (timeout, reset, 500/502/504), 8x8 may still
   * have queued the conversation: after each of these delays the middleware ends the user's live,
   * unlinked conversations on the channel (needs `gateway.listConversations`). `false` turns it off.
   * Default `[10000, 60000]`.
   */
  orphanSweepMs?: number[] | false;
  /** Transcript and history limits. */
  transcript?: TranscriptLimits;
  /**
   * Adaptive Card schema version cards sent to 8x8 are down-levelled to (newer elements become
   * their `fallback` or a TextBlock with their text). One of `'1.0'` to `'1.6'`. Default `'1.3'`,
   * what 8x8's guides say the agent desktop renders.
   */
  adaptiveCardVersion?: string;
  /**
   * Serves agent files through the bot: each file the user gets links to `handoff.files()` (mount
   * it at `baseUrl`), which downloads it from 8x8 by id when opened, so links keep working after
   * 8x8's pre-signed URLs expire (`secret` signs them; `ttlSeconds` limits them, default none).
   * Recommended in production. Default none: small files go inline (`inlineFileMaxBytes`).
   */
  fileLinks?: FileLinksOptions;
  /**
   * Without `fileLinks`: agent files up to this size are downloaded from 8x8 by id and sent inline
   * as `data:` URLs (they never expire); larger ones link to 8x8's pre-signed URL, which expires.
   * Keep it under your channel's activity size limit. 0 sends none inline. Default 65 536 (64 KiB).
   */
  inlineFileMaxBytes?: number;
  /** Fetches user attachments (contentUrl or data URI). Default `createAttachmentFetcher({ maxBytes: maxAttachmentBytes })`. */
  fetchAttachment?: AttachmentFetcher;
  /** The one error hook for work that must not break a turn. Default: logs at error level. */
  onError?: (error: unknown, info: HandoffErrorInfo) => void;
  /** Default: the package's pino logger. */
  logger?: Logger;
  /**
   * What operators watch (src/observability): e.g. `createHandoffMetrics().observer`, or
   * `telemetryObserver(botTelemetryClient)`; combine several with `combineObservers`. Lifecycle
   * log lines with correlation ids go to `logger` in any case. Default none.
   */
  observer?: HandoffObserver;
  /** Options of the webhook receiver built by `webhook()` (key host, dedupe store, ...). */
  webhook?: Omit<WebhookReceiverOptions, 'onEvent'>;
  /** Storage key prefix. Default `8x8-handoff`. */
  namespace?: string;
  /** Epoch-ms clock. Default `Date.now`. */
  clock?: () => number;
  /**
   * Runs work later (relay retries, lease renewals, orphan sweeps, the deadline sweep, attachment
   * fetch timeouts). Default `realScheduler` (`setTimeout`); tests pass a fake one together with
   * `clock`, so nothing waits in real time.
   */
  scheduler?: Scheduler;
  /** Makes handoff and outbox ids. Default `crypto.randomUUID`. */
  newId?: () => string;
  /**
   * This bot instance's id in relay leases (RELIABILITY M1): with several instances on one
   * Storage, only the lease holder delivers a conversation's agent messages. Must differ between
   * instances. Default a random UUID per middleware.
   */
  instanceId?: string;
  /**
   * How long a relay lease lasts without renewal; an instance that crashed mid-relay is taken over
   * after this. Renewed while a slow send is in flight. Default 30 000 ms.
   */
  relayLeaseMs?: number;
  /**
   * Paces proactive sends per bot conversation (agent messages, notices, the bot's replies in
   * status turns) under its channel's per-conversation limits, which answer a burst with 429s
   * (RELIABILITY O6). Per instance: with several, the lease holder's pacer paces. `false` turns it
   * off. Default: `CHANNEL_PACE_LIMITS` (Teams 7/1 s, 8/2 s, 60/30 s, 1,800/3,600 s on `msteams`;
   * 1/s on `slack` and `telegram`; none on `webchat` and `directline`), other channels not paced.
   * `pacing.channels` overrides a channel's limits, `pacing.limits` sets those of unlisted channels.
   */
  pacing?: false | PacingOptions;
}

/** Options with defaults applied. */
export interface ResolvedHandoffOptions
  extends Required<Omit<HandoffMiddlewareOptions, 'bot' | 'onStatus' | 'userResolver' | 'confirm' | 'config' | 'queueId' | 'webhook' | 'cancelPhrases' | 'transcript' | 'pacing' | 'availability' | 'leaveMessage' | 'fileLinks' | 'waitingRoom' | 'inactivity' | 'deadlineSweepMs' | 'reopenWindowSeconds' | 'postAgentAssignment'>> {
  /** The body of `POST .../post-agent-assignment` sent after each create, when configured. */
  postAgentAssignment?: PostAgentAssignmentRequest;
  queueId: string;
  fileLinks?: FileLinkSigner;
  /** `reopenWindowSeconds` in ms. */
  reopenWindowMs?: number;
  /** The deadline rules from `waitingRoom` and `inactivity`, in ms. */
  deadlines: DeadlinePolicy;
  /** Where waiting-room figures come from. */
  waitingRoomStats?: AvailabilityCheck;
  deadlineSweepMs: number | false;
  leaveMessage?: Required<LeaveMessageOptions>;
  availability?: AvailabilityCheck;
  bot?: StatusBot;
  onStatus?: (status: HandoffStatus) => void | Promise<void>;
  userResolver?: HandoffMiddlewareOptions['userResolver'];
  confirm?: HandoffMiddlewareOptions['confirm'];
  config?: HandoffConfig;
  webhook: Omit<WebhookReceiverOptions, 'onEvent'>;
  cancelPhrases: Record<string, string[]>;
  transcript: Required<TranscriptLimits>;
  pacing: false | ResolvedPacing;
}

function fail(option: string, problem: string, fix: string): never {
  throw new ConfigurationError(option, problem, fix);
}

/** `postAgentAssignment` (or the config file's): checked, as the request body; it needs a gateway that can send it. */
function resolveHandBack(options: HandoffMiddlewareOptions): PostAgentAssignmentRequest | undefined {
  const request = resolvePostAgentAssignment(options.postAgentAssignment ?? options.config?.postAgentAssignment);
  if (request && typeof options.gateway.postAgentAssignment !== 'function') {
    fail('postAgentAssignment', 'needs a gateway with postAgentAssignment', 'Pass a ChatGatewayClient as `gateway`, or leave `postAgentAssignment` out.');
  }
  return request;
}

function checkFunction(name: string, value: unknown): void {
  if (value !== undefined && typeof value !== 'function') fail(name, `must be a function, got ${typeof value}`, `Pass a function or leave \`${name}\` out.`);
}

function positiveInt(name: string, value: number | undefined, fallback: number): number {
  const v = value ?? fallback;
  if (!Number.isInteger(v) || v <= 0) fail(name, `must be a positive integer, got ${String(v)}`, `Pass a positive integer or leave \`${name}\` out for ${fallback}.`);
  return v;
}

function checkRequired(options: HandoffMiddlewareOptions): void {
  if (!options || typeof options !== 'object') fail('options', 'is missing', 'Pass new HandoffMiddleware({ gateway, channelId, queueId, adapter, botAppId }).');
  const g = options.gateway as Partial<HandoffGatewayPort> | undefined;
  if (!g || typeof g.createConversation !== 'function' || typeof g.sendMessage !== 'function') {
    fail('gateway', 'must be a Chat Gateway client', 'Pass gateway: new ChatGatewayClient({ apiKey, tenantId }).');
  }
  if (typeof options.channelId !== 'string' || options.channelId.trim() === '') fail('channelId', 'is required', 'Pass the id of your 8x8 Chat API channel (e.g. process.env.EIGHTX8_CHANNEL_ID).');
  if (!options.adapter || typeof options.adapter.continueConversationAsync !== 'function') {
    fail('adapter', 'must have continueConversationAsync', 'Pass the bot\'s CloudAdapter, so agent messages can be sent proactively.');
  }
  if (typeof options.botAppId !== 'string') fail('botAppId', 'is required (an empty string is allowed for a local bot)', "Pass botAppId: process.env.MicrosoftAppId ?? ''.");
  if (options.bot !== undefined && typeof options.bot?.run !== 'function') fail('bot', 'must have a run(context) method', 'Pass your ActivityHandler, or leave `bot` out.');
  if (options.triggers !== undefined && !Array.isArray(options.triggers)) fail('triggers', 'must be an array', 'Pass triggers: [triggers.keywords([...]), ...].');
  for (const name of ['onStatus', 'userResolver', 'confirm', 'redact', 'fetchAttachment', 'onError', 'clock', 'newId'] as const) checkFunction(name, options[name]);
  if (options.scheduler !== undefined && typeof options.scheduler?.after !== 'function') {
    fail('scheduler', 'must be an object with an after(delayMs, task) method', 'Pass a Scheduler (a fake one in tests), or leave `scheduler` out for real timers.');
  }
}

function resolveMessages(options: HandoffMiddlewareOptions): HandoffMessages {
  const merged: Record<string, unknown> = { ...(options.config?.messages ?? {}), ...(options.messages ?? {}) };
  for (const key of Object.keys(merged)) {
    if (!isNoticeKey(key)) fail(`messages.${key}`, 'is not a known message', 'Use one of the keys of DEFAULT_MESSAGES (connecting, failed, agentJoined, ...).');
  }
  return merged as HandoffMessages;
}

function resolveCancelPhrases(options: HandoffMiddlewareOptions): Record<string, string[]> {
  const given = options.cancelPhrases ?? options.config?.cancelPhrases ?? ['cancel', 'end chat', 'stop chat'];
  const byLocale = Array.isArray(given) ? { default: given } : given;
  for (const [locale, list] of Object.entries(byLocale)) {
    if (!Array.isArray(list) || list.some((p) => typeof p !== 'string' || p.trim() === '')) {
      fail(`cancelPhrases.${locale}`, 'must be a list of non-empty strings', 'Pass e.g. cancelPhrases: { default: ["cancel"], fr: ["annuler"] }.');
    }
  }
  return byLocale;
}

function resolveAvailability(options: HandoffMiddlewareOptions): AvailabilityCheck | undefined {
  const given = options.availability ?? options.config?.availability;
  if (given === undefined) return undefined;
  const list = Array.isArray(given) ? given : [given];
  const checks = list.map((item, i) => {
    const name = Array.isArray(given) ? `availability[${i}]` : 'availability';
    if (typeof item === 'function') return item as AvailabilityCheck;
    if (item && typeof item === 'object' && 'timeZone' in item) return scheduleAvailability(item as WeeklyScheduleInput, name);
    return fail(name, 'must be opening hours or a check function', 'Pass { timeZone, weekly, holidays }, tenantScheduleAvailability({...}), or a function returning { open }.');
  });
  return checks.length === 1 ? checks[0] : combineAvailability(...checks);
}

function resolveLeaveMessage(options: HandoffMiddlewareOptions): Required<LeaveMessageOptions> | undefined {
  const given = options.leaveMessage ?? options.config?.leaveMessage;
  if (given === undefined) return undefined;
  if (!given || typeof given.queueId !== 'string' || given.queueId.trim() === '') fail('leaveMessage.queueId', 'is required', 'Pass the id of the 8x8 queue left messages go to.');
  const windowSeconds = given.windowSeconds ?? 600;
  if (!(windowSeconds > 0)) fail('leaveMessage.windowSeconds', `must be a positive number, got ${String(windowSeconds)}`, 'Pass seconds, e.g. 600.');
  return { queueId: given.queueId, note: given.note ?? 'Message left while the contact center was closed.', windowSeconds };
}

/** Seconds (any positive finite number) to ms; undefined stays undefined. */
function seconds(name: string, value: unknown): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) fail(name, `must be a positive number of seconds, got ${String(value)}`, `Pass seconds, e.g. 60, or leave \`${name}\` out.`);
  return value * 1000;
}

function resolveDeadlines(options: HandoffMiddlewareOptions, availability: AvailabilityCheck | undefined): Pick<ResolvedHandoffOptions, 'deadlines' | 'waitingRoomStats' | 'deadlineSweepMs'> {
  const room: WaitingRoomOptions | undefined = options.waitingRoom ?? options.config?.waitingRoom;
  const idle = options.inactivity ?? options.config?.inactivity;
  if (room !== undefined && (typeof room !== 'object' || room === null)) fail('waitingRoom', 'must be an object', 'Pass { updateEverySeconds: 60, maxWaitSeconds: 900, onMaxWait: "offer" }.');
  if (idle !== undefined && (typeof idle !== 'object' || idle === null)) fail('inactivity', 'must be an object', 'Pass { remindAfterSeconds: 120, endAfterSeconds: 180 }.');
  const onMaxWait = room?.onMaxWait ?? 'offer';
  if (onMaxWait !== 'offer' && onMaxWait !== 'return') fail('waitingRoom.onMaxWait', `must be "offer" or "return", got ${String(onMaxWait)}`, 'Pass "offer" (keep waiting / back to the bot) or "return" (back to the bot at once).');
  checkFunction('waitingRoom.queueStats', room?.queueStats);
  const deadlines: DeadlinePolicy = {
    createTimeoutMs: CREATE_TIMEOUT_MS,
    waitingUpdateMs: seconds('waitingRoom.updateEverySeconds', room?.updateEverySeconds),
    maxWaitMs: seconds('waitingRoom.maxWaitSeconds', room?.maxWaitSeconds),
    onMaxWait,
  };
  if (idle) {
    const remind = seconds('inactivity.remindAfterSeconds', idle.remindAfterSeconds);
    const end = seconds('inactivity.endAfterSeconds', idle.endAfterSeconds);
    if (remind === undefined) fail('inactivity.remindAfterSeconds', 'is required', 'Pass the seconds of silence before the reminder, e.g. 120.');
    if (end === undefined) fail('inactivity.endAfterSeconds', 'is required', 'Pass the seconds of further silence before the chat ends, e.g. 180.');
    deadlines.remindAfterMs = remind;
    deadlines.endAfterMs = end;
  }
  // Default: every 5 s, or more often when a deadline interval is shorter (half of the shortest).
  const shortest = Math.min(...[deadlines.createTimeoutMs, deadlines.waitingUpdateMs, deadlines.maxWaitMs, deadlines.remindAfterMs, deadlines.endAfterMs].filter((ms): ms is number => ms !== undefined));
  const sweep = options.deadlineSweepMs ?? Math.min(5000, Math.max(50, Math.floor(shortest / 2)));
  if (sweep !== false && (typeof sweep !== 'number' || !Number.isFinite(sweep) || sweep <= 0)) fail('deadlineSweepMs', `must be a positive number of ms or false, got ${String(sweep)}`, 'Pass e.g. 5000, or false to sweep only when you call sweepDeadlines().');
  return { deadlines: JSON.parse(JSON.stringify(deadlines)) as DeadlinePolicy, waitingRoomStats: room?.queueStats ?? availability, deadlineSweepMs: sweep };
}

/**
 * How long an escalation may wait for its create call (see `DeadlinePolicy.createTimeoutMs`): well
 * past the gateway client's 30-second deadline per call, with the history's files fetched first.
 */
export const CREATE_TIMEOUT_MS = 120_000;

/** True when any deadline applies (the sweeper then runs). */
export function hasDeadlines(policy: DeadlinePolicy): boolean {
  return policy.createTimeoutMs !== undefined || policy.waitingUpdateMs !== undefined || policy.maxWaitMs !== undefined || policy.remindAfterMs !== undefined;
}

function resolvePacing(pacing: HandoffMiddlewareOptions['pacing']): ResolvedHandoffOptions['pacing'] {
  if (pacing === false) return false;
  if (pacing !== undefined && (typeof pacing !== 'object' || pacing === null || Array.isArray(pacing))) {
    fail('pacing', 'must be false or { channels, limits }', 'Leave `pacing` out for each channel\'s documented limits, or pass false to turn pacing off.');
  }
  return resolveChannelPacing(pacing);
}

/** The transcript limits with their defaults (8x8 takes at most 200 history messages). */
function resolveTranscriptLimits(limits: TranscriptLimits | undefined): Required<TranscriptLimits> {
  const transcript: Required<TranscriptLimits> = {
    maxEntries: positiveInt('transcript.maxEntries', limits?.maxEntries, 220),
    maxBytes: positiveInt('transcript.maxBytes', limits?.maxBytes, 256 * 1024),
    maxHistoryMessages: positiveInt('transcript.maxHistoryMessages', limits?.maxHistoryMessages, 200),
    maxAttachmentBytes: positiveInt('transcript.maxAttachmentBytes', limits?.maxAttachmentBytes, 10 * 1024 * 1024),
  };
  if (transcript.maxHistoryMessages > 200) fail('transcript.maxHistoryMessages', 'must be at most 200 (8x8\'s history limit)', 'Pass 200 or less.');
  return transcript;
}

/** Checks the several-instances options; returns the relay lease. Warns when the Storage cannot create atomically. */
function resolveInstances(options: HandoffMiddlewareOptions, logger: Logger): number {
  if (options.instanceId !== undefined && (typeof options.instanceId !== 'string' || options.instanceId.trim() === '')) {
    fail('instanceId', 'must be a non-empty string', 'Pass a per-instance id (e.g. the host name and process id), or leave `instanceId` out for a random one.');
  }
  const relayLeaseMs = positiveInt('relayLeaseMs', options.relayLeaseMs, 30_000);
  if (options.instanceId !== undefined && options.storage && !canCreateIfAbsent(options.storage)) {
    // Said at construction (issue 13); eTags need a round trip: `assertStorageCapabilities` at startup checks them.
    logger.warn(
      { capability: 'createIfAbsent' },
      'handoff: `storage` lacks createIfAbsent (atomic create): with several instances, two creating one record at the same moment can lose a change. Use RedisStorage, or run one instance.',
    );
  }
  return relayLeaseMs;
}

/** The tunings with their defaults, each checked. */
function resolveTunings(options: HandoffMiddlewareOptions) {
  const orphanSweepMs = options.orphanSweepMs ?? [10_000, 60_000];
  if (orphanSweepMs !== false && (!Array.isArray(orphanSweepMs) || orphanSweepMs.some((ms) => !Number.isFinite(ms) || ms < 0))) {
    fail('orphanSweepMs', 'must be a list of non-negative delays in ms, or false', 'Pass e.g. [10000, 60000], or false to turn the sweep off.');
  }
  const adaptiveCardVersion = options.adaptiveCardVersion ?? DEFAULT_TARGET_CARD_VERSION;
  if (!(ADAPTIVE_CARD_VERSIONS as readonly string[]).includes(adaptiveCardVersion)) {
    fail('adaptiveCardVersion', `must be one of ${ADAPTIVE_CARD_VERSIONS.join(', ')}, got ${String(adaptiveCardVersion)}`, "Pass e.g. '1.3' (what 8x8's agent desktop renders), or leave it out.");
  }
  const inlineFileMaxBytes = options.inlineFileMaxBytes ?? 64 * 1024;
  if (!Number.isInteger(inlineFileMaxBytes) || inlineFileMaxBytes < 0) {
    fail('inlineFileMaxBytes', `must be a non-negative integer, got ${String(inlineFileMaxBytes)}`, 'Pass bytes, e.g. 65536, or 0 to send no file inline.');
  }
  const cooldownMs = options.cooldownMs ?? 60_000;
  if (!Number.isFinite(cooldownMs) || cooldownMs < 0) fail('cooldownMs', `must be a non-negative number, got ${String(cooldownMs)}`, 'Pass milliseconds, e.g. 60000.');
  return { orphanSweepMs, adaptiveCardVersion, inlineFileMaxBytes, cooldownMs };
}

/** The default queue: the option, else the declarative config's. */
function resolveQueueId(options: HandoffMiddlewareOptions): string {
  const queueId = options.queueId ?? options.config?.queueId;
  if (typeof queueId !== 'string' || queueId.trim() === '') fail('queueId', 'is required', 'Pass the default 8x8 queue id (or set `queueId` in the declarative config).');
  return queueId;
}

/** Applies defaults and rejects bad values with a {@link ConfigurationError} naming the option. */
export function resolveHandoffOptions(options: HandoffMiddlewareOptions): ResolvedHandoffOptions {
  checkRequired(options);
  const queueId = resolveQueueId(options);
  const logger = options.logger ?? createDefaultLogger('botbuilder-8x8-handoff:middleware');
  const transcript = resolveTranscriptLimits(options.transcript);
  const relayLeaseMs = resolveInstances(options, logger);
  const { orphanSweepMs, adaptiveCardVersion, inlineFileMaxBytes, cooldownMs } = resolveTunings(options);
  const availability = resolveAvailability(options);
  const scheduler = options.scheduler ?? realScheduler;
  return {
    ...options,
    queueId,
    storage: options.storage ?? new MemoryStorage(),
    triggers: [...(options.triggers ?? []), ...(options.config?.triggers ?? [])],
    redact: options.redact ?? ((text) => text),
    messages: resolveMessages(options),
    cancelPhrases: resolveCancelPhrases(options),
    cooldownMs,
    adaptiveCardVersion,
    inlineFileMaxBytes,
    fileLinks: options.fileLinks === undefined ? undefined : new FileLinkSigner(options.fileLinks, options.clock ?? Date.now),
    orphanSweepMs,
    transcript,
    fetchAttachment: options.fetchAttachment ?? createAttachmentFetcher({ maxBytes: transcript.maxAttachmentBytes, scheduler }),
    onError: options.onError ?? ((error, info) => logger.error({ err: error, ...info }, 'handoff: background work failed')),
    logger,
    observer: combineObservers(loggingObserver(logger), options.observer),
    webhook: options.webhook ?? {},
    namespace: options.namespace ?? '8x8-handoff',
    clock: options.clock ?? Date.now,
    scheduler,
    newId: options.newId ?? randomUUID,
    instanceId: options.instanceId ?? randomUUID(),
    relayLeaseMs,
    pacing: resolvePacing(options.pacing),
    availability,
    leaveMessage: resolveLeaveMessage(options),
    ...resolveDeadlines(options, availability),
    reopenWindowMs: seconds('reopenWindowSeconds', options.reopenWindowSeconds ?? options.config?.reopenWindowSeconds),
    postAgentAssignment: resolveHandBack(options),
  };
}
