/**
 * The conversation lifecycle as the API side sees it: create, update, messages from the user or
 * bot, typing, the user leaving, reopening. Every change is stored, its webhook events queued in
 * order, and listeners told. Agent-side actions live in agent-actions.ts and use the helpers here.
 */
import type { Assignment, Card, ConversationUser, CreateConversationRequest, SendMessageRequest } from '../../gateway/types';
import type { ChangeHub } from '../changes';
import type { WebhookDispatcher } from '../delivery/webhook-dispatcher';
import type { IdFactory } from '../ids';
import type { EmulatorClock, EmulatorQueue } from '../options';
import type { EmulatorStore, StoredAttachment, StoredConversation, StoredMessage } from '../store';
import type { TimerSet } from '../timers';
import { conversationUpdateData, membersChangedData, messageData, queuedData } from './event-data';
import type { FileLinks } from './file-links';

/** What the engine needs, passed in by the emulator. */
export interface EngineDeps {
  store: EmulatorStore;
  dispatcher: WebhookDispatcher;
  changes: ChangeHub;
  ids: IdFactory;
  clock: EmulatorClock;
  timers: TimerSet;
  queues: EmulatorQueue[];
  tenantId: string;
  fileLinks: FileLinks;
  /** Channels whose conversations go to the bot's webhook first (the web widget's). */
  botChannelIds?: string[];
}

/** How long a typing signal from the API shows in the console. */
const TYPING_SHOWN_MS = 5000;

/** The conversation rules shared by the API routes and the agent actions. */
export class ConversationEngine {
  private readonly typingTimers = new Map<string, NodeJS.Timeout>();

  constructor(readonly deps: EngineDeps) {}

  /** The queue with this id, if the emulator serves it. */
  queue(id: string): EmulatorQueue | undefined {
    return this.deps.queues.find((q) => q.id === id);
  }

  /** Current time as ISO text. */
  isoNow(): string {
    return new Date(this.deps.clock.now()).toISOString();
  }

  /**
   * Creates a validated conversation in `queueId`, stores its history and queues it. With a
   * `scriptId` the created event shows the script assignment; the script then routes to `queueId`.
   */
  create(request: CreateConversationRequest, queueId: string, scriptId?: string): StoredConversation {
    const conversation: StoredConversation = {
      id: this.deps.ids.next(22),
      channelId: request.channelId,
      state: 'created',
      status: 'queued',
      assignment: scriptId !== undefined ? { type: 'script', id: scriptId } : { type: 'queue', id: queueId },
      queueId,
      user: structuredClone(request.user),
      userLeft: false,
      userTyping: false,
      messages: [],
      participants: [],
      interactions: [],
      createdAt: this.isoNow(),
    };
    this.deps.store.join(conversation, { id: 'user', type: 'user', language: request.user.language });
    for (const item of request.history?.messages ?? []) this.addMessage(conversation, { ...messageFields(item, this.deps.ids), fromHistory: true });
    // Published only once complete: waiters (waitForConversation, the console) never see half a history.
    this.deps.store.conversations.set(conversation.id, conversation);
    this.emit(conversation, 'CONVERSATION_UPDATE', conversationUpdateData(conversation));
    this.enterQueue(conversation, queueId);
    return conversation;
  }

  /** Applies PUT/PATCH changes; a queue change while queued re-queues there. */
  update(conversation: StoredConversation, change: { user?: ConversationUser; assignment?: Assignment; channelId?: string }): void {
    if (change.user) conversation.user = structuredClone(change.user);
    if (change.channelId) conversation.channelId = change.channelId;
    const newQueue = change.assignment?.type !== 'script' ? change.assignment?.id : undefined;
    if (change.assignment && !newQueue) conversation.assignment = { type: change.assignment.type, id: change.assignment.id };
    this.emit(conversation, 'CONVERSATION_UPDATE', conversationUpdateData(conversation));
    // The bot hands its conversation over: it joins the queue, within the interaction the bot had.
    if (newQueue && conversation.status === 'bot') this.enterQueue(conversation, newQueue, false);
    else if (newQueue && conversation.status === 'queued' && newQueue !== conversation.queueId) this.enterQueue(conversation, newQueue, false);
    else if (newQueue && conversation.status !== 'assigned') conversation.queueId = newQueue;
    this.deps.changes.notify();
  }

  /** A message written through the API (user or bot), echoed back; a user message reopens an ended conversation. */
  postMessage(conversation: StoredConversation, payload: SendMessageRequest): StoredMessage {
    if (payload.authorType === 'user') {
      this.stopUserTyping(conversation);
      if (conversation.status === 'ended') this.reopen(conversation);
    } else {
      this.deps.store.join(conversation, { id: 'bot', type: 'bot' });
    }
    const message = this.addMessage(conversation, { ...messageFields(payload, this.deps.ids), fromHistory: false });
    this.emitMessage(conversation, message, true);
    return message;
  }

  /** Shows the user (or bot) as typing in the console for a few seconds. */
  userTyping(conversation: StoredConversation): void {
    this.deps.timers.cancel(this.typingTimers.get(conversation.id));
    conversation.userTyping = true;
    this.typingTimers.set(conversation.id, this.deps.timers.schedule(() => this.stopUserTyping(conversation), TYPING_SHOWN_MS));
    this.deps.changes.notify();
  }

  /** The user left (`PATCH participants/user {removed: true}`): the agent is released and the interaction ends. */
  userLeave(conversation: StoredConversation): void {
    if (conversation.userLeft) return;
    conversation.userLeft = true;
    this.stopUserTyping(conversation);
    this.deps.store.leave(conversation, 'user', 'user');
    this.emit(conversation, 'MEMBERS_CHANGED', membersChangedData('user', 'left', 'user'));
    this.finish(conversation);
  }

  /** Ends the current interaction: the agent (if any) leaves, the state becomes idle. */
  finish(conversation: StoredConversation): void {
    if (conversation.agentId) {
      this.deps.store.leave(conversation, conversation.agentId, 'agent');
      this.emit(conversation, 'MEMBERS_CHANGED', membersChangedData('agent', 'left', conversation.agentId));
      conversation.agentId = undefined;
    }
    if (conversation.postAgentAssignment && conversation.status === 'assigned' && !conversation.userLeft) {
      // Post-agent assignment: the conversation goes back to the webhook (the bot) instead of ending.
      // The emulator's own reading: REFERENCE.md 3.5 documents the request, not the events that follow
      // (here a CONVERSATION_UPDATE with a `script` assignment; maxTotalMinutes/userTimeoutInMinutes are not run).
      this.toBot(conversation, false);
      return;
    }
    if (conversation.status !== 'ended') {
      conversation.status = 'ended';
      conversation.state = 'idle';
      conversation.assignment = { type: 'queue', id: conversation.queueId };
      const current = conversation.interactions.at(-1);
      if (current && !current.endTime) current.endTime = this.isoNow();
      this.emit(conversation, 'CONVERSATION_UPDATE', conversationUpdateData(conversation));
    }
    this.deps.changes.notify();
  }

  /** Puts the conversation in a queue: a new interaction when `newInteraction`, state active, QUEUED. */
  enterQueue(conversation: StoredConversation, queueId: string, newInteraction = true): void {
    const queue = this.queue(queueId) ?? { id: queueId, name: queueId };
    conversation.queueId = queue.id;
    conversation.status = 'queued';
    conversation.assignment = { type: 'queue', id: queue.id };
    if (newInteraction) {
      conversation.interactions.push({ id: `int-${this.deps.ids.next(22)}-chat-00-${this.deps.tenantId}`, startTime: this.isoNow() });
      conversation.state = 'active';
      this.emit(conversation, 'CONVERSATION_UPDATE', conversationUpdateData(conversation));
    }
    this.emit(conversation, 'QUEUED', queuedData(queue));
    this.deps.changes.notify();
  }

  /** Stores a message. */
  addMessage(conversation: StoredConversation, fields: Omit<StoredMessage, 'id' | 'createdAt'>): StoredMessage {
    const message: StoredMessage = { id: this.deps.ids.next(22), createdAt: this.isoNow(), ...fields };
    conversation.messages.push(message);
    this.deps.changes.notify();
    return message;
  }

  /** Stores an uploaded file. */
  addAttachment(conversation: StoredConversation, file: Omit<StoredAttachment, 'id' | 'createdAt' | 'conversationId'>): StoredAttachment {
    const attachment: StoredAttachment = { id: this.deps.ids.next(86), conversationId: conversation.id, createdAt: this.isoNow(), ...file };
    this.deps.store.attachments.set(attachment.id, attachment);
    this.deps.changes.notify();
    return attachment;
  }

  /** Queues the MESSAGE event of a stored message. */
  emitMessage(conversation: StoredConversation, message: StoredMessage, isEcho: boolean): void {
    const files = message.attachmentIds.map((id) => this.deps.store.attachments.get(id)).filter((a): a is StoredAttachment => a !== undefined);
    this.emit(conversation, 'MESSAGE', messageData(message, files, isEcho, (a) => this.deps.fileLinks.sign(a.id)));
  }

  /** Queues one webhook event for the conversation, to its channel's webhook. */
  emit(conversation: StoredConversation, eventType: string, data?: Record<string, unknown>): void {
    const { store } = this.deps;
    this.deps.dispatcher.enqueue(conversation.id, eventType, data, () => store.webhookUriFor(conversation.channelId));
  }

  /**
   * Hands the conversation to the bot's webhook (a channel routed to a bot, or a post-agent
   * assignment): status `bot`, state active, a script assignment; a new interaction when asked.
   */
  toBot(conversation: StoredConversation, newInteraction: boolean): void {
    conversation.status = 'bot';
    conversation.state = 'active';
    conversation.assignment = { type: 'script', id: 'bot' };
    conversation.postAgentAssignment = undefined;
    if (newInteraction) conversation.interactions.push({ id: `int-${this.deps.ids.next(22)}-chat-00-${this.deps.tenantId}`, startTime: this.isoNow() });
    this.emit(conversation, 'CONVERSATION_UPDATE', conversationUpdateData(conversation));
    this.deps.changes.notify();
  }

  /** The channel routes new interactions to the bot first (the emulator's web widget channel). */
  routesToBot(conversation: StoredConversation): boolean {
    return this.deps.botChannelIds?.includes(conversation.channelId) ?? false;
  }

  /** A new interaction after the conversation ended: the user rejoins, the channel's routing applies. */
  reopen(conversation: StoredConversation): void {
    if (conversation.userLeft) {
      conversation.userLeft = false;
      this.deps.store.join(conversation, { id: 'user', type: 'user' });
      this.emit(conversation, 'MEMBERS_CHANGED', membersChangedData('user', 'joined', 'user'));
    }
    if (this.routesToBot(conversation)) this.toBot(conversation, true);
    else this.enterQueue(conversation, conversation.queueId);
  }

  private stopUserTyping(conversation: StoredConversation): void {
    this.deps.timers.cancel(this.typingTimers.get(conversation.id));
    this.typingTimers.delete(conversation.id);
    if (!conversation.userTyping) return;
    conversation.userTyping = false;
    this.deps.changes.notify();
  }
}

/** The stored fields of an API message payload (validated before). */
function messageFields(payload: SendMessageRequest, ids: IdFactory): Omit<StoredMessage, 'id' | 'createdAt' | 'fromHistory'> {
  return {
    authorType: payload.authorType,
    authorId: payload.authorType,
    text: payload.text ?? '',
    attachmentIds: (payload.attachments ?? []).map((a) => a.id),
    cards: (payload.cards ?? []).map((card: Card) => ({
      ...structuredClone(card),
      contentType: card.contentType ?? 'application/vnd.microsoft.card.adaptive',
      id: ids.next(22),
    })),
    externalProvider: payload.externalProvider,
  };
}
