/**
 * Where the history of a new 8x8 conversation stops. History messages cannot carry uploads (the
 * conversation does not exist yet, REFERENCE.md 6.16), so the transcript is cut at its first
 * message with a file: the part before goes into the create call's `history`, the rest is posted
 * after the 202 in order, each message with its own author and files (see `Escalator.postTail`).
 * This keeps every file next to the message it came with, attributed to whoever sent it.
 */
import type { SendMessageRequest } from '../gateway/types';
import type { PendingFile } from '../transcript';

/** The messages to post after the create, with their files (`historyIndex` relative to `messages`). */
export interface HistoryTail {
  messages: SendMessageRequest[];
  files: PendingFile[];
}

/** Splits history messages and their files at the first message that has a file. Pure. */
export function splitHistoryAtFirstFile(messages: readonly SendMessageRequest[], files: readonly PendingFile[]): { history: SendMessageRequest[]; tail: HistoryTail } {
  if (files.length === 0) return { history: [...messages], tail: { messages: [], files: [] } };
  const cut = Math.min(...files.map((f) => f.historyIndex));
  return {
    history: messages.slice(0, cut),
    tail: { messages: messages.slice(cut), files: files.map((f) => ({ ...f, historyIndex: f.historyIndex - cut })) },
  };
}
