/**
 * The agent console's view of the emulator state ({@link ConsoleSnapshot}), built from the store.
 * Pure: the same store gives the same snapshot. Also the read model tests use.
 */
import type { ConsoleAttachment, ConsoleConversation, ConsoleMessage, ConsoleSnapshot } from './console-api';
import type { EmulatorAgentOptions, EmulatorQueue } from './options';
import type { EmulatorStore, StoredConversation } from './store';

/** Console attachment URLs, relative to the emulator's base URL. */
export function consoleAttachmentPath(attachmentId: string): string {
  return `/console/api/attachments/${encodeURIComponent(attachmentId)}`;
}

function attachmentsOf(store: EmulatorStore, ids: string[], baseUrl: string): ConsoleAttachment[] {
  return ids.flatMap((id) => {
    const a = store.attachments.get(id);
    if (!a) return [];
    const url = `${baseUrl}${consoleAttachmentPath(a.id)}`;
    return [{ id: a.id, filename: a.filename, contentType: a.contentType, sizeInBytes: a.data.length, url, downloadUrl: `${url}?download=1` }];
  });
}

/** One conversation as the console shows it. */
export function consoleConversation(store: EmulatorStore, c: StoredConversation, queues: EmulatorQueue[], baseUrl: string): ConsoleConversation {
  const messages: ConsoleMessage[] = c.messages.map((m) => ({
    id: m.id,
    authorType: m.authorType,
    ...(m.authorType === 'agent' ? { authorId: m.authorId } : {}),
    text: m.text,
    attachments: attachmentsOf(store, m.attachmentIds, baseUrl),
    cards: structuredClone(m.cards),
    createdAt: m.createdAt,
    fromHistory: m.fromHistory,
  }));
  return {
    id: c.id,
    channelId: c.channelId,
    status: c.status,
    state: c.state,
    queueId: c.queueId,
    queueName: queues.find((q) => q.id === c.queueId)?.name,
    agentId: c.agentId,
    user: structuredClone(c.user),
    messages,
    userTyping: c.userTyping,
    userLeft: c.userLeft,
    createdAt: c.createdAt,
  };
}

/** The whole console state. */
export function consoleSnapshot(
  store: EmulatorStore,
  queues: EmulatorQueue[],
  agents: Required<EmulatorAgentOptions>[],
  baseUrl: string,
): ConsoleSnapshot {
  return {
    queues: queues.map((q) => ({ id: q.id, name: q.name })),
    agents: agents.map((a) => ({ id: a.id, name: a.name, queueIds: [...a.queueIds] })),
    conversations: [...store.conversations.values()].map((c) => consoleConversation(store, c, queues, baseUrl)),
  };
}
