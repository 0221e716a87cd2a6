/**
 * The public API as a bot author uses it, type-checked and never run (public-api.test.ts runs
 * `tsc --noEmit` on this file alone). It imports only the package's one entry, `../../src`.
 *
 * The `@ts-expect-error` lines are misuse that must not compile: names that are the handoff core's
 * internals (the stored record format, the record store, the lifecycle, deadlines), wrong option
 * types, unknown error codes and `onError` places. If one of them starts compiling (an internal
 * leaks back into the entry, a type widens to `string`), the directive is unused and tsc fails.
 */
import express from 'express';
import { ActivityHandler, CloudAdapter, ConfigurationBotFrameworkAuthentication, MemoryStorage, type TurnContext } from 'botbuilder';
import {
  ChatGatewayAdapter, ChatGatewayApiError, ChatGatewayClient, ConfigurationError, DEFAULT_MESSAGES, HandoffError, HandoffMiddleware,
  RedisStorage, StorageConflictError, ETagConflictError, RelayDroppedError, CHANNEL_PACE_LIMITS, TEAMS_LIMITS,
  assertStorageCapabilities, combineObservers, createAttachmentFetcher, createHandoffMetrics, loadHandoffConfig, markFallback,
  queueStatsAvailability, scheduleAvailability, silentLogger, triggers,
  type ErrorCode, type EscalationOutcome, type HandoffErrorInfo, type HandoffErrorWhere, type HandoffMiddlewareOptions,
  type HandoffStatus, type HandoffStatusState, type NoticeKey, type PacingOptions, type RedisEvalClient, type SendFailureKind,
} from '../../src';

// ---- The README's "Add it to your bot" --------------------------------------------------------------
class MyBot extends ActivityHandler {}
const adapter = new CloudAdapter(new ConfigurationBotFrameworkAuthentication({}));
const bot = new MyBot();
const gateway = new ChatGatewayClient({ apiKey: 'key', tenantId: 'tenant', baseUrl: 'http://127.0.0.1:8080' });

const pacing: PacingOptions = { channels: { msteams: TEAMS_LIMITS, webchat: false, ...CHANNEL_PACE_LIMITS } };
const options: HandoffMiddlewareOptions = {
  gateway,
  channelId: 'chat-api-channel',
  queueId: 'support',
  adapter,
  botAppId: '',
  bot,
  storage: new MemoryStorage(),
  logger: silentLogger,
  triggers: [triggers.keywords(['agent', 'human']), triggers.handoffInitiate(), triggers.repeatedFallback(3)],
  fileLinks: { baseUrl: 'https://bot.example.com/api/8x8/files', secret: 'a-long-enough-secret-for-file-links' },
  availability: scheduleAvailability({ timeZone: 'Europe/London', weekly: { mon: [['09:00', '17:00']] } }),
  fetchAttachment: createAttachmentFetcher({ maxBytes: 10 * 1024 * 1024 }),
  pacing,
  messages: { connecting: { en: 'Connecting you to an agent...', fr: 'Un instant...' } },
  onStatus: (status: HandoffStatus) => {
    const state: HandoffStatusState = status.state;
    void state;
  },
  onError: (error: unknown, info: HandoffErrorInfo) => {
    const where: HandoffErrorWhere = info.where;
    if (where === 'relay' && error instanceof RelayDroppedError) {
      const kind: SendFailureKind = error.failure;
      void kind;
    }
    if (where.startsWith('trigger ')) return;
    if (error instanceof HandoffError) onCode(error.code);
  },
};
const handoff = new HandoffMiddleware(options);
adapter.use(handoff);

const app = express();
app.post('/api/8x8/webhook', handoff.webhook());
app.get('/api/8x8/files/*path', handoff.files());

async function onTurn(context: TurnContext): Promise<void> {
  markFallback(context);
  const outcome: EscalationOutcome | 'deferred' = await handoff.escalate(context, { queueId: 'billing', reason: 'refund', properties: { Order: 'A-17' } });
  void outcome;
}
void onTurn;

/** Every code can be switched on; the compiler knows the whole list. */
function onCode(code: ErrorCode): string {
  switch (code) {
    case 'E_CONFIG': return 'fix the option';
    case 'E_8X8_API': case 'E_8X8_THROTTLED': case 'E_8X8_NETWORK': case 'E_8X8_UNAVAILABLE': case 'E_8X8_JWK': return '8x8';
    case 'E_STORAGE_CONFLICT': return 'retry';
    default: return code;
  }
}

const notices: NoticeKey[] = Object.keys(DEFAULT_MESSAGES) as NoticeKey[];
void notices;

// ---- Several instances, configuration, operations ----------------------------------------------------
declare const redis: RedisEvalClient;
const shared = new RedisStorage({ client: redis, keyPrefix: 'mybot:' });
void assertStorageCapabilities(shared, { instances: 2 });
const config = loadHandoffConfig({ queueId: 'support' });
const metrics = createHandoffMetrics({ gateway });
const second = new HandoffMiddleware({ ...options, storage: shared, config, observer: combineObservers(metrics.observer), instanceId: 'bot-2' });
second.shareWebhookWith(new ChatGatewayAdapter({
  gateway,
  bot,
  onError: (_error, info) => {
    const where: 'thinking' | 'turn' = info.where;
    // @ts-expect-error: the adapter reports only 'thinking' and 'turn'.
    if (info.where === 'relay') void where;
  },
}));
void queueStatsAvailability;

function describe(error: unknown): string {
  if (error instanceof ConfigurationError) return `option ${error.option}`;
  if (error instanceof ChatGatewayApiError) return `8x8 answered ${error.status}`;
  if (error instanceof StorageConflictError || error instanceof ETagConflictError) return `storage ${onCode(error.code)}`;
  return String(error);
}
void describe;

// ---- Misuse that must not compile ----------------------------------------------------------------------
// @ts-expect-error: queueId is a string.
new HandoffMiddleware({ ...options, queueId: 42 });
// @ts-expect-error: onError's info is a HandoffErrorInfo, whose where is no number.
new HandoffMiddleware({ ...options, onError: (_error: unknown, info: { where: number }) => void info });
// @ts-expect-error: not an ErrorCode (a stale eTag and an exhausted compare-and-set are both E_STORAGE_CONFLICT).
export const oldConflictCode: ErrorCode = 'E_STORAGE_ETAG_CONFLICT';
// @ts-expect-error: HandoffError takes an ErrorCode.
export const unknownCode = new HandoffError('E_SOMETHING', 'free-form codes are gone');
// @ts-expect-error: not a place that reports to onError.
export const badWhere: HandoffErrorWhere = 'webhook';
export const triggerWhere: HandoffErrorWhere = 'trigger keywords';
// @ts-expect-error: the record store is private to the middleware.
void handoff.store;

// The handoff core's internals are not in the entry, one name a line so that any one coming back fails.
// @ts-expect-error: internal
import { transition } from '../../src';
// @ts-expect-error: internal
import { emptyRecord } from '../../src';
// @ts-expect-error: internal
import { HandoffStore } from '../../src';
// @ts-expect-error: internal
import { CasStorage } from '../../src';
// @ts-expect-error: internal
import { planDeadlines } from '../../src';
// @ts-expect-error: internal
import { fireDue } from '../../src';
// @ts-expect-error: internal
import { userActive } from '../../src';
// @ts-expect-error: internal
import { DeadlineIndex } from '../../src';
// @ts-expect-error: internal
import { isHandoffActive } from '../../src';
// @ts-expect-error: internal
import { isConversationGone } from '../../src';
// @ts-expect-error: internal
import { classifySendFailure } from '../../src';
// @ts-expect-error: internal
import { SendPacer } from '../../src';
// @ts-expect-error: internal
import { ChannelPacer } from '../../src';
// @ts-expect-error: internal
import { reduce } from '../../src';
// @ts-expect-error: internal
import { HandoffCore } from '../../src';
// @ts-expect-error: internal
import { migrateRecord } from '../../src';
// @ts-expect-error: internal
import type { HandoffInput } from '../../src';
// @ts-expect-error: internal
import type { CoreConfig } from '../../src';
// @ts-expect-error: internal
import type { HandoffRecord } from '../../src';
// @ts-expect-error: internal
import type { HandoffEffect } from '../../src';
// @ts-expect-error: internal
import type { LifecycleEvent } from '../../src';
// @ts-expect-error: internal
import type { TransitionResult } from '../../src';
// @ts-expect-error: internal
import type { OutboxItem } from '../../src';
// @ts-expect-error: internal
import type { HeldActivity } from '../../src';
// @ts-expect-error: internal
import type { RelayLease } from '../../src';
// @ts-expect-error: internal
import type { HandoffStoreOptions } from '../../src';
// @ts-expect-error: internal
import type { GatewayLink } from '../../src';
// @ts-expect-error: internal
import type { PendingGatewayEvent } from '../../src';
// @ts-expect-error: internal
import type { CasStorageOptions } from '../../src';
// @ts-expect-error: internal
import type { CasChange } from '../../src';
// @ts-expect-error: internal
import type { Deadline } from '../../src';
// @ts-expect-error: internal
import type { DeadlineKind } from '../../src';
// @ts-expect-error: internal
import type { DeadlinePolicy } from '../../src';
// @ts-expect-error: internal
import type { WaitingFigures } from '../../src';
// @ts-expect-error: internal
import type { HandoffState } from '../../src';
// @ts-expect-error: internal
import type { SendFailure } from '../../src';
// @ts-expect-error: internal
import type { ConversationPacer } from '../../src';
// @ts-expect-error: internal
import type { SendPacerOptions } from '../../src';

export type Internals = [
  typeof transition, typeof emptyRecord, typeof HandoffStore, typeof CasStorage, typeof planDeadlines, typeof fireDue, typeof userActive,
  typeof DeadlineIndex, typeof isHandoffActive, typeof isConversationGone, typeof classifySendFailure, typeof SendPacer, typeof ChannelPacer,
  typeof reduce, typeof HandoffCore, typeof migrateRecord, HandoffInput, CoreConfig,
  HandoffRecord, HandoffEffect, LifecycleEvent, TransitionResult, OutboxItem, HeldActivity, RelayLease, HandoffStoreOptions, GatewayLink,
  PendingGatewayEvent, CasStorageOptions, CasChange, Deadline, DeadlineKind, DeadlinePolicy, WaitingFigures, HandoffState, SendFailure,
  ConversationPacer, SendPacerOptions,
];
