/**
 * A scripted agent for tests: the same actions as a person in the agent console, called from
 * code, plus waiting for messages from the user or the bot.
 */
import type { Card } from '../gateway/types';
import type { ChangeHub, WaitOptions } from './changes';
import type { ConsoleMessage } from './console-api';
import type { AgentActions, AgentFile } from './engine/agent-actions';
import type { EmulatorStore } from './store';
import { consoleConversation } from './console-snapshot';
import type { EmulatorAgentOptions, EmulatorQueue } from './options';
import { HandoffError } from '../errors';

/** A file to send: `data` as bytes or text. */
export interface ScriptedAttachment {
  /** The file name (`name` and `fileName` are accepted too). */
  filename?: string;
  name?: string;
  fileName?: string;
  /** Default: guessed from the file name's extension. */
  contentType?: string;
  /** The bytes (a string is taken as UTF-8); `content` is accepted too. */
  data?: Buffer | Uint8Array | string;
  content?: Buffer | Uint8Array | string;
}

const MIME_BY_EXTENSION: Record<string, string> = {
  png: 'image/png', jpg: 'image/jpeg', jpeg: 'image/jpeg', gif: 'image/gif', webp: 'image/webp', svg: 'image/svg+xml',
  pdf: 'application/pdf', txt: 'text/plain', csv: 'text/csv', json: 'application/json', mp4: 'video/mp4', mp3: 'audio/mpeg',
};

/** Accepts the attachment spellings a test is likely to write and fills what is missing. */
function toAgentFile(a: ScriptedAttachment): AgentFile {
  const filename = a.filename ?? a.name ?? a.fileName ?? 'file';
  const data = a.data ?? a.content ?? Buffer.alloc(0);
  const extension = filename.includes('.') ? filename.split('.').pop()!.toLowerCase() : '';
  return { filename, contentType: a.contentType ?? MIME_BY_EXTENSION[extension] ?? 'application/octet-stream', data };
}

/** A card as given, or a bare Adaptive Card (`{ type: 'AdaptiveCard', ... }`) wrapped as one. */
function toCard(card: Card | Record<string, unknown>): Card {
  if (typeof card.contentType === 'string' && card.content && typeof card.content === 'object') return card as Card;
  return { contentType: 'application/vnd.microsoft.card.adaptive', content: card as Record<string, unknown> };
}

/** Options of {@link ScriptedAgent.say}. */
export interface SayOptions {
  attachments?: ScriptedAttachment[];
  /** 8x8 cards (`{ contentType, content }`), or bare Adaptive Card JSON objects. */
  cards?: Array<Card | Record<string, unknown>>;
  /** The conversation to write in. Default: the one this agent accepted last. */
  conversationId?: string;
}

/** What a scripted agent needs from the emulator. */
export interface ScriptedAgentDeps {
  actions: AgentActions;
  store: EmulatorStore;
  changes: ChangeHub;
  queues: EmulatorQueue[];
  baseUrl: () => string;
}

/** One agent of the emulated contact center, driven by test code. */
export class ScriptedAgent {
  /** The conversation the agent accepted last (target of `say`, `typing`, `transfer`, `leave`). */
  currentConversationId?: string;

  constructor(
    private readonly profile: Required<EmulatorAgentOptions>,
    private readonly deps: ScriptedAgentDeps,
  ) {}

  /** The agent id. */
  get id(): string {
    return this.profile.id;
  }

  /** The display name. */
  get name(): string {
    return this.profile.name;
  }

  /** Queues this agent serves. */
  get queueIds(): string[] {
    return [...this.profile.queueIds];
  }

  /** Takes a queued conversation: MEMBERS_CHANGED joined, CONVERSATION_UPDATE assignment agent. */
  async accept(conversationId: string): Promise<void> {
    this.deps.actions.accept(this.id, conversationId);
    this.currentConversationId = conversationId;
  }

  /** Sends text, files and/or cards: a MESSAGE with `isEcho: false` and sender agent. */
  async say(text: string, options: SayOptions = {}): Promise<void> {
    const files = (options.attachments ?? []).map(toAgentFile);
    const cards = options.cards?.map(toCard);
    this.deps.actions.say(this.id, this.target(options.conversationId), { text, files, cards });
  }

  /** Typing on (default) or off: ACTIVITY typing with this agent, or with nobody. */
  async typing(on = true, conversationId?: string): Promise<void> {
    this.deps.actions.typing(this.id, this.target(conversationId), on);
  }

  /** Transfers to another queue: TRANSFER, agent left, QUEUED there. */
  async transfer(queueId: string, conversationId?: string): Promise<void> {
    this.deps.actions.transfer(this.id, this.target(conversationId), queueId);
    this.currentConversationId = undefined;
  }

  /** Ends the conversation: agent left, CONVERSATION_UPDATE idle. */
  async leave(conversationId?: string): Promise<void> {
    this.deps.actions.end(this.id, this.target(conversationId));
    this.currentConversationId = undefined;
  }

  /** Removes the customer on 8x8's side: MEMBERS_CHANGED user left, the agent's left, idle. */
  async removeCustomer(conversationId?: string): Promise<void> {
    this.deps.actions.removeCustomer(this.id, this.target(conversationId));
    this.currentConversationId = undefined;
  }

  /**
   * Resolves with the first message from the user or the bot in the conversation that matches
   * `predicate` (history included, so a message that already arrived counts).
   */
  waitForMessage(conversationId: string, predicate: (message: ConsoleMessage) => boolean = () => true, options?: WaitOptions): Promise<ConsoleMessage> {
    return this.deps.changes.waitFor(
      () => {
        const conversation = this.deps.store.conversations.get(conversationId);
        if (!conversation) return undefined;
        const view = consoleConversation(this.deps.store, conversation, this.deps.queues, this.deps.baseUrl());
        return view.messages.find((m) => (m.authorType === 'user' || m.authorType === 'bot') && predicate(m));
      },
      `a user or bot message in conversation ${conversationId}`,
      options,
    );
  }

  private target(conversationId?: string): string {
    const id = conversationId ?? this.currentConversationId;
    if (!id) throw new HandoffError('E_EMULATOR_AGENT', `agent ${this.id} has no current conversation; accept one first or pass its id`);
    return id;
  }
}
