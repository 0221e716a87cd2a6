/**
 * Options of {@link ChatGatewayAdapter}, and the one place their defaults are resolved and checked.
 */
import { MemoryStorage, type Storage, type TurnContext } from 'botbuilder';
import { ConfigurationError } from '../errors';
import type { ChatGatewayPort } from '../gateway';
import { createDefaultLogger, type Logger } from '../logger';
import { createAttachmentFetcher, DEFAULT_MAX_ATTACHMENT_BYTES, type AttachmentFetcher } from '../transcript';
import { realScheduler, type Scheduler } from '../time';

/** The Chat Gateway calls the adapter makes. `ChatGatewayClient` satisfies it. */
export type ChatGatewayAdapterGateway = Pick<ChatGatewayPort, 'sendMessage' | 'uploadAttachment' | 'sendTyping' | 'sendThinking' | 'getConversation'>;

/** What runs the bot for each customer activity: an `ActivityHandler` (or anything with `run`). */
export interface ChannelBot {
  run(context: TurnContext): Promise<void>;
}

/** Who takes the conversation back when the agent leaves after a handover in place. */
export type AfterAgent =
  /** Nothing is asked of 8x8: the customer's next message reaches the bot again. */
  | 'nextMessage'
  /** `POST .../post-agent-assignment` with this webhook right after the handover, so 8x8 routes the conversation back to it. */
  | { postAgentAssignment: { webhookId: string; maxTotalMinutes?: number; userTimeoutInMinutes?: number } };

/** Options of `ChatGatewayAdapter`. */
export interface ChatGatewayAdapterOptions {
  /** The Chat Gateway client, e.g. `new ChatGatewayClient({ apiKey })`. Required. */
  gateway: ChatGatewayAdapterGateway;
  /** The bot that answers customers (its `run` gets every turn). Required. */
  bot: ChannelBot;
  /** The `channelId` of the activities (and of their conversation references). Default `8x8`. */
  channelId?: string;
  /** The bot's account in activities (`recipient`, and `from` of its replies). Default `{ id: '8x8-bot', name: 'Bot' }`. */
  botAccount?: { id: string; name?: string };
  /**
   * Start the bot on the first `CONVERSATION_UPDATE` with state `active`: a `conversationUpdate`
   * activity with the customer in `membersAdded`, so the bot can greet before the customer writes.
   * Default false (the bot first hears of a conversation with its first message).
   */
  greeting?: boolean;
  /** Show 8x8's "thinking" indicator while the bot works on a customer message. Default true. */
  thinking?: boolean;
  /** When the agent leaves after a handover in place. Default `'nextMessage'`. */
  afterAgent?: AfterAgent;
  /** Per-conversation memory (greeted, messages seen). Default a new `MemoryStorage`. */
  storage?: Storage;
  /** Storage key prefix. Default `8x8-channel`. */
  namespace?: string;
  /** Reads the bytes of the files the bot sends. Default `createAttachmentFetcher({ maxBytes })`. */
  fetchAttachment?: AttachmentFetcher;
  /** Largest file the bot can send; larger ones become a text line. Default 10 MiB. */
  maxAttachmentBytes?: number;
  /** Runs over every text the bot sends to 8x8. Default: identity. */
  redact?: (text: string) => string;
  /**
   * Work that must not fail a webhook: `where` is `thinking` (the thinking indicator could not be
   * sent) or `turn` (a failed reply, the bot's own errors when `onTurnError` is unset). Default: logs.
   */
  onError?: (error: unknown, info: { where: 'thinking' | 'turn'; conversation?: string }) => void;
  /** Default: the package's pino logger. */
  logger?: Logger;
  /**
   * Runs the pauses of the bot's `delay` activities and the attachment download deadline. Default
   * `realScheduler` (`setTimeout`); tests pass a fake one so pauses take no real time.
   */
  scheduler?: Scheduler;
}

/** Options with defaults applied. */
export interface ResolvedChatGatewayAdapterOptions extends Required<Omit<ChatGatewayAdapterOptions, 'botAccount'>> {
  botAccount: { id: string; name: string };
}

function fail(option: string, problem: string, fix: string): never {
  throw new ConfigurationError(option, problem, fix);
}

/** Applies defaults and rejects bad values with a {@link ConfigurationError} naming the option. */
export function resolveAdapterOptions(options: ChatGatewayAdapterOptions): ResolvedChatGatewayAdapterOptions {
  if (!options || typeof options !== 'object') fail('options', 'is missing', 'Pass new ChatGatewayAdapter({ gateway, bot }).');
  const g = options.gateway as Partial<ChatGatewayAdapterGateway> | undefined;
  if (!g || typeof g.sendMessage !== 'function' || typeof g.getConversation !== 'function') {
    fail('gateway', 'must be a Chat Gateway client', 'Pass gateway: new ChatGatewayClient({ apiKey, tenantId }).');
  }
  if (!options.bot || typeof options.bot.run !== 'function') fail('bot', 'must have a run(context) method', 'Pass your ActivityHandler.');
  const channelId = options.channelId ?? '8x8';
  if (typeof channelId !== 'string' || channelId.trim() === '') fail('channelId', 'must be a non-empty string', "Leave it out for '8x8'.");
  const account = options.botAccount ?? { id: '8x8-bot', name: 'Bot' };
  if (typeof account.id !== 'string' || account.id === '') fail('botAccount.id', 'must be a non-empty string', "Pass e.g. { id: 'my-bot', name: 'My bot' }.");
  const afterAgent = options.afterAgent ?? 'nextMessage';
  if (afterAgent !== 'nextMessage' && (typeof afterAgent !== 'object' || typeof afterAgent.postAgentAssignment?.webhookId !== 'string' || afterAgent.postAgentAssignment.webhookId === '')) {
    fail('afterAgent', "must be 'nextMessage' or { postAgentAssignment: { webhookId } }", 'Pass the id of the webhook the bot listens on (see `npx botbuilder-8x8-handoff setup`), or leave it out.');
  }
  const maxAttachmentBytes = options.maxAttachmentBytes ?? DEFAULT_MAX_ATTACHMENT_BYTES;
  if (!Number.isInteger(maxAttachmentBytes) || maxAttachmentBytes <= 0) fail('maxAttachmentBytes', `must be a positive integer, got ${String(maxAttachmentBytes)}`, 'Pass a byte count or leave it out for 10 MiB.');
  for (const name of ['fetchAttachment', 'redact', 'onError'] as const) {
    if (options[name] !== undefined && typeof options[name] !== 'function') fail(name, `must be a function, got ${typeof options[name]}`, `Pass a function or leave \`${name}\` out.`);
  }
  const scheduler = options.scheduler ?? realScheduler;
  if (typeof scheduler?.after !== 'function') fail('scheduler', 'must be an object with an after(delayMs, task) method', 'Pass a Scheduler (a fake one in tests), or leave `scheduler` out for real timers.');
  const logger = options.logger ?? createDefaultLogger('botbuilder-8x8-handoff:channel');
  return {
    ...options,
    channelId,
    botAccount: { id: account.id, name: account.name ?? 'Bot' },
    greeting: options.greeting ?? false,
    thinking: options.thinking ?? true,
    afterAgent,
    storage: options.storage ?? new MemoryStorage(),
    namespace: options.namespace ?? '8x8-channel',
    fetchAttachment: options.fetchAttachment ?? createAttachmentFetcher({ maxBytes: maxAttachmentBytes, scheduler }),
    maxAttachmentBytes,
    redact: options.redact ?? ((text) => text),
    onError: options.onError ?? ((error, info) => logger.error({ err: error, ...info }, '8x8 channel: work failed')),
    logger,
    scheduler,
  };
}
