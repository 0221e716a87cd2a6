/**
 * The narrow ports the handoff layer depends on. The real implementations are the package's
 * `ChatGatewayClient` and a botbuilder `CloudAdapter`; tests pass the same real pieces or a
 * `TestAdapter` subclass.
 */
import type { ConversationReference, TurnContext } from 'botbuilder';
import type { ChatGatewayClient, ChatGatewayPort } from '../gateway';
import type { HandoffStatusState, StatusReason, HandoffSummary } from './types';

/**
 * The Chat Gateway calls a handoff makes. `ChatGatewayClient` satisfies it. Without
 * `downloadAttachment`, agent files can only be given as 8x8's own (expiring) links.
 */
export type HandoffGatewayPort = Pick<ChatGatewayPort, 'createConversation' | 'sendMessage' | 'uploadAttachment' | 'sendTyping' | 'removeUser'> &
  Partial<Pick<ChatGatewayClient, 'listConversations' | 'downloadAttachment' | 'getAttachment' | 'postAgentAssignment'>>;

/**
 * Sends outside a user's turn (agent messages, status events). A `CloudAdapter` satisfies it;
 * the turn it runs is an `event` named `ContinueConversation`.
 */
export interface ProactiveSender {
  continueConversationAsync(
    botAppId: string,
    reference: Partial<ConversationReference>,
    logic: (context: TurnContext) => Promise<void>,
  ): Promise<void>;
}

/** What receives synthetic `handoff.status` events: an `ActivityHandler` (or anything with `run`). */
export interface StatusBot {
  run(context: TurnContext): Promise<void>;
}

/** One `handoff.status` report, as given to the `onStatus` hook. */
export interface HandoffStatus {
  state: HandoffStatusState;
  message?: string;
  /** On `completed` and `failed`: why (`agentLeft`, `userEnded`, `inactivity`, `maxWait`, `closed`, `noAgents`, `conversationLost`, `createFailed`). */
  reason?: StatusReason;
  /** On `completed` and `failed` of a started handoff: queue, agent, time waiting and connected, agent messages. */
  summary?: HandoffSummary;
  /** The bot conversation it concerns. */
  reference: Partial<ConversationReference>;
  /** The 8x8 conversation, when one exists. */
  gatewayConversationId?: string;
}
