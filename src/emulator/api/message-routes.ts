/**
 * Messages, cards and participants of a conversation: list messages (default `createdAt:desc`),
 * send (202, no body, echoed as MESSAGE), get one, list a message's cards, list participants,
 * and the user leaving (`PATCH participants/user`, 204).
 */
import { Router } from 'express';
import type { Message, SendMessageRequest } from '../../gateway/types';
import type { StoredConversation, StoredMessage } from '../store';
import { conversationOr404, selfHref, sendHal, type ApiContext } from './context';
import { halList, parseListParams } from './paging';
import { badMessage, generalError, notFound } from './problems';
import { checkMessagePayload, isObject } from './validate';

/** The `MessageResult` view of a stored message. */
export function messageView(conversation: StoredConversation, m: StoredMessage): Message {
  const author = conversation.participants.find((p) => p.id === m.authorId && p.type === m.authorType);
  const view: Message = {
    id: m.id,
    text: m.text,
    createdAt: m.createdAt,
    author: { id: m.authorId, type: m.authorType, removed: author?.removed ?? false },
    attachments: m.attachmentIds.map((id) => ({ id })),
    cards: structuredClone(m.cards),
  };
  if (m.externalProvider) view.externalProvider = { ...m.externalProvider };
  return view;
}

/** The message, participant and card routes. */
export function messageRoutes(ctx: ApiContext): Router {
  const router = Router();
  const { engine, store } = ctx;
  const findMessage = (conversation: StoredConversation, id: string): StoredMessage => {
    const message = conversation.messages.find((m) => m.id === id);
    if (!message) throw notFound('Message', id);
    return message;
  };
  // These list operations declare no 404, so an unknown conversation gets the general (default) shape.
  const listed = (conversation: StoredConversation | undefined, id: string): StoredConversation => {
    if (!conversation) throw generalError(404, 'resource_not_found', `Conversation with id ${id} was not found.`);
    return conversation;
  };

  router.get('/conversations/:conversationId/messages', (req, res) => {
    const conversation = listed(store.conversations.get(req.params.conversationId), req.params.conversationId);
    const params = parseListParams(req.query, 'createdAt:desc', ['createdAt']);
    // 8x8's schema for this list declares no `_links`.
    sendHal(res, 200, halList('messages', conversation.messages.map((m) => messageView(conversation, m)), params, null));
  });

  router.post('/conversations/:conversationId/messages', (req, res) => {
    const conversation = conversationOr404(ctx, req);
    const problem = checkMessagePayload(req.body, (id) => store.attachments.get(id)?.conversationId === conversation.id);
    if (problem) throw badMessage(problem);
    engine.postMessage(conversation, req.body as SendMessageRequest);
    res.status(202).end();
  });

  router.get('/conversations/:conversationId/messages/:messageId', (req, res) => {
    const conversation = conversationOr404(ctx, req);
    sendHal(res, 200, messageView(conversation, findMessage(conversation, req.params.messageId)));
  });

  router.get('/conversations/:conversationId/messages/:messageId/cards', (req, res) => {
    const conversation = listed(store.conversations.get(req.params.conversationId), req.params.conversationId);
    const message = conversation.messages.find((m) => m.id === req.params.messageId);
    if (!message) throw generalError(404, 'resource_not_found', `Message with id ${req.params.messageId} was not found.`);
    const params = parseListParams(req.query, 'createdAt:desc', ['createdAt']);
    sendHal(res, 200, halList('cards', structuredClone(message.cards), params, selfHref(ctx, req)));
  });

  router.get('/conversations/:conversationId/participants', (req, res) => {
    const conversation = listed(store.conversations.get(req.params.conversationId), req.params.conversationId);
    const params = parseListParams(req.query, 'id:asc');
    const items = conversation.participants.map((p) => JSON.parse(JSON.stringify(p)) as object);
    sendHal(res, 200, halList('participants', items, params, selfHref(ctx, req)));
  });

  router.patch('/conversations/:conversationId/participants/user', (req, res) => {
    const conversation = conversationOr404(ctx, req);
    // Only `removed: true` does anything; 8x8 documents no other effect and no 400 for this operation.
    if (isObject(req.body) && req.body.removed === true) engine.userLeave(conversation);
    res.status(204).end();
  });

  return router;
}
