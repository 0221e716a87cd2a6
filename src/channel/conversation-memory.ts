/**
 * What the adapter remembers per 8x8 conversation, in a botbuilder `Storage`: whether the bot was
 * started (greeted), the customer's account, and the keys of the messages already given to the bot.
 * Reads and writes of one conversation are serialised by the adapter's per-conversation queue.
 */
import type { Storage } from 'botbuilder';

/** How many message keys are kept per conversation. */
export const SEEN_MESSAGES = 200;

/** The stored memory of one conversation. */
export interface ConversationMemory {
  /** The bot got its `conversationUpdate` (membersAdded) for this conversation. */
  started: boolean;
  /** The customer's account, fixed by the first event that names it, so it stays stable. */
  customer: { id: string; name?: string; language?: string };
  /** Messages already given to the bot (newest last, bounded). */
  seen: string[];
}

/** Reads and writes {@link ConversationMemory}. */
export class MemoryStore {
  constructor(
    private readonly storage: Storage,
    private readonly namespace: string,
  ) {}

  /** The memory of a conversation, or undefined when the adapter never saw it. */
  async read(conversationId: string): Promise<ConversationMemory | undefined> {
    const key = this.key(conversationId);
    const item = (await this.storage.read([key]))[key] as (ConversationMemory & { eTag?: string }) | undefined;
    if (!item) return undefined;
    const { started, customer, seen } = item;
    return { started, customer, seen };
  }

  /** Replaces the memory (last write wins: the caller serialises per conversation). */
  async write(conversationId: string, memory: ConversationMemory): Promise<void> {
    await this.storage.write({ [this.key(conversationId)]: { ...memory, eTag: '*' } });
  }

  private key(conversationId: string): string {
    return `${this.namespace}/conversation/${encodeURIComponent(conversationId)}`;
  }
}
