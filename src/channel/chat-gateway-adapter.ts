/**
 * `ChatGatewayAdapter`: a Bot Framework adapter for customers who write on one of 8x8's own
 * channels (the web widget, WhatsApp, ...) and whom 8x8 routes to the bot's webhook. It turns the
 * verified webhook events of those conversations into activities, runs the bot, and posts its
 * replies to the same 8x8 conversation as `authorType: "bot"` messages. With `HandoffMiddleware`
 * (`adapter.use(handoff)`, `handoff.shareWebhookWith(adapter)`) one webhook route serves both
 * flows, and an escalation hands the conversation over in place (see
 * ../handoff/native-conversation.ts).
 *
 * Every activity carries a stable conversation reference: `channelId` (default `8x8`), the 8x8
 * conversation id as `conversation.id`, the customer as `from`. Events of one conversation are
 * handled one at a time, in arrival order; a message 8x8 delivers twice (same event id, or same
 * message id) reaches the bot once. The webhook is acknowledged once the bot's turn is over.
 */
import { BotAdapter, TurnContext, type Activity, type ConversationReference, type ResourceResponse } from 'botbuilder';
import { randomUUID } from 'node:crypto';
import { isConversationGone } from '../handoff/forward-failure';
import { KeyedQueue } from '../handoff/keyed-queue';
import { NATIVE_CONVERSATION_KEY, type NativeConversation, type NativeConversationHost } from '../handoff/native-conversation';
import type { ConversationEvent } from '../webhook/events';
import { MemoryStore, SEEN_MESSAGES, type ConversationMemory } from './conversation-memory';
import { eventToCustomerInput, type CustomerSeen } from './event-to-activity';
import { resolveAdapterOptions, type ChatGatewayAdapterOptions, type ResolvedChatGatewayAdapterOptions } from './options';
import { sendToGateway } from './send-to-gateway';

/** How many conversation ownership answers are cached. */
const OWNERSHIP_CACHE = 10_000;

/** The Bot Framework adapter for 8x8's own channels. */
export class ChatGatewayAdapter extends BotAdapter implements NativeConversationHost {
  private readonly options: ResolvedChatGatewayAdapterOptions;
  private readonly memory: MemoryStore;
  private readonly queue = new KeyedQueue();
  private readonly owners = new Map<string, boolean>();

  /** Throws a `ConfigurationError` naming the option and the fix when an option is wrong. */
  constructor(options: ChatGatewayAdapterOptions) {
    super();
    this.options = resolveAdapterOptions(options);
    this.memory = new MemoryStore(this.options.storage, this.options.namespace);
  }

  /** The `channelId` of this adapter's activities. */
  get channelId(): string {
    return this.options.channelId;
  }

  /**
   * True when the 8x8 conversation is a customer who came through 8x8's own channels, never one
   * `HandoffMiddleware` created. In order: a conversation this adapter already served (its memory,
   * in `storage`) is its own; one the middleware says it created (`createdByHandoff`, its link in
   * storage: any instance, after restarts) is not; else 8x8 is asked once (`GET
   * /conversations/{id}`): a conversation on `handoffChannelId` (the Chat API channel the
   * middleware creates its conversations in, also where agents' and other instances' conversations
   * live) is not, and neither is one 8x8 does not know (404).
   */
  async ownsConversation(gatewayConversationId: string, handoffChannelId: string, createdByHandoff?: () => Promise<boolean>): Promise<boolean> {
    const cached = this.owners.get(gatewayConversationId);
    if (cached !== undefined) return cached;
    let owned: boolean;
    if (await this.memory.read(gatewayConversationId)) owned = true;
    else if (createdByHandoff && (await createdByHandoff())) owned = false;
    else {
      try {
        owned = (await this.options.gateway.getConversation(gatewayConversationId)).channelId !== handoffChannelId;
      } catch (error) {
        if (!isConversationGone(error)) throw error;
        owned = false;
      }
    }
    if (this.owners.size >= OWNERSHIP_CACHE) this.owners.delete(this.owners.keys().next().value!);
    this.owners.set(gatewayConversationId, owned);
    return owned;
  }

  /**
   * Runs the bot for one verified webhook event of an 8x8-native conversation; resolves when the
   * turn is over. Rejects only when the adapter's own memory cannot be read or written (the
   * webhook then answers 503 and 8x8 retries); what the bot throws goes to `onTurnError`, or to
   * `onError` when that is unset.
   */
  processEvent(event: ConversationEvent, meta?: { eventId?: string }): Promise<void> {
    const id = event.conversationId;
    return this.queue.run(id, async () => {
      const input = eventToCustomerInput(event);
      if (input.kind === 'ignore') return;
      const before = await this.memory.read(id);
      const memory: ConversationMemory = before ?? { started: false, customer: { id: '' }, seen: [] };
      memory.customer = mergeCustomer(memory.customer, input.customer, id);
      const dedupeKey = input.kind === 'activity' ? (input.dedupeKey ?? (meta?.eventId ? `event:${meta.eventId}` : undefined)) : undefined;
      if (dedupeKey && memory.seen.includes(dedupeKey)) return;
      // The bot starts once: on `active` when greeting, else (or when `active` comes late) before the first message.
      const start = !memory.started && (this.options.greeting || input.kind === 'start');
      if (input.kind === 'start' && memory.started) return;
      memory.started ||= start || input.kind === 'activity';
      if (dedupeKey) memory.seen = [...memory.seen, dedupeKey].slice(-SEEN_MESSAGES);
      // Remembered before the bot runs: a retry after a failed turn must not answer twice.
      await this.memory.write(id, memory);
      if (start && this.options.greeting) await this.runTurn(this.membersAdded(id, memory.customer, event.timestamp));
      if (input.kind === 'activity') await this.runTurn(this.customerActivity(id, memory.customer, input.activity, event.timestamp));
    });
  }

  /** Posts the bot's activities to the 8x8 conversation of `context`, in order. */
  async sendActivities(context: TurnContext, activities: Partial<Activity>[]): Promise<ResourceResponse[]> {
    const responses: ResourceResponse[] = [];
    for (const activity of activities) {
      const conversationId = activity.conversation?.id ?? context.activity.conversation?.id;
      if (!conversationId) throw new Error('ChatGatewayAdapter: the activity has no conversation id (the 8x8 conversation to post to)');
      await sendToGateway(this.options, conversationId, activity);
      // 8x8 answers a posted message with 202 and no id: give botbuilder a local one.
      responses.push({ id: activity.id ?? randomUUID() });
    }
    return responses;
  }

  /** 8x8 messages cannot be edited. */
  async updateActivity(): Promise<void> {
    throw new Error('ChatGatewayAdapter: 8x8 messages cannot be updated');
  }

  /** 8x8 messages cannot be deleted. */
  async deleteActivity(): Promise<void> {
    throw new Error('ChatGatewayAdapter: 8x8 messages cannot be deleted');
  }

  /** Runs `logic` in a proactive turn of the conversation `reference` points to. */
  async continueConversation(reference: Partial<ConversationReference>, logic: (context: TurnContext) => Promise<void>): Promise<void> {
    const activity = TurnContext.applyConversationReference({ type: 'event', name: 'ContinueConversation' }, reference, true);
    const context = this.contextFor(activity);
    await this.runMiddleware(context, logic);
  }

  /** Same as {@link continueConversation}; the app id is not needed (8x8 authenticates with the API key). */
  override async continueConversationAsync(
    _botAppIdOrIdentity: unknown,
    reference: Partial<ConversationReference>,
    logicOrAudience: ((context: TurnContext) => Promise<void>) | string,
    maybeLogic?: (context: TurnContext) => Promise<void>,
  ): Promise<void> {
    const logic = typeof logicOrAudience === 'function' ? logicOrAudience : maybeLogic;
    if (!logic) throw new TypeError('ChatGatewayAdapter.continueConversationAsync: logic is required');
    await this.continueConversation(reference, logic);
  }

  /** The conversation reference of an 8x8 conversation (what proactive messages need). */
  referenceFor(conversationId: string, customer?: { id: string; name?: string }): Partial<ConversationReference> {
    return {
      channelId: this.options.channelId,
      conversation: { id: conversationId, isGroup: false, conversationType: 'personal', name: '' },
      bot: { ...this.options.botAccount, role: 'bot' },
      user: customer ? { id: customer.id, name: customer.name ?? '', role: 'user' } : undefined,
      serviceUrl: '',
      locale: undefined,
    };
  }

  private customerActivity(conversationId: string, customer: ConversationMemory['customer'], partial: Partial<Activity>, timestamp?: number): Partial<Activity> {
    return {
      ...partial,
      type: partial.type ?? 'message',
      id: randomUUID(),
      timestamp: timestamp !== undefined ? new Date(timestamp) : new Date(),
      channelId: this.options.channelId,
      serviceUrl: '',
      from: { id: customer.id, name: customer.name ?? '', role: 'user' },
      recipient: { ...this.options.botAccount, role: 'bot' },
      conversation: { id: conversationId, isGroup: false, conversationType: 'personal', name: '' },
      ...(customer.language ? { locale: customer.language } : {}),
    };
  }

  private membersAdded(conversationId: string, customer: ConversationMemory['customer'], timestamp?: number): Partial<Activity> {
    return {
      ...this.customerActivity(conversationId, customer, { type: 'conversationUpdate' }, timestamp),
      membersAdded: [{ id: customer.id, name: customer.name ?? '' }],
    };
  }

  private contextFor(activity: Partial<Activity>): TurnContext {
    const context = new TurnContext(this, activity);
    const native: NativeConversation = { gatewayConversationId: activity.conversation!.id };
    const { afterAgent } = this.options;
    if (afterAgent !== 'nextMessage') {
      const { webhookId, maxTotalMinutes, userTimeoutInMinutes } = afterAgent.postAgentAssignment;
      const configuration = { ...(maxTotalMinutes ? { maxTotalMinutes } : {}), ...(userTimeoutInMinutes ? { userTimeoutInMinutes } : {}) };
      native.postAgentAssignment = { id: webhookId, type: 'webhook', ...(Object.keys(configuration).length ? { configuration } : {}) };
    }
    context.turnState.set(NATIVE_CONVERSATION_KEY, native);
    return context;
  }

  /** One customer turn: the middleware pipeline, then the bot (with 8x8's thinking indicator on while it works). */
  private async runTurn(activity: Partial<Activity>): Promise<void> {
    const context = this.contextFor(activity);
    const conversationId = activity.conversation!.id;
    try {
      await this.runMiddleware(context, async (ctx) => {
        // Reached only when the middleware lets the bot run (never while an agent has the conversation).
        if (this.options.thinking && activity.type === 'message') {
          await this.options.gateway.sendThinking(conversationId).catch((error: unknown) => this.report(error, 'thinking', conversationId));
        }
        await this.options.bot.run(ctx);
      });
    } catch (error) {
      this.report(error, 'turn', conversationId);
    }
  }

  private report(error: unknown, where: 'thinking' | 'turn', conversation?: string): void {
    try {
      this.options.onError(error, { where, conversation });
    } catch {
      // The error hook itself must never fail a webhook.
    }
  }
}

/** The customer's account: fixed by the first event that names it (so state keyed by it stays put), details filled in later. */
function mergeCustomer(known: ConversationMemory['customer'], seen: CustomerSeen, conversationId: string): ConversationMemory['customer'] {
  const id = known.id || seen.id || `8x8-customer-${conversationId}`;
  const name = known.name ?? seen.name;
  const language = known.language ?? seen.language;
  return { id, ...(name ? { name } : {}), ...(language ? { language } : {}) };
}
