/**
 * The emulator's in-memory state: webhooks, channels, conversations with their messages,
 * attachments, participants and interactions. Plain data; the rules live in the engine.
 */
import type {
  Assignment,
  AuthorType,
  Card,
  Channel,
  ConversationState,
  ConversationUser,
  Interaction,
  Participant,
  Webhook,
} from '../gateway/types';
import type { ConsoleConversationStatus } from './console-api';

/** An uploaded file. */
export interface StoredAttachment {
  id: string;
  conversationId: string;
  filename: string;
  contentType: string;
  data: Buffer;
  authorType: AuthorType;
  createdAt: string;
}

/** One message of a conversation. */
export interface StoredMessage {
  id: string;
  authorType: AuthorType;
  /** `user`, `bot`, or the agent id. */
  authorId: string;
  text: string;
  attachmentIds: string[];
  cards: Card[];
  externalProvider?: { name: string; externalMessageId: string };
  createdAt: string;
  /** True for messages that came in the create call's `history`. */
  fromHistory: boolean;
}

/** A conversation and everything hanging off it. */
export interface StoredConversation {
  id: string;
  channelId: string;
  state: ConversationState;
  /** Where the agent console sees it. */
  status: ConsoleConversationStatus;
  assignment: Assignment;
  /** The last queue it was queued in; a reopen goes back there. */
  queueId: string;
  agentId?: string;
  user: ConversationUser;
  userLeft: boolean;
  userTyping: boolean;
  messages: StoredMessage[];
  participants: Participant[];
  interactions: Interaction[];
  postAgentAssignment?: unknown;
  createdAt: string;
}

/** All state of one emulator instance. */
export class EmulatorStore {
  readonly webhooks = new Map<string, Webhook>();
  readonly channels = new Map<string, Channel>();
  readonly conversations = new Map<string, StoredConversation>();
  readonly attachments = new Map<string, StoredAttachment>();

  /** The webhook URI events of a channel go to, if the channel and its webhook exist. */
  webhookUriFor(channelId: string): string | undefined {
    const channel = this.channels.get(channelId);
    return channel ? this.webhooks.get(channel.webHookId)?.uri : undefined;
  }

  /** Adds the participant, or marks an existing one present again. */
  join(conversation: StoredConversation, participant: Omit<Participant, 'removed'>): void {
    const existing = conversation.participants.find((p) => p.id === participant.id && p.type === participant.type);
    if (existing) existing.removed = false;
    else conversation.participants.push({ ...participant, removed: false });
  }

  /** Marks a participant as removed. */
  leave(conversation: StoredConversation, id: string, type: AuthorType): void {
    const existing = conversation.participants.find((p) => p.id === id && p.type === type);
    if (existing) existing.removed = true;
  }
}
