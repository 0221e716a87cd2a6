/**
 * The customer side of the emulator's 8x8 web widget: a customer opens a conversation on a
 * channel routed to the bot's webhook, writes, sends files, submits cards and picks quick
 * replies. These are 8x8's own channel events, not API calls: messages arrive with
 * `isEcho: false` and `sender.type: "user"`, card submits and quick-reply choices as `ACTIVITY`
 * events (REFERENCE.md section 4).
 */
import type { ConversationUser } from '../../gateway/types';
import { AgentActionError } from './agent-actions';
import type { ConversationEngine } from './conversation-engine';
import type { StoredConversation } from '../store';

/** A file the customer attaches. */
export interface WidgetFile {
  filename: string;
  contentType: string;
  data: Buffer;
}

/** The widget customer's actions. */
export class WidgetCustomer {
  constructor(
    private readonly engine: ConversationEngine,
    private readonly channelId: string,
  ) {}

  /** Opens a conversation the bot serves first: created, then active with the bot. */
  open(user: ConversationUser): StoredConversation {
    const { store, ids, queues } = this.engine.deps;
    const queueId = store.channels.get(this.channelId)?.routingOptions.id ?? queues[0]!.id;
    const conversation: StoredConversation = {
      id: ids.next(22),
      channelId: this.channelId,
      state: 'created',
      status: 'bot',
      assignment: { type: 'script', id: 'bot' },
      queueId,
      user: structuredClone(user),
      userLeft: false,
      userTyping: false,
      messages: [],
      participants: [],
      interactions: [],
      createdAt: this.engine.isoNow(),
    };
    store.join(conversation, { id: 'user', type: 'user', language: user.language });
    store.conversations.set(conversation.id, conversation);
    this.engine.emit(conversation, 'CONVERSATION_UPDATE', { state: 'created', assignment: { ...conversation.assignment }, user: structuredClone(user), channel: 'WebChat' });
    this.engine.toBot(conversation, true);
    return conversation;
  }

  /** A customer message (text and/or files); an ended conversation is reopened first. */
  say(conversationId: string, input: { text?: string; files?: WidgetFile[] }): void {
    const conversation = this.conversation(conversationId);
    const text = input.text ?? '';
    const files = input.files ?? [];
    if (text.trim() === '' && files.length === 0) throw new AgentActionError(400, 'a message needs text or a file');
    if (conversation.status === 'ended') this.engine.reopen(conversation);
    const attachmentIds = files.map((f) => this.engine.addAttachment(conversation, { ...f, authorType: 'user' }).id);
    const message = this.engine.addMessage(conversation, { authorType: 'user', authorId: 'user', text, attachmentIds, cards: [], fromHistory: false });
    this.engine.emitMessage(conversation, message, false);
  }

  /** The customer submits a card of a bot or agent message. */
  submitCard(conversationId: string, cardId: string, data: Record<string, unknown>): void {
    const conversation = this.conversation(conversationId);
    const card = conversation.messages.flatMap((m) => m.cards).find((c) => c.id === cardId);
    if (!card) throw new AgentActionError(404, `no card ${cardId} in conversation ${conversationId}`);
    card.actionSubmitted = true;
    this.engine.emit(conversation, 'ACTIVITY', { name: 'adaptiveCard/action', value: { type: 'Action.Submit', data } });
    this.engine.deps.changes.notify();
  }

  /** The customer picks a quick reply: shown as their message, sent to the webhook as a `quickReply/action`. */
  quickReply(conversationId: string, title: string, payload?: string): void {
    const conversation = this.conversation(conversationId);
    this.engine.addMessage(conversation, { authorType: 'user', authorId: 'user', text: title, attachmentIds: [], cards: [], fromHistory: false });
    this.engine.emit(conversation, 'ACTIVITY', { name: 'quickReply/action', value: { type: 'postback', data: { title, payload: payload ?? title } } });
  }

  /** The customer closes the chat. */
  leave(conversationId: string): void {
    this.engine.userLeave(this.conversation(conversationId));
  }

  private conversation(id: string): StoredConversation {
    const conversation = this.engine.deps.store.conversations.get(id);
    if (!conversation || conversation.channelId !== this.channelId) throw new AgentActionError(404, `no widget conversation ${id}`);
    return conversation;
  }
}
