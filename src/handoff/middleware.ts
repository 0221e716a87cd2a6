/**
 * `HandoffMiddleware`: add it to an existing bot (`adapter.use(handoff)`) to hand conversations to
 * 8x8 agents. In `bot` state the bot runs and the triggers watch; in a handoff state the bot does
 * not run and the user's messages go to the agent; agent messages come back through `webhook()`.
 *
 * Several bot instances may share one Storage (with eTags, e.g. `RedisStorage`): any instance can
 * take any webhook or turn, and a per-conversation relay lease makes exactly one deliver the agent
 * messages, once and in order (`instanceId`, `relayLeaseMs`). If 8x8 answers 404 for the handoff's
 * conversation, the handoff ends (`conversationLost`); other failures to reach 8x8 keep it and
 * tell the user (`notDelivered`). Proactive sends are paced per conversation by its channel's limits (`pacing`); a send
 * the connector throttles without Retry-After is retried, one it refuses (4xx) is dropped and
 * reported (`RelayDroppedError`), and any other waits for the conversation's next event or turn.
 */
import { TurnContext, type ConversationReference, type Middleware } from 'botbuilder';
import { ConfigurationError } from '../errors';
import type { EscalationRequest } from '../triggers';
import { expressWebhook, WebhookReceiver, type WebhookHttpHandler, type WebhookMeta } from '../webhook';
import type { ConversationEvent } from '../webhook/events';
import { BotTurnRunner } from './bot-turn';
import { ChannelPacer } from './channel-pacing';
import { realScheduler, sleep } from '../time';
import { filesRoute, type FilesHttpHandler } from './files-route';
import { DeadlineIndex } from './deadline-index';
import { DeadlineSweeper } from './deadline-sweeper';
import { userEnding } from './ending';
import { offerAnswer } from './offer';
import { Escalator, type EscalationOutcome } from './escalation';
import { conversationLost, isConversationGone, tellNotDelivered, type ForwardFailure } from './forward-failure';
import { classifyGatewayEvent } from './gateway-events';
import { KeyedQueue } from './keyed-queue';
import { nativeConversationOf, type NativeConversationHost } from './native-conversation';
import { HandoffCore } from './interpreter';
import { coreConfigOf } from './reduce';
import { hasDeadlines, resolveHandoffOptions, type HandoffErrorWhere, type HandoffMiddlewareOptions, type ResolvedHandoffOptions } from './options';
import type { ProactiveSender } from './ports';
import { AgentRelay } from './relay';
import { HandoffStore } from './store';
import { TurnLog, TURN_LOG_KEY } from './turn-log';
import { isHandoffActive, type HandoffRecord } from './types';
import { UserRelay } from './user-relay';
import { RecordWatcher } from '../observability/record-changes';

/** Options of {@link HandoffMiddleware.escalate}. */
export interface EscalateOptions {
  queueId?: string;
  reason?: string;
  properties?: Record<string, string>;
  language?: string;
}

/** Hands Bot Framework conversations to live agents in 8x8 Contact Center. */
export class HandoffMiddleware implements Middleware {
  /** The record store (private: the stored record format is not part of the API). */
  private readonly store: HandoffStore;
  private readonly options: ResolvedHandoffOptions;
  private readonly queue = new KeyedQueue();
  private readonly core: HandoffCore;
  private readonly relay: AgentRelay;
  private readonly userRelay: UserRelay;
  private readonly escalator: Escalator;
  private readonly botTurn: BotTurnRunner;
  private readonly sweeper?: DeadlineSweeper;
  private readonly inFlight = new Set<Promise<unknown>>();
  private receiver?: WebhookReceiver;
  private native?: NativeConversationHost;

  /** Throws a `ConfigurationError` naming the option and the fix when an option is wrong. */
  constructor(options: HandoffMiddlewareOptions) {
    const resolved = resolveHandoffOptions(options);
    // Proactive sends go to the adapter of the conversation's channel (see shareWebhookWith).
    this.options = { ...resolved, adapter: { continueConversationAsync: (appId, ref, logic) => this.senderFor(resolved.adapter, ref).continueConversationAsync(appId, ref, logic) } };
    const { storage, namespace, pacing } = this.options;
    // [observability] every committed record write is watched for starts, joins, ends and outbox changes.
    const watcher = new RecordWatcher(this.options.observer);
    // Deadlines (waiting room, maximum wait, inactivity) live in the records; the store keeps them in step with every change.
    const { deadlines, clock, scheduler } = this.options;
    const { maxEntries, maxBytes } = this.options.transcript;
    const timed = hasDeadlines(deadlines);
    const deadlineIndex = timed ? new DeadlineIndex(storage, namespace, clock) : undefined;
    const core = coreConfigOf(this.options);
    this.store = new HandoffStore(storage, {
      namespace,
      onError: (error, where) => this.report(error, where ?? 'store.link'),
      onWrite: (key, before, after) => watcher.changed(key, before, after),
      core,
      transcript: { maxEntries, maxBytes },
    });
    this.core = new HandoffCore(this.store, this.options, (work) => this.track(work), core);
    // One pacer per instance, keyed by bot conversation and limited by its channel: only the relay lease holder sends.
    // Pacing waits run on the injected scheduler, so fake time covers them too; with real timers the
    // pacer keeps its monotonic clock (a wall-clock jump must not open or shut a window). The store's
    // compare-and-set backoff (a few ms of jitter after a lost race) stays on real timers: on fake
    // time that nobody advances, two racing writes would wait for ever.
    const pacerTime = scheduler === realScheduler ? {} : { clock, sleep: (ms: number) => sleep(scheduler, Math.ceil(ms)) };
    this.relay = new AgentRelay(this.store, this.core, this.options, this.queue, { pacer: pacing ? new ChannelPacer(pacing, pacerTime) : undefined });
    this.userRelay = new UserRelay(this.store, this.core, this.options, this.queue);
    this.escalator = new Escalator(this.store, this.core, this.options, this.queue, this.relay, this.userRelay, (work) => this.track(work));
    this.botTurn = new BotTurnRunner(this.store, this.core, this.options, this.escalator, (error, where, conversation) => this.report(error, where, conversation));
    this.core.bind({
      created: (botKey, id, held, tail) => this.escalator.linkCreated(botKey, id, held, tail),
      drain: (botKey) => this.relay.drain(botKey),
      send: (botKey, item) => this.relay.send(botKey, item),
      retryDrain: (botKey, inMs) => this.relay.retryLater(botKey, inMs),
      dropped: (botKey, item) => this.relay.dropped(botKey, item),
      noteDeadline: deadlineIndex ? (botKey, dueAt) => deadlineIndex.note(botKey, dueAt) : undefined,
    });
    if (deadlineIndex) {
      this.sweeper = new DeadlineSweeper(this.options, { store: this.store, index: deadlineIndex, queueStats: this.options.waitingRoomStats, core: this.core });
      if (this.options.deadlineSweepMs !== false) this.sweeper.start(this.options.deadlineSweepMs);
    }
  }

  /**
   * Acts on every deadline due now (waiting-room updates, maximum wait, inactivity) in any
   * conversation of this Storage; resolves with how many conversations had one. The timer
   * (`deadlineSweepMs`) calls it; call it yourself with `deadlineSweepMs: false` (tests on fake time).
   */
  async sweepDeadlines(): Promise<number> {
    return this.sweeper ? this.sweeper.sweep() : 0;
  }

  /** The middleware hook botbuilder calls for every turn. */
  async onTurn(context: TurnContext, next: () => Promise<void>): Promise<void> {
    const { activity } = context;
    // Proactive turns (ours carry agent messages) run the whole pipeline: let them through untouched.
    if (activity.type === 'event' && activity.name === 'ContinueConversation') return next();
    const botKey = this.store.conversationKey(TurnContext.getConversationReference(activity));
    const log = new TurnLog((error) => this.report(error, 'transcript', botKey));
    context.turnState.set(TURN_LOG_KEY, log);
    let record: HandoffRecord | undefined;
    try {
      // The transcript head comes in the same read: a bot turn appends to it without reading it again.
      ({ record, transcript: log.transcriptRead } = await this.store.readForTurn(botKey));
    } catch (error) {
      // Without the store we cannot know the state: keep the bot answering.
      this.report(error, 'store', botKey);
      return next();
    }
    // Items a failed send left behind wait for the next event or turn, in any state.
    if (record?.outbox.length) await this.core.perform(botKey, [{ type: 'drain' }]);
    if (record && isHandoffActive(record.state)) {
      // In place, the customer writes to the agent on 8x8 itself: nothing to forward, the bot stays silent.
      if (record.inPlace || nativeConversationOf(context)) return;
      return this.handoffTurn(context, botKey, record);
    }
    // After a closed verdict with `leaveMessage`: the next message is for the team, not the bot.
    if (record?.awaitingMessage && activity.type === 'message' && record.awaitingMessage.until > this.options.clock()) {
      return this.escalator.leaveMessage(context, botKey, record);
    }
    await this.botTurn.run(context, botKey, record, log, next);
  }

  /** Escalates now, or at the end of the current turn when called from the bot's turn. */
  async escalate(context: TurnContext, options: EscalateOptions = {}): Promise<EscalationOutcome | 'deferred'> {
    const request: EscalationRequest = { trigger: 'explicit', reason: options.reason ?? 'explicit request', queueId: options.queueId, properties: options.properties, language: options.language };
    const log = TurnLog.of(context);
    if (log?.open) {
      log.requests.push(request);
      return 'deferred';
    }
    return this.escalator.start(context, this.store.conversationKey(TurnContext.getConversationReference(context.activity)), request);
  }

  /** The express handler for 8x8's webhook (`app.post('/api/8x8/webhook', handoff.webhook())`). */
  webhook(): WebhookHttpHandler {
    this.receiver ??= new WebhookReceiver({
      logger: this.options.logger,
      // 8x8 serves the keys that sign its webhooks on the Chat Gateway host itself, so the client's
      // configured host (e.g. the emulator) is the default; it comes from configuration, never the request.
      baseUrl: gatewayBaseUrl(this.options.gateway),
      ...this.options.webhook,
      onEvent: (event, meta) => this.handleGatewayEvent(event, meta),
    });
    const handler = expressWebhook(this.receiver);
    // [observability] webhook responses by status.
    const { observer } = this.options;
    if (!observer.webhookResult) return handler;
    return (req, res, next) => {
      res.once('finish', () => observer.webhookResult?.({ status: res.statusCode }));
      return handler(req, res, next);
    };
  }

  /**
   * The handler behind `fileLinks`: `app.get('/api/8x8/files/*path', handoff.files())`, mounted
   * where `fileLinks.baseUrl` points. It checks the link's signature and streams the file from 8x8
   * by id (files-route.ts). Throws a `ConfigurationError` without `fileLinks` or a gateway that can download.
   */
  files(): FilesHttpHandler {
    const { fileLinks, gateway } = this.options;
    if (!fileLinks) throw new ConfigurationError('fileLinks', 'is not set, so there are no file links to serve', 'Pass fileLinks: { baseUrl, secret } to HandoffMiddleware, with baseUrl pointing at this route.');
    const download = gateway.downloadAttachment?.bind(gateway);
    if (!download) throw new ConfigurationError('gateway', 'has no downloadAttachment, which handoff.files() needs', 'Pass a ChatGatewayClient as gateway.');
    return filesRoute({ links: fileLinks, download, onError: (error, conversationId) => this.report(error, 'files', conversationId) });
  }

  /**
   * Lets `host` (a `ChatGatewayAdapter`) serve, through this middleware's webhook route, the 8x8
   * conversations this middleware did not create (customers arriving on 8x8's own channels), and
   * sends proactive turns of its `channelId` through it. Escalations in those conversations hand
   * over in place (see native-conversation.ts). Returns this middleware.
   */
  shareWebhookWith(host: NativeConversationHost): this {
    if (!host || typeof host.processEvent !== 'function' || typeof host.ownsConversation !== 'function' || typeof host.channelId !== 'string') {
      throw new ConfigurationError('shareWebhookWith(host)', 'must be a ChatGatewayAdapter', 'Pass the ChatGatewayAdapter that serves your 8x8 channel customers.');
    }
    this.native = host;
    return this;
  }

  /** Records one verified 8x8 event (awaited before the webhook is acknowledged) and relays it afterwards. */
  async handleGatewayEvent(event: ConversationEvent, meta?: Pick<WebhookMeta, 'eventId'>): Promise<void> {
    const native = this.native;
    if (native && (await native.ownsConversation(event.conversationId, this.options.channelId, () => this.createdHere(native, event.conversationId)))) {
      return this.handleNativeEvent(native, event, meta);
    }
    // Acks first, relays next: the drain the reducer asks for runs after this 200 is written.
    await this.relay.record(event, meta?.eventId);
  }

  /**
   * Cancels scheduled relay retries, for a clean shutdown. Nothing is lost: undelivered items stay
   * in the records and are sent on the conversation's next event or turn.
   */
  dispose(): void {
    this.sweeper?.dispose();
    this.relay.dispose();
    this.escalator.dispose();
  }

  /** Resolves when every background task (create calls, relays) started so far has finished. */
  async whenIdle(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.all([...this.inFlight]);
    await this.queue.idle();
  }

  /**
   * True when this middleware (any instance sharing its storage) created the 8x8 conversation: it
   * is linked to a bot conversation. A handover in place links the native conversation to the
   * adapter's own record, and a tombstone names no bot conversation: neither makes it ours.
   */
  private async createdHere(native: NativeConversationHost, gatewayConversationId: string): Promise<boolean> {
    const link = await this.store.readLink(gatewayConversationId);
    if (!link?.botKey) return false;
    return link.botKey !== this.store.conversationKey({ channelId: native.channelId, conversation: { id: gatewayConversationId } as ConversationReference['conversation'] });
  }

  /**
   * An event of an 8x8-native conversation: the handoff record (keyed by the adapter's reference,
   * never by a link, since one conversation can be handed over many times) follows the lifecycle
   * first, so an agent's departure is known before the customer's next message runs the bot.
   */
  private async handleNativeEvent(native: NativeConversationHost, event: ConversationEvent, meta?: Pick<WebhookMeta, 'eventId'>): Promise<void> {
    if (classifyGatewayEvent(event, meta?.eventId).kind === 'lifecycle') {
      const botKey = this.store.conversationKey({ channelId: native.channelId, conversation: { id: event.conversationId } as ConversationReference['conversation'] });
      if (await this.store.read(botKey)) await this.queue.run(`8x8:${event.conversationId}`, () => this.relay.apply(botKey, event, meta?.eventId));
    }
    await native.processEvent(event, meta);
  }

  private senderFor(fallback: ProactiveSender, reference: Partial<ConversationReference>): ProactiveSender {
    return this.native && reference.channelId === this.native.channelId ? this.native : fallback;
  }

  private async handoffTurn(context: TurnContext, botKey: string, record: HandoffRecord): Promise<void> {
    const reason = userEnding(context.activity, this.options.cancelPhrases, record.locale);
    if (reason) {
      await this.escalator.applyInTurn(context, botKey, { type: 'userEnded', reason });
      return;
    }
    const { type } = context.activity;
    if (type !== 'message' && type !== 'typing') return;
    const answer = record.offer ? offerAnswer(context.activity, this.options.messages, record.locale) : undefined;
    if (answer) {
      await this.escalator.applyInTurn(context, botKey, { type: 'offerAnswered', answer });
      return;
    }
    if (type === 'message' && this.options.deadlines.remindAfterMs !== undefined) await this.noteUserActive(botKey);
    try {
      const failure = await this.userRelay.forward(botKey, context.activity);
      if (failure) await this.forwardFailed(context, botKey, record, failure);
    } catch (error) {
      this.report(error, 'forward', botKey);
    }
  }

  /** The customer wrote: the inactivity count starts again (one record write; see deadlines.ts). */
  private async noteUserActive(botKey: string): Promise<void> {
    try {
      await this.core.apply(botKey, { type: 'userActive', now: this.options.clock() });
    } catch (error) {
      this.report(error, 'deadlines', botKey);
    }
  }

  /** A 404 ends the handoff (8x8 lost the conversation); other failures keep it and tell the user (see forward-failure.ts). */
  private async forwardFailed(context: TurnContext, botKey: string, record: HandoffRecord, failure: ForwardFailure): Promise<void> {
    this.report(failure.error, 'forward', botKey);
    if (isConversationGone(failure.error)) {
      await this.escalator.applyInTurn(context, botKey, conversationLost(failure.gatewayConversationId, failure.error));
      return;
    }
    await tellNotDelivered(context, context.activity, this.options.messages, record.locale);
  }

  private track(work: Promise<unknown>): void {
    const guarded = work.catch((error: unknown) => this.report(error, 'background'));
    this.inFlight.add(guarded);
    void guarded.finally(() => this.inFlight.delete(guarded));
  }

  private report(error: unknown, where: HandoffErrorWhere, conversation?: string): void {
    try {
      this.options.onError(error, { where, conversation });
    } catch {
      // The error hook itself must never break a turn.
    }
  }
}

/** The host of a `ChatGatewayClient` (undefined for other gateway ports: the receiver then uses 8x8's). */
function gatewayBaseUrl(gateway: unknown): string | undefined {
  const baseUrl = (gateway as { baseUrl?: unknown }).baseUrl;
  return typeof baseUrl === 'string' && baseUrl !== '' ? baseUrl : undefined;
}
