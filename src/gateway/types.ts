/**
 * Wire types of the 8x8 Chat Gateway v1 API (see ../shared/8x8/REFERENCE.md section 3).
 *
 * Names follow 8x8's OpenAPI file. Every id is an opaque string: 8x8 uses several id styles
 * (numeric-looking, 22-char base64url, long base64url attachment ids), so none is validated.
 */

/** Who may write through the API (`ExternalAuthorType`). `agent` and `system` are read-only. */
export type ExternalAuthorType = 'user' | 'bot';

/** Every author type that can appear in messages, participants and events (`AuthorType`). */
export type AuthorType = 'user' | 'bot' | 'agent' | 'system';

/** Conversation state; lower case in JSON although 8x8's prose writes CREATED/ACTIVE. */
export type ConversationState = 'created' | 'active' | 'idle';

/** Languages 8x8 routes on (`Language`); other strings are passed through unchanged. */
export type Language =
  | 'en' | 'ru' | 'de' | 'ja' | 'es' | 'fr' | 'pt' | 'it' | 'pl' | 'hr' | 'nl' | 'ar' | 'da' | 'ko'
  | 'no' | 'sv' | 'vi' | 'cy' | 'th' | 'zh-CN' | 'zh-TW';

/** One custom field shown to the agent (the screen-pop). Both key and value are required. */
export interface AdditionalProperty {
  key: string;
  value: string;
  /** Present on webhook payloads only. */
  id?: string;
}

/** The end user as 8x8 shows them to the agent (`ConversationUserData.user`). */
export interface ConversationUser {
  name?: string;
  userId?: string;
  email?: string;
  phone?: string;
  company?: string;
  caseId?: string;
  /** Defaults to `en` at 8x8. */
  language?: Language | (string & {});
  /** At most 30 items. */
  additionalProperties?: AdditionalProperty[];
}

/** Routing target. Requests use `queue` or `script`; 8x8 reports `agent` once an agent accepted. */
export interface Assignment {
  type: 'queue' | 'script' | 'agent' | (string & {});
  id: string;
  resourceId?: string;
}

/**
 * Where a request routes a conversation: a queue, or a script (8x8 runs the script, which then
 * routes the chat, e.g. to a queue). `agent` is read-only.
 */
export interface AssignmentRequest {
  type: 'queue' | 'script' | (string & {});
  /** The queue or script id. */
  id: string;
}

/** Card content types 8x8 accepts (`ContentType`). */
export type CardContentType =
  | 'application/vnd.microsoft.card.adaptive'
  | 'application/8x8.quick.replies'
  | 'Interactive' | 'Location' | 'Template' | 'Suggestions' | 'Buttons' | 'Carousel';

/** An 8x8 quick-replies card body. */
export interface QuickRepliesContent {
  options: Array<{ title: string; data?: { postback?: string } & Record<string, unknown> }>;
}

/** A card attached to a message (`AdaptiveCards`). */
export interface Card {
  /** Set by the server. */
  id?: string;
  contentType: CardContentType | (string & {});
  content: Record<string, unknown>;
  /** Read side: the user submitted the card. */
  actionSubmitted?: boolean;
  /** Read side: the agent executed the card. */
  actionExecuted?: boolean;
}

/** A reference to an uploaded attachment. */
export interface AttachmentRef {
  id: string;
}

/** The message payload for sending, and the item type of `history.messages`. */
export interface SendMessageRequest {
  authorType: ExternalAuthorType;
  /** Required unless `externalProvider` is given; never both. */
  text?: string;
  externalProvider?: { name: 'X'; externalMessageId: string };
  attachments?: AttachmentRef[];
  cards?: Card[];
}

/** Body of `POST /chat-gateway/v1/conversations` (`CreateTransactionRequest`). */
export interface CreateConversationRequest {
  channelId: string;
  user: ConversationUser;
  assignment?: AssignmentRequest;
  /** At most 200 messages. */
  history?: { messages: SendMessageRequest[] };
}

/** 202 body of create conversation. */
export interface CreateConversationResponse {
  conversationId: string;
  createdAt?: string;
}

/** A conversation resource (`ConversationResult`). */
export interface Conversation {
  id: string;
  state?: ConversationState | (string & {});
  channelId?: string;
  assignment?: Assignment;
  user?: ConversationUser;
}

/** Body of `PUT /conversations/{id}` (`UpdateTransactionRequest`); no field is required. */
export interface UpdateConversationRequest {
  channelId?: string;
  user?: ConversationUser;
  assignment?: AssignmentRequest;
}

/** Body of `PATCH /conversations/{id}` (`PatchTransactionRequest`): assignment and/or user. */
export type PatchConversationRequest =
  | { assignment: AssignmentRequest; user?: ConversationUser }
  | { user: ConversationUser; assignment?: AssignmentRequest };

/** One routing interaction of a conversation. */
export interface Interaction {
  id: string;
  startTime?: string;
  endTime?: string;
}

/** A participant of a conversation (`ConversationParticipant`). */
export interface Participant {
  id: string;
  removed?: boolean;
  type: AuthorType | (string & {});
  language?: string;
}

/** A message resource (`MessageResult`). */
export interface Message {
  id: string;
  text: string;
  createdAt?: string;
  author: Participant;
  externalProvider?: { name: string; externalMessageId: string };
  attachments?: AttachmentRef[];
  cards?: Card[];
}

/** An uploaded attachment (`AttachmentResult`). */
export interface Attachment {
  id: string;
  filename: string;
  sizeInBytes?: number;
  createdAt?: string;
}

/** Webhook notification version; the only value for this product. */
export type WebhookVersion = 'Chat Gateway v1.0';

/** A registered webhook (`WebHook`). */
export interface Webhook {
  id: string;
  name: string;
  uri: string;
  version?: WebhookVersion | (string & {});
}

/** Body of webhook create and update. 8x8's schema requires `notificationVersion` but defines `version`. */
export interface WebhookRequest {
  name: string;
  uri: string;
  version?: WebhookVersion | (string & {});
  notificationVersion?: WebhookVersion | (string & {});
}

/** Body of `POST /webhooks/verify`. */
export interface VerifyWebhookRequest {
  version: string;
  uri: string;
}

/** Channel types (`ChannelTypeField`); only `ChatAPI` can be created through the API. */
export type ChannelType = 'SMS' | 'ChatAPI' | 'Facebook' | 'Twitter' | 'WhatsApp' | 'WebChat';

/** A channel (`ChannelV2Result`). Note the capital H in `webHookId`. */
export interface Channel {
  id: string;
  name: string;
  type?: ChannelType | (string & {});
  webHookId: string;
  routingOptions: { type: 'queue'; id: string };
}

/** Body of channel create and update. */
export interface ChannelRequest {
  name: string;
  type?: ChannelType | (string & {});
  webHookId: string;
  routingOptions: { type: 'queue'; id: string };
}

/** Body of `POST /conversations/{id}/post-agent-assignment`. */
export interface PostAgentAssignmentRequest {
  id: string;
  type: 'webhook';
  configuration?: {
    notifyChannelWebhookIfExists?: string;
    maxTotalMinutes?: number;
    userTimeoutInMinutes?: number;
  };
}

/** Body of `POST /conversations/{id}/typing`. */
export interface TypingRequest {
  authorType: ExternalAuthorType;
}

/** Body of `POST /conversations/{id}/thinking`. */
export interface ThinkingRequest {
  authorType?: 'bot';
  /** 1..600, default 60. */
  maxThinkingTimeSeconds?: number;
}

/** Body of `POST /conversations/{id}/read-receipt`. */
export interface ReadReceiptRequest {
  authorType: ExternalAuthorType;
  /** Epoch milliseconds; every message up to it counts as read. */
  readAt: number;
}

/** An RSA public key as served by `GET /chat-gateway/v1/jwk/{kid}/public`. */
export interface PublicJwk {
  kty: string;
  kid?: string;
  n?: string;
  e?: string;
  [key: string]: unknown;
}

/** Paging query of the list endpoints. */
export interface ListQuery {
  /** Page size, default 20. */
  size?: number;
  /** Zero-based page index, default 0. */
  page?: number;
  /** e.g. `id:asc`, or `createdAt:desc` on messages and cards. */
  sort?: string;
  /** A FIQL expression. */
  filter?: string;
}

/** The page block of a HAL list. */
export interface PageInfo {
  size: number;
  number: number;
  totalElements: number;
  totalPages: number;
}

/** A HAL list envelope: `{ _embedded: { [key]: T[] }, _links, page }`. */
export interface HalList<K extends string, T> {
  _embedded: { [P in K]: T[] };
  _links?: { self?: { href: string }; [rel: string]: { href: string } | undefined };
  page: PageInfo;
}
