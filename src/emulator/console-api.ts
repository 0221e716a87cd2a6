/**
 * The agent console's HTTP contract: what the emulator serves under `/console` and what the
 * console page (src/emulator/console/) calls. Plain JSON; the page keeps no state of its own.
 *
 * - `GET  /console/`                          the page
 * - `GET  /console/static/*`                  the page's script and styles
 * - `GET  /console/vendor/adaptivecards.js`   the adaptivecards dist bundle (from node_modules)
 * - `GET  /console/api/state`                 a {@link ConsoleSnapshot}
 * - `GET  /console/api/events`                Server-Sent Events: an event `snapshot` whose data is a
 *                                             {@link ConsoleSnapshot}, sent on connect and on every change
 * - `POST /console/api/conversations/:id/accept`    {@link AgentRequest}
 * - `POST /console/api/conversations/:id/typing`    {@link AgentRequest} & `{ typing: boolean }`
 * - `POST /console/api/conversations/:id/messages`  {@link AgentRequest} & `{ text?, cards? }` (JSON), or
 *                                                   multipart with fields `agentId`, `text?` and one file part `file`
 * - `POST /console/api/conversations/:id/transfer`  {@link AgentRequest} & `{ queueId: string }`
 * - `POST /console/api/conversations/:id/end`       {@link AgentRequest}
 * - `GET  /console/api/attachments/:attachmentId`   the file's bytes, inline (`?download=1`: as a download);
 *                                                   what {@link ConsoleAttachment} `url` / `downloadUrl` point to
 *
 * Actions answer 204 on success, or 4xx with `{ error: string }` (unknown conversation 404, an
 * action not allowed in the current state 409, a bad body 400).
 */
import type { Card, ConversationUser } from '../gateway/types';

/** Every console action names the agent acting (several agents can work in several tabs). */
export interface AgentRequest {
  agentId: string;
}

/** A queue the emulator serves. */
export interface ConsoleQueue {
  id: string;
  name: string;
}

/** A known agent; the console lets the person pick one. */
export interface ConsoleAgent {
  id: string;
  name: string;
  /** Queues this agent takes conversations from. */
  queueIds: string[];
}

/** An attachment as the console shows it; `url` serves the bytes (inline), `downloadUrl` as a download. */
export interface ConsoleAttachment {
  id: string;
  filename: string;
  contentType: string;
  sizeInBytes: number;
  url: string;
  downloadUrl: string;
}

/** One message of a conversation, history included. */
export interface ConsoleMessage {
  id: string;
  authorType: 'user' | 'bot' | 'agent' | 'system';
  /** The agent id for agent messages. */
  authorId?: string;
  text: string;
  attachments: ConsoleAttachment[];
  cards: Card[];
  /** ISO timestamp. */
  createdAt: string;
  /** True for messages that arrived in the create call's `history`. */
  fromHistory: boolean;
}

/** Where a conversation is in its lifecycle, from the agent's point of view. */
/** `bot`: an 8x8-native conversation (the web widget) served by the bot's webhook, in no queue yet. */
export type ConsoleConversationStatus = 'queued' | 'assigned' | 'ended' | 'bot';

/** One conversation as the console shows it. */
export interface ConsoleConversation {
  id: string;
  channelId: string;
  status: ConsoleConversationStatus;
  /** 8x8 state: created | active | idle. */
  state: string;
  queueId?: string;
  queueName?: string;
  /** Set while assigned. */
  agentId?: string;
  user: ConversationUser;
  messages: ConsoleMessage[];
  /** True while the user (customer) is typing. */
  userTyping: boolean;
  /** True once the user left (PATCH participants/user). */
  userLeft: boolean;
  createdAt: string;
}

/** The whole console state. */
export interface ConsoleSnapshot {
  queues: ConsoleQueue[];
  agents: ConsoleAgent[];
  conversations: ConsoleConversation[];
}
