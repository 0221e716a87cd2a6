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
import type { KeyedQueue } from './keyed-queue';
import { nativeConversationOf, rerouteInPlace, type NativeConversation, type RerouteGateway } from './native-conversation';
import { isOutcomeUnknown, OrphanSweeper } from './orphan-sweep';
import { splitHistoryAtFirstFile, type HistoryTail } from './history-tail';
import type { ResolvedHandoffOptions } from './options';
import type { AgentRelay } from './relay';
import type { HandoffStore } from './store';
import { userEnding } from './ending';
import type { CoreEffect, Reduction } from './effects';
import type { HandoffCore } from './interpreter';
import type { HandoffRecord, HeldActivity, LastInteraction, LifecycleEvent } from './types';
import { UserRelay } from './user-relay';
import { entriesSince } from './reopen';

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
    private readonly core: HandoffCore,
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
      return result.effects.some((e) => e.type === 'ignored') ? 'alreadyActive' : 'unavailable';
    }
    const resolved = options.userResolver ? await options.userResolver(context) : undefined;
    const user = buildConversationUser(context, { properties: routed.properties, language: routed.language ?? request.language }, resolved);
    const handoffId = options.newId();
    const event: LifecycleEvent = {
      type: 'escalate',
      start: { handoffId, request: { trigger: request.trigger, reason: request.reason, queueId: routed.queueId }, now: options.clock() },
    };
    const native = nativeConversationOf(context);
    // The reducer's `create` effect runs this after the turn (tracked by the interpreter).
    const job = (effect: Extract<CoreEffect, { type: 'create' }>) => {
      const created: CreateJob = { botKey, handoffId, queueId: effect.queueId, user, transcript: request.transcript };
      return native ? this.reroute(created, native) : this.create({ ...created, reopen: effect.reopen });
    };
    const result = await this.core.apply(botKey, { type: 'lifecycle', now: options.clock(), event, inTurn: true }, { context, job });
    if (result.effects.some((e) => e.type === 'create')) return 'started';
    return result.record.state === 'bot' ? 'cooldown' : 'alreadyActive';
  }

  /**
   * Applies a lifecycle event in a user's turn: notices are replies in the turn, customer-leave is
   * called at once, status reports go through the outbox.
   */
  applyInTurn(context: TurnContext, botKey: string, event: LifecycleEvent): Promise<Reduction> {
    return this.core.apply(botKey, { type: 'lifecycle', now: this.options.clock(), event, inTurn: true }, { context });
  }

  /**
   * The user's message after a closed verdict with `leaveMessage`: claims the offer (one compare-
   * and-set, so a second instance or a duplicate turn leaves nothing twice), then creates a
   * conversation in the configured queue with the transcript, this message and the note as history.
   * The conversation stays queued for the next agent; the bot keeps the user. A cancel phrase skips it.
   */
  async leaveMessage(context: TurnContext, botKey: string, record: HandoffRecord): Promise<void> {
    const offer = this.options.leaveMessage;
    const claimed = await this.core.apply(botKey, { type: 'lifecycle', now: this.options.clock(), event: { type: 'messageTaken' } });
    if (!offer || claimed.effects.some((e) => e.type === 'ignored')) return; // another turn or instance took it
    if (userEnding(context.activity, this.options.cancelPhrases, record.locale)) return this.core.perform(botKey, [{ type: 'reply', key: 'messageNotLeft' }], { context, locale: record.locale });
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
      await this.core.perform(botKey, [{ type: 'reply', key: 'messageLeft' }], { context, locale: record.locale });
    } catch (error) {
      this.options.onError(error, { where: 'leaveMessage', conversation: botKey });
      await this.core.perform(botKey, [{ type: 'reply', key: 'failed' }], { context, locale: record.locale });
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
      await this.core.apply(botKey, { type: 'retireLink', now: this.options.clock(), gatewayConversationId: id });
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
      await this.core.apply(job.botKey, { type: 'handOverInPlace', now: this.options.clock() });
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
    await this.core.apply(job.botKey, { type: 'lifecycle', now: options.clock(), event: failed }, { drain: 'await' });
  }

  /** Cancels scheduled orphan sweeps (shutdown). */
  dispose(): void {
    this.sweeper.dispose();
  }

  /**
   * After the 202 (or a reopen): the create result goes through the reducer in the user's queue
   * (so messages typed meanwhile are either held and flushed here, or forwarded after); its
   * `created` effect runs {@link linkCreated}. A handoff abandoned meanwhile gets a customer-leave
   * and a tombstone from the reducer instead.
   */
  private async completed(job: CreateJob, conversationId: string, tail: HistoryTail, reopened = false): Promise<void> {
    const succeeded: LifecycleEvent = { type: 'createSucceeded', handoffId: job.handoffId, gatewayConversationId: conversationId, reopened };
    await this.queue.run(UserRelay.queueKey(job.botKey), () => this.core.apply(job.botKey, { type: 'lifecycle', now: this.options.clock(), event: succeeded }, { tail }));
  }

  /** The `created` effect: link, replay the webhooks that came before the link, post the history from its first file on, send held messages. */
  async linkCreated(botKey: string, conversationId: string, held: HeldActivity[], tail: HistoryTail | undefined): Promise<void> {
    await this.queue.run(`8x8:${conversationId}`, async () => {
      for (const early of await this.store.link(conversationId, botKey)) await this.relay.apply(botKey, early.event, early.eventId);
    });
    if (tail) await this.postTail(botKey, conversationId, tail);
    for (const activity of held) {
      await this.userRelay.send(conversationId, activity).catch((error: unknown) => this.options.onError(error, { where: 'forward', conversation: botKey }));
    }
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

}

function describe(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}
