/**
 * Escalation: from a trigger's request to a queued 8x8 conversation. The decision is taken in the
 * user's turn (confirm hook, routing, one compare-and-set from `bot` to `escalating`, so there is
 * never a double escalation); the create call runs after the turn, and its outcome reaches the
 * user and the bot through the outbox.
 */
import type { Activity, TurnContext } from 'botbuilder';
import { routeEscalation } from '../config';
import { HandoffError } from '../errors';
import type { ConversationUser, CreateConversationRequest, SendMessageRequest } from '../gateway/types';
import { buildHistory, transcriptFromActivities, type TranscriptEntry } from '../transcript';
import type { EscalationRequest } from '../triggers';
import { closedVerdict, unavailableEvent } from './availability-gate';
import { buildConversationUser } from './conversation-user';
import { isConversationGone } from './forward-failure';
import type { KeyedQueue } from './keyed-queue';
import { nativeConversationOf, rerouteInPlace, type NativeConversation, type RerouteGateway } from './native-conversation';
import { isOutcomeUnknown, OrphanSweeper } from './orphan-sweep';
import { renderNotice } from './notices';
import { splitHistoryAtFirstFile, type HistoryTail } from './history-tail';
import type { ResolvedHandoffOptions } from './options';
import { effectsToOutbox, type AgentRelay } from './relay';
import type { HandoffStore } from './store';
import { userEnding } from './ending';
import type { HandoffEffect, HandoffRecord, LastInteraction, LifecycleEvent, NoticeKey, TransitionResult } from './types';
import { UserRelay } from './user-relay';
import { entriesSince, reopenable } from './reopen';

/** What became of an escalation request. */
export type EscalationOutcome = 'started' | 'alreadyActive' | 'cooldown' | 'vetoed' | 'unavailable';

/** One create call to run after the turn. */
interface CreateJob {
  botKey: string;
  handoffId: string;
  queueId: string;
  user: ConversationUser;
  transcript?: Array<Partial<Activity>>;
  /** An ended 8x8 conversation of this user to reopen instead of creating one (reopen.ts). */
  reopen?: LastInteraction;
}

/** Starts escalations and completes them when the create call returns. */
export class Escalator {
  private readonly sweeper: OrphanSweeper;

  constructor(
    private readonly store: HandoffStore,
    private readonly options: ResolvedHandoffOptions,
    private readonly queue: KeyedQueue,
    private readonly relay: AgentRelay,
    private readonly userRelay: UserRelay,
    private readonly track: (work: Promise<unknown>) => void,
  ) {
    this.sweeper = new OrphanSweeper(store, options, track);
  }

  /** Asks the `confirm` hook (true when there is none). */
  async confirmed(context: TurnContext, request: EscalationRequest): Promise<boolean> {
    return !this.options.confirm || (await this.options.confirm(context, request));
  }

  /**
   * Decides in the turn; the create call itself runs in the background. `alreadyConfirmed` skips
   * the `confirm` hook when the caller asked it already.
   */
  async start(context: TurnContext, botKey: string, request: EscalationRequest, alreadyConfirmed = false): Promise<EscalationOutcome> {
    const { options } = this;
    if (!alreadyConfirmed && !(await this.confirmed(context, request))) return 'vetoed';
    const routed = routeEscalation(request, options.config?.routing ?? [], { queueId: options.queueId });
    const closed = await closedVerdict(options, routed.queueId, botKey);
    if (closed) {
      const offer = options.leaveMessage ? { queueId: options.leaveMessage.queueId, until: options.clock() + options.leaveMessage.windowSeconds * 1000 } : undefined;
      const result = await this.applyInTurn(context, botKey, { ...unavailableEvent(closed, context.activity.locale), leaveMessage: offer });
      return result.effects.some((e) => e.type === 'status') ? 'unavailable' : 'alreadyActive';
    }
    const resolved = options.userResolver ? await options.userResolver(context) : undefined;
    const user = buildConversationUser(context, { properties: routed.properties, language: routed.language ?? request.language }, resolved);
    const handoffId = options.newId();
    const event: LifecycleEvent = {
      type: 'escalate',
      start: { handoffId, request: { trigger: request.trigger, reason: request.reason, queueId: routed.queueId }, now: options.clock() },
    };
    const result = await this.applyInTurn(context, botKey, event);
    if (result.effects.some((e) => e.type === 'createConversation')) {
      const native = nativeConversationOf(context);
      const reopen = native ? undefined : reopenable(result.record, routed.queueId, options.clock(), options.reopenWindowMs);
      const job: CreateJob = { botKey, handoffId, queueId: routed.queueId, user, transcript: request.transcript, reopen };
      this.track(native ? this.reroute(job, native) : this.create(job));
      return 'started';
    }
    return result.record.state === 'bot' ? 'cooldown' : 'alreadyActive';
  }

  /**
   * Applies a lifecycle event in a user's turn: notices go to the user right away in the turn,
   * status reports go through the outbox, `removeUser` is called.
   */
  async applyInTurn(context: TurnContext, botKey: string, event: LifecycleEvent): Promise<TransitionResult> {
    const result = await this.store.apply(botKey, event, (r) => this.withStatusItems(r));
    for (const effect of result.effects) {
      if (effect.type === 'notify') await this.notify(context, effect.key, result.record.locale, effect.params);
      if (effect.type === 'removeUser') await this.removeUser(botKey, effect.gatewayConversationId);
    }
    if (result.record.outbox.length) this.track(this.relay.drain(botKey));
    return result;
  }

  /**
   * The user's message after a closed verdict with `leaveMessage`: claims the offer (one compare-
   * and-set, so a second instance or a duplicate turn leaves nothing twice), then creates a
   * conversation in the configured queue with the transcript, this message and the note as history.
   * The conversation stays queued for the next agent; the bot keeps the user. A cancel phrase skips it.
   */
  async leaveMessage(context: TurnContext, botKey: string, record: HandoffRecord): Promise<void> {
    const offer = this.options.leaveMessage;
    const claimed = await this.store.apply(botKey, { type: 'messageTaken' });
    if (!offer || claimed.effects.some((e) => e.type === 'ignored')) return; // another turn or instance took it
    if (userEnding(context.activity, this.options.cancelPhrases, record.locale)) return this.notify(context, 'messageNotLeft', record.locale);
    try {
      const resolved = this.options.userResolver ? await this.options.userResolver(context) : undefined;
      const user = buildConversationUser(context, { properties: { LeftMessage: 'true' } }, resolved);
      const entries = [...(await this.transcriptOf(botKey)), ...transcriptFromActivities([context.activity])];
      const history = await this.historyOf(entries);
      const note: SendMessageRequest = { authorType: 'bot', text: offer.note };
      // Files cannot ride in history: the part from the first file on is posted after the create, then the note.
      const split = splitHistoryAtFirstFile([...history.messages, note], history.files);
      const body: CreateConversationRequest = { channelId: this.options.channelId, user, assignment: { type: 'queue', id: offer.queueId }, history: { messages: split.history } };
      const { conversationId } = await this.options.gateway.createConversation(body);
      await this.postTail(botKey, conversationId, split.tail);
      await this.notify(context, 'messageLeft', record.locale);
    } catch (error) {
      this.options.onError(error, { where: 'leaveMessage', conversation: botKey });
      await this.notify(context, 'failed', record.locale);
    }
  }

  /** The recorded transcript of a conversation. */
  private transcriptOf(botKey: string): Promise<TranscriptEntry[]> {
    return this.store.readTranscript(botKey);
  }

  /** The 8x8 history of transcript entries, within the configured limits. */
  private historyOf(entries: readonly TranscriptEntry[]): ReturnType<typeof buildHistory> {
    const { options } = this;
    return buildHistory(entries, {
      maxMessages: options.transcript.maxHistoryMessages,
      maxAttachmentBytes: options.transcript.maxAttachmentBytes,
      fetchAttachment: options.fetchAttachment,
      redact: options.redact,
      cardVersion: options.adaptiveCardVersion,
    });
  }

  private async create(job: CreateJob): Promise<void> {
    const { options } = this;
    if (job.reopen && (await this.reopen(job, job.reopen))) return;
    let conversationId: string;
    let tail: HistoryTail = { messages: [], files: [] };
    try {
      const entries = job.transcript?.length ? transcriptFromActivities(job.transcript) : await this.transcriptOf(job.botKey);
      const history = await this.historyOf(entries);
      const split = splitHistoryAtFirstFile(history.messages, history.files);
      tail = split.tail;
      const body: CreateConversationRequest = { channelId: options.channelId, user: job.user, assignment: { type: 'queue', id: job.queueId } };
      if (split.history.length) body.history = { messages: split.history };
      conversationId = (await options.gateway.createConversation(body)).conversationId;
    } catch (error) {
      if (isOutcomeUnknown(error)) this.sweeper.schedule(job.botKey, job.user.userId);
      return this.failed(job, error);
    }
    await this.registerHandBack(job.botKey, conversationId);
    await this.completed(job, conversationId, tail);
  }

  /**
   * `postAgentAssignment`: asks 8x8, right after the 202 (or a reopen), to route the conversation back to the
   * bot's webhook when the agent finishes. A refusal is reported and does not fail the handoff.
   */
  private async registerHandBack(botKey: string, conversationId: string): Promise<void> {
    const request = this.options.postAgentAssignment;
    if (!request || !this.options.gateway.postAgentAssignment) return;
    await this.options.gateway.postAgentAssignment(conversationId, request).catch((error: unknown) => {
      this.options.onError(error, { where: 'escalation.postAgentAssignment', conversation: botKey });
    });
  }

  /**
   * Reopens the user's last 8x8 conversation: its tombstone becomes a fresh link (early webhooks
   * wait in it as after a create), and the turns since the end are posted there in order, each
   * with its author; the first user message re-queues it at 8x8. False when there is nothing of
   * the user's to post, or 8x8 refuses the first message: the caller then creates a new conversation.
   */
  private async reopen(job: CreateJob, last: LastInteraction): Promise<boolean> {
    const { botKey } = job;
    const id = last.gatewayConversationId;
    let split: ReturnType<typeof splitHistoryAtFirstFile>;
    try {
      const entries = entriesSince(await this.transcriptOf(botKey), last.endedAt);
      if (!entries.some((e) => e.direction === 'in')) return false;
      const history = await this.historyOf(entries);
      split = splitHistoryAtFirstFile(history.messages, history.files);
    } catch (error) {
      this.options.onError(error, { where: 'escalation.reopen', conversation: botKey });
      return false;
    }
    await this.store.reopenLink(id);
    this.relay.forget(id);
    const [first, ...rest] = split.history;
    try {
      if (first) await this.options.gateway.sendMessage(id, first);
      else await this.postTailOrThrow(id, split.tail);
    } catch (error) {
      // 8x8 refuses (the conversation is gone, or cannot be reopened): a new conversation it is.
      this.options.onError(error, { where: 'escalation.reopen', conversation: botKey });
      await this.store.retireLink(botKey, id);
      return false;
    }
    for (const message of rest) {
      await this.options.gateway.sendMessage(id, message).catch((error: unknown) => this.options.onError(error, { where: 'escalation.history', conversation: botKey }));
    }
    this.options.logger.info({ conversation: botKey, gatewayConversationId: id }, 'handoff: reopened the last 8x8 conversation');
    // A new interaction: the previous hand-back was used up when its agent left.
    await this.registerHandBack(botKey, id);
    await this.completed(job, id, split.tail, true);
    return true;
  }

  /** Posts a history tail whose first message must go through (its failure is thrown); the rest as {@link postTail}. */
  private async postTailOrThrow(conversationId: string, tail: HistoryTail): Promise<void> {
    const [head] = tail.messages;
    if (!head) throw new HandoffError('E_REOPEN_EMPTY', 'nothing to post to reopen the conversation');
    const files = tail.files.filter((f) => f.historyIndex === 0);
    const attachments = await this.userRelay.upload(conversationId, files, head.authorType);
    await this.options.gateway.sendMessage(conversationId, attachments.length ? { ...head, attachments } : head);
    // The rest is posted by `completed` (as any tail), from the second message on.
    tail.messages.splice(0, 1);
    tail.files = tail.files.filter((f) => f.historyIndex !== 0).map((f) => ({ ...f, historyIndex: f.historyIndex - 1 }));
  }

  /** Handover in place (native-conversation.ts): the 8x8-native conversation itself goes to the queue. */
  private async reroute(job: CreateJob, native: NativeConversation): Promise<void> {
    try {
      await this.store.update(job.botKey, (r) => ({ value: r.inPlace ? r : { ...r, inPlace: true }, result: undefined }));
      const { postAgentAssignmentError } = await rerouteInPlace(this.options.gateway as RerouteGateway, native, job.queueId, job.user);
      if (postAgentAssignmentError) this.options.onError(postAgentAssignmentError, { where: 'escalation.postAgentAssignment', conversation: job.botKey });
    } catch (error) {
      return this.failed(job, error);
    }
    await this.completed(job, native.gatewayConversationId, { messages: [], files: [] });
  }

  /** The create (or re-route) call failed: back to the bot with a cooldown; held messages go back to it. */
  private async failed(job: CreateJob, error: unknown): Promise<void> {
    const { options } = this;
    options.onError(error, { where: 'escalation', conversation: job.botKey });
    const failed: LifecycleEvent = { type: 'createFailed', handoffId: job.handoffId, reason: describe(error), now: options.clock(), cooldownMs: options.cooldownMs };
    const result = await this.store.apply(job.botKey, failed, (r) => this.withAllItems(r));
    this.reportUnanswered(job.botKey, result.effects);
    await this.relay.drain(job.botKey);
  }

  /** Cancels scheduled orphan sweeps (shutdown). */
  dispose(): void {
    this.sweeper.dispose();
  }

  /** After the 202: link, replay early webhooks, post the history from its first file on, flush held messages, relay. */
  private async completed(job: CreateJob, conversationId: string, tail: HistoryTail, reopened = false): Promise<void> {
    const { botKey } = job;
    await this.queue.run(UserRelay.queueKey(botKey), async () => {
      const succeeded: LifecycleEvent = { type: 'createSucceeded', handoffId: job.handoffId, gatewayConversationId: conversationId, reopened };
      const result = await this.store.apply(botKey, succeeded, (r) => this.withAllItems(r));
      const flush = result.effects.find((e): e is Extract<HandoffEffect, { type: 'flushHeld' }> => e.type === 'flushHeld');
      if (!flush) {
        // The user cancelled (or escalated anew) while this create call ran: nobody uses this conversation.
        // The transition's removeUser became a `leave` item: the drain below leaves the conversation.
        await this.store.retireLink(botKey, conversationId);
        return;
      }
      await this.queue.run(`8x8:${conversationId}`, async () => {
        for (const early of await this.store.link(conversationId, botKey)) await this.relay.apply(botKey, early.event, early.eventId);
      });
      await this.postTail(botKey, conversationId, tail);
      for (const held of flush.activities) {
        await this.userRelay.send(conversationId, held).catch((error: unknown) => this.options.onError(error, { where: 'forward', conversation: botKey }));
      }
    });
    await this.relay.drain(botKey);
  }

  /**
   * History cannot reference uploads (REFERENCE.md 6.16), so the history from its first file on is
   * posted right after the 202, before any agent joins: each message with its own author, its files
   * uploaded with that author and attached to it, in the transcript's order. A file that fails to
   * upload leaves its message with the text that describes it; one failed message does not stop the rest.
   */
  private async postTail(botKey: string, conversationId: string, tail: HistoryTail): Promise<void> {
    for (const [index, message] of tail.messages.entries()) {
      try {
        const files = tail.files.filter((f) => f.historyIndex === index);
        const attachments = await this.userRelay.upload(conversationId, files, message.authorType).catch((error: unknown) => {
          this.options.onError(error, { where: 'escalation.files', conversation: botKey });
          return [];
        });
        await this.options.gateway.sendMessage(conversationId, attachments.length ? { ...message, attachments } : message);
      } catch (error) {
        this.options.onError(error, { where: 'escalation.history', conversation: botKey });
      }
    }
  }

  /** Sends a notice in the turn; an empty configured text sends nothing. */
  private async notify(context: TurnContext, key: NoticeKey, locale?: string, params?: Record<string, string>): Promise<void> {
    const text = renderNotice(this.options.messages, key, locale, params);
    if (text) await context.sendActivity(text);
  }

  /** Leaves the 8x8 conversation. A 404 means 8x8 no longer has it: already ended, nothing to report. */
  private async removeUser(botKey: string, conversationId: string): Promise<void> {
    await this.options.gateway.removeUser(conversationId).catch((error: unknown) => {
      if (!isConversationGone(error)) this.options.onError(error, { where: 'removeUser', conversation: botKey });
    });
  }

  private withStatusItems(result: TransitionResult) {
    const items = effectsToOutbox(result.effects.filter((e) => e.type === 'status'), this.options.newId, this.options.clock());
    return items.length ? { ...result.record, outbox: [...result.record.outbox, ...items] } : result.record;
  }

  /**
   * Messages held during a failed create go back to the bot through the outbox (after the `failed`
   * status). Without a `bot` nobody can answer them: say so once.
   */
  private reportUnanswered(botKey: string, effects: HandoffEffect[]): void {
    const returned = effects.find((e): e is Extract<HandoffEffect, { type: 'returnHeld' }> => e.type === 'returnHeld');
    if (!returned || this.options.bot) return;
    const count = returned.activities.length;
    const error = new HandoffError('E_HELD_UNANSWERED', `${count} message(s) the user typed while the 8x8 create call was in flight went unanswered: pass \`bot\` to HandoffMiddleware so they are given back to it.`);
    this.options.onError(error, { where: 'escalation.held', conversation: botKey });
  }

  private withAllItems(result: TransitionResult) {
    // Held messages can only be given back to a bot.
    const effects = this.options.bot ? result.effects : result.effects.filter((e) => e.type !== 'returnHeld');
    const items = effectsToOutbox(effects, this.options.newId, this.options.clock());
    return items.length ? { ...result.record, outbox: [...result.record.outbox, ...items] } : result.record;
  }
}

function describe(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}
