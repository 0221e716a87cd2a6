/**
 * What an agent can do: accept, type, send, transfer, end. The one layer behind both the agent
 * console's HTTP actions and the scripted agents of tests, so both produce the same events.
 */
import type { Card } from '../../gateway/types';
import type { EmulatorAgentOptions } from '../options';
import type { StoredConversation, StoredMessage } from '../store';
import { checkCards } from '../api/validate';
import type { ConversationEngine } from './conversation-engine';
import { membersChangedData, typingData, conversationUpdateData } from './event-data';

/** An action refused: 400 bad input, 404 unknown conversation or agent, 409 not allowed now. */
export class AgentActionError extends Error {
  constructor(
    readonly status: 400 | 404 | 409,
    message: string,
  ) {
    super(message);
    this.name = 'AgentActionError';
  }
}

/** A file an agent sends. */
export interface AgentFile {
  filename: string;
  contentType: string;
  data: Buffer | Uint8Array | string;
}

/** What an agent message carries; at least one of the three. */
export interface AgentMessageInput {
  text?: string;
  files?: AgentFile[];
  cards?: Card[];
}

/** Agent actions on the engine's conversations. */
export class AgentActions {
  constructor(
    private readonly engine: ConversationEngine,
    private readonly agents: Required<EmulatorAgentOptions>[],
  ) {}

  /** The agent takes a queued conversation from one of its queues. */
  accept(agentId: string, conversationId: string): void {
    const agent = this.agent(agentId);
    const conversation = this.conversation(conversationId);
    if (conversation.status !== 'queued') throw new AgentActionError(409, `conversation ${conversationId} is ${conversation.status}, not queued`);
    if (!agent.queueIds.includes(conversation.queueId)) throw new AgentActionError(409, `agent ${agentId} does not serve queue ${conversation.queueId}`);
    conversation.status = 'assigned';
    conversation.state = 'active';
    conversation.agentId = agentId;
    conversation.assignment = { type: 'agent', id: agentId };
    this.engine.deps.store.join(conversation, { id: agentId, type: 'agent' });
    this.engine.emit(conversation, 'MEMBERS_CHANGED', membersChangedData('agent', 'joined', agentId));
    this.engine.emit(conversation, 'CONVERSATION_UPDATE', conversationUpdateData(conversation));
    this.engine.deps.changes.notify();
  }

  /** Typing started (`on`) or stopped. */
  typing(agentId: string, conversationId: string, on: boolean): void {
    const conversation = this.assigned(agentId, conversationId);
    this.engine.emit(conversation, 'ACTIVITY', typingData(on ? [{ type: 'agent', id: agentId }] : []));
  }

  /** Sends a message with text, files and/or cards. */
  say(agentId: string, conversationId: string, input: AgentMessageInput): StoredMessage {
    const conversation = this.assigned(agentId, conversationId);
    const files = input.files ?? [];
    const cards = input.cards ?? [];
    if (!input.text && files.length === 0 && cards.length === 0) throw new AgentActionError(400, 'a message needs text, a file or a card');
    const cardProblem = checkCards(cards);
    if (cardProblem) throw new AgentActionError(400, cardProblem);
    const attachments = files.map((f) =>
      this.engine.addAttachment(conversation, { filename: f.filename, contentType: f.contentType, data: Buffer.from(f.data), authorType: 'agent' }),
    );
    const message = this.engine.addMessage(conversation, {
      authorType: 'agent',
      authorId: agentId,
      text: input.text ?? '',
      attachmentIds: attachments.map((a) => a.id),
      cards: cards.map((c) => ({ ...structuredClone(c), id: this.engine.deps.ids.next(22) })),
      fromHistory: false,
    });
    this.engine.emitMessage(conversation, message, false);
    return message;
  }

  /** Moves the conversation to another queue: TRANSFER, agent left, QUEUED there. */
  transfer(agentId: string, conversationId: string, queueId: string): void {
    const conversation = this.assigned(agentId, conversationId);
    if (!this.engine.queue(queueId)) throw new AgentActionError(400, `unknown queue ${queueId}`);
    this.engine.emit(conversation, 'TRANSFER');
    this.engine.deps.store.leave(conversation, agentId, 'agent');
    this.engine.emit(conversation, 'MEMBERS_CHANGED', membersChangedData('agent', 'left', agentId));
    conversation.agentId = undefined;
    this.engine.enterQueue(conversation, queueId, false);
  }

  /** The agent ends the conversation: agent left, state idle. */
  end(agentId: string, conversationId: string): void {
    this.engine.finish(this.assigned(agentId, conversationId));
  }

  /**
   * The agent removes the customer on 8x8's side (a supervisor or an agent closing the chat for
   * the customer): MEMBERS_CHANGED user left, then the agent's left and idle.
   */
  removeCustomer(agentId: string, conversationId: string): void {
    this.engine.userLeave(this.assigned(agentId, conversationId));
  }

  private agent(agentId: string): Required<EmulatorAgentOptions> {
    const agent = this.agents.find((a) => a.id === agentId);
    if (!agent) throw new AgentActionError(404, `unknown agent ${agentId}`);
    return agent;
  }

  private conversation(conversationId: string): StoredConversation {
    const conversation = this.engine.deps.store.conversations.get(conversationId);
    if (!conversation) throw new AgentActionError(404, `unknown conversation ${conversationId}`);
    return conversation;
  }

  private assigned(agentId: string, conversationId: string): StoredConversation {
    this.agent(agentId);
    const conversation = this.conversation(conversationId);
    if (conversation.status !== 'assigned' || conversation.agentId !== agentId) {
      throw new AgentActionError(409, `conversation ${conversationId} is not assigned to agent ${agentId}`);
    }
    return conversation;
  }
}
