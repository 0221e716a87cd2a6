/**
 * `ChatGatewayClient`: every 8x8 Chat Gateway endpoint the plugin and its setup need, on axios,
 * with timeouts, a total deadline, safe retries and typed errors (see ./request and ./retry).
 */
import type { Readable } from 'node:stream';
import { parseContentDisposition, uploadForm, type DownloadedAttachment, type UploadAttachmentInput } from './attachments';
import { headerString } from './error-mapping';
import { ChatGatewaySetupClient, GATEWAY_PATH, segment } from './setup-client';
import type {
  Attachment, Card, Conversation, CreateConversationRequest, CreateConversationResponse, ExternalAuthorType,
  HalList, Interaction, ListQuery, Message, Participant, PatchConversationRequest, PostAgentAssignmentRequest,
  ReadReceiptRequest, SendMessageRequest, ThinkingRequest, UpdateConversationRequest,
} from './types';

const conv = (id: string) => `${GATEWAY_PATH}/conversations/${segment('conversationId', id)}`;

/** The Chat Gateway client: conversations, messages, participants, attachments, plus setup calls. */
export class ChatGatewayClient extends ChatGatewaySetupClient {
  /** `POST /conversations` (202): opens a conversation, i.e. hands the user over. Never retried once sent. */
  async createConversation(req: CreateConversationRequest): Promise<CreateConversationResponse> {
    return this.data({ method: 'POST', path: `${GATEWAY_PATH}/conversations`, idempotent: false, body: req });
  }

  /** `GET /conversations/{id}`. */
  async getConversation(conversationId: string): Promise<Conversation> {
    return this.data({ method: 'GET', path: conv(conversationId), idempotent: true });
  }

  /** `GET /conversations`. */
  async listConversations(query?: ListQuery): Promise<HalList<'conversations', Conversation>> {
    return this.list('conversations', { method: 'GET', path: `${GATEWAY_PATH}/conversations`, idempotent: true, query });
  }

  /** `PUT /conversations/{id}` (202; applied asynchronously by 8x8). */
  async updateConversation(conversationId: string, req: UpdateConversationRequest): Promise<Conversation> {
    return this.data({ method: 'PUT', path: conv(conversationId), idempotent: true, body: req });
  }

  /** `PATCH /conversations/{id}` (202): change the queue and/or user while queued. */
  async patchConversation(conversationId: string, req: PatchConversationRequest): Promise<Conversation> {
    return this.data({ method: 'PATCH', path: conv(conversationId), idempotent: true, body: req });
  }

  /** `GET /conversations/{id}/interactions`. */
  async listInteractions(conversationId: string, query?: ListQuery): Promise<HalList<'interactions', Interaction>> {
    return this.list('interactions', { method: 'GET', path: `${conv(conversationId)}/interactions`, idempotent: true, query });
  }

  /** `POST /conversations/{id}/post-agent-assignment` (201): hand back to a webhook after the agent. */
  async postAgentAssignment(conversationId: string, req: PostAgentAssignmentRequest): Promise<void> {
    await this.http.send({ method: 'POST', path: `${conv(conversationId)}/post-agent-assignment`, idempotent: false, body: req });
  }

  /** `POST /conversations/{id}/typing` (204). */
  async sendTyping(conversationId: string, authorType: ExternalAuthorType): Promise<void> {
    await this.http.send({ method: 'POST', path: `${conv(conversationId)}/typing`, idempotent: false, body: { authorType } });
  }

  /** `POST /conversations/{id}/thinking` (204); `authorType` defaults to `bot`. */
  async sendThinking(conversationId: string, req: ThinkingRequest = {}): Promise<void> {
    const body: ThinkingRequest = { authorType: 'bot', ...req };
    await this.http.send({ method: 'POST', path: `${conv(conversationId)}/thinking`, idempotent: false, body });
  }

  /** `POST /conversations/{id}/read-receipt` (204). */
  async sendReadReceipt(conversationId: string, req: ReadReceiptRequest): Promise<void> {
    await this.http.send({ method: 'POST', path: `${conv(conversationId)}/read-receipt`, idempotent: false, body: req });
  }

  /** `POST /conversations/{id}/messages` (202, no id returned). Never retried once the request was sent. */
  async sendMessage(conversationId: string, msg: SendMessageRequest): Promise<void> {
    await this.http.send({ method: 'POST', path: `${conv(conversationId)}/messages`, idempotent: false, body: msg });
  }

  /** `GET /conversations/{id}/messages` (default sort `createdAt:desc`). */
  async listMessages(conversationId: string, query?: ListQuery): Promise<HalList<'messages', Message>> {
    return this.list('messages', { method: 'GET', path: `${conv(conversationId)}/messages`, idempotent: true, query });
  }

  /** `GET /conversations/{id}/messages/{messageId}`. */
  async getMessage(conversationId: string, messageId: string): Promise<Message> {
    const path = `${conv(conversationId)}/messages/${segment('messageId', messageId)}`;
    return this.data({ method: 'GET', path, idempotent: true });
  }

  /** `GET /conversations/{id}/messages/{messageId}/cards`. */
  async listCards(conversationId: string, messageId: string, query?: ListQuery): Promise<HalList<'cards', Card>> {
    const path = `${conv(conversationId)}/messages/${segment('messageId', messageId)}/cards`;
    return this.list('cards', { method: 'GET', path, idempotent: true, query });
  }

  /** `GET /conversations/{id}/participants`. */
  async listParticipants(conversationId: string, query?: ListQuery): Promise<HalList<'participants', Participant>> {
    return this.list('participants', { method: 'GET', path: `${conv(conversationId)}/participants`, idempotent: true, query });
  }

  /**
   * `PATCH /conversations/{id}/participants/user {"removed": true}` (204): the customer leaves, which
   * ends the current interaction and frees the agent. Setting a flag is idempotent, so it is retried.
   */
  async removeUser(conversationId: string): Promise<void> {
    await this.http.send({ method: 'PATCH', path: `${conv(conversationId)}/participants/user`, idempotent: true, body: { removed: true } });
  }

  /** `POST /conversations/{id}/attachments` (multipart); reference the returned id in a message. */
  async uploadAttachment(conversationId: string, input: UploadAttachmentInput): Promise<Attachment> {
    const path = `${conv(conversationId)}/attachments`;
    return this.data({ method: 'POST', path, idempotent: false, body: uploadForm(input) });
  }

  /** `GET /conversations/{id}/attachments`. */
  async listAttachments(conversationId: string, query?: ListQuery): Promise<HalList<'attachments', Attachment>> {
    return this.list('attachments', { method: 'GET', path: `${conv(conversationId)}/attachments`, idempotent: true, query });
  }

  /** `GET /conversations/{id}/attachments/{attachmentId}`: the metadata. */
  async getAttachment(conversationId: string, attachmentId: string): Promise<Attachment> {
    const path = `${conv(conversationId)}/attachments/${segment('attachmentId', attachmentId)}`;
    return this.data({ method: 'GET', path, idempotent: true });
  }

  /**
   * `GET /conversations/{id}/attachments/{attachmentId}/content`: the bytes as a stream. The caller
   * must consume or destroy the stream; `maxResponseBytes` does not apply to it.
   */
  async downloadAttachment(conversationId: string, attachmentId: string): Promise<DownloadedAttachment> {
    const path = `${conv(conversationId)}/attachments/${segment('attachmentId', attachmentId)}/content`;
    const res = await this.http.send<Readable>({ method: 'GET', path, idempotent: true, responseType: 'stream' });
    const length = Number(headerString(res.headers['content-length']));
    const result: DownloadedAttachment = {
      stream: res.data,
      contentType: headerString(res.headers['content-type']) ?? 'application/octet-stream',
    };
    const filename = parseContentDisposition(headerString(res.headers['content-disposition']));
    if (filename !== undefined) result.filename = filename;
    if (Number.isInteger(length) && length >= 0) result.contentLength = length;
    return result;
  }
}

/** The narrow port the middleware and webhook layers depend on; an emulator or a fake can implement it. */
export type ChatGatewayPort = Pick<
  ChatGatewayClient,
  | 'createConversation' | 'getConversation' | 'patchConversation' | 'sendMessage' | 'sendTyping'
  | 'sendThinking' | 'sendReadReceipt' | 'removeUser' | 'uploadAttachment' | 'downloadAttachment'
  | 'listMessages' | 'listParticipants' | 'getPublicJwk'
>;
