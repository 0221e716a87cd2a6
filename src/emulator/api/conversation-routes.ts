/**
 * `/chat-gateway/v1/conversations` and the conversation-level operations: list, create (202),
 * get, PUT/PATCH (202 + the conversation), interactions, post-agent-assignment (201), and the
 * typing / thinking / read-receipt signals (204).
 */
import { Router } from 'express';
import type { Conversation, CreateConversationRequest } from '../../gateway/types';
import type { StoredConversation } from '../store';
import { conversationOr404, selfHref, sendHal, type ApiContext } from './context';
import { halList, parseListParams } from './paging';
import { generalError, invalidParameter, notFoundException } from './problems';
import { checkAssignment, checkMessagePayload, checkUser, isObject } from './validate';

/** The `ConversationResult` view of a stored conversation. */
export function conversationView(c: StoredConversation): Conversation {
  return { id: c.id, state: c.state, channelId: c.channelId, assignment: { ...c.assignment }, user: structuredClone(c.user) };
}

/** Validates a create body; returns it with the queue it routes to. */
function checkCreate(ctx: ApiContext, body: unknown): { request: CreateConversationRequest; queueId: string; scriptId?: string } {
  const bad = (code: string, message: string) => generalError(400, code, message);
  if (!isObject(body)) throw bad('invalid_json_object', 'The request body must be a JSON object.');
  const channel = typeof body.channelId === 'string' ? ctx.store.channels.get(body.channelId) : undefined;
  if (!channel) throw bad('invalid_channel', `Channel ID ${String(body.channelId)} is invalid.`);
  if (body.user === undefined) throw bad('invalid_user', 'user is required.');
  const userProblem = checkUser(body.user);
  if (userProblem) throw bad('invalid_user', userProblem);
  let queueId = channel.routingOptions.id;
  let scriptId: string | undefined;
  if (body.assignment !== undefined) {
    const problem = checkAssignment(body.assignment);
    if (problem) throw bad('invalid_assignment', problem);
    const assignment = body.assignment as { type?: string; id: string };
    // The emulated script routes the chat to the channel's queue (a real script could do more).
    if (assignment.type === 'script') scriptId = assignment.id;
    else queueId = assignment.id;
  }
  if (!ctx.engine.queue(queueId)) throw bad('invalid_queue', `Queue ID ${queueId} is invalid.`);
  if (body.history !== undefined) {
    const messages = isObject(body.history) ? body.history.messages : undefined;
    if (!Array.isArray(messages)) throw bad('invalid_history', 'history.messages is required and must be an array.');
    if (messages.length > 200) throw bad('invalid_history', `history.messages must have at most 200 items, got ${messages.length}.`);
    for (const [i, message] of messages.entries()) {
      const problem = checkMessagePayload(message, (id) => ctx.store.attachments.has(id), `history.messages[${i}]`);
      if (problem) throw bad('invalid_history', problem);
    }
  }
  return { request: body as unknown as CreateConversationRequest, queueId, scriptId };
}

/** Validates a PUT/PATCH body. */
function checkUpdate(ctx: ApiContext, body: unknown, patch: boolean): void {
  const bad = (code: string, message: string) => generalError(400, code, message);
  if (!isObject(body)) throw bad('invalid_json_object', 'The request body must be a JSON object.');
  if (patch && body.user === undefined && body.assignment === undefined) throw bad('invalid_json_object', 'PATCH needs assignment and/or user.');
  const userProblem = body.user === undefined ? undefined : checkUser(body.user);
  if (userProblem) throw bad('invalid_user', userProblem);
  if (body.assignment !== undefined) {
    const problem = checkAssignment(body.assignment);
    if (problem) throw bad('invalid_assignment', problem);
    const { type, id } = body.assignment as { type?: string; id: string };
    if (type !== 'script' && !ctx.engine.queue(id)) throw bad('invalid_queue', `Queue ID ${id} is invalid.`);
  }
  if (body.channelId !== undefined && (typeof body.channelId !== 'string' || !ctx.store.channels.has(body.channelId))) {
    throw bad('invalid_channel', `Channel ID ${String(body.channelId)} is invalid.`);
  }
}

/** The conversation routes. */
export function conversationRoutes(ctx: ApiContext): Router {
  const router = Router();
  const { engine, store } = ctx;

  router.get('/conversations', (req, res) => {
    const params = parseListParams(req.query, 'id:asc');
    const items = [...store.conversations.values()].map(conversationView);
    sendHal(res, 200, halList('conversations', items, params, selfHref(ctx, req)));
  });

  router.post('/conversations', (req, res) => {
    const { request, queueId, scriptId } = checkCreate(ctx, req.body);
    const conversation = engine.create(request, queueId, scriptId);
    sendHal(res, 202, { conversationId: conversation.id, createdAt: conversation.createdAt });
  });

  router.get('/conversations/:conversationId', (req, res) => sendHal(res, 200, conversationView(conversationOr404(ctx, req))));

  for (const method of ['put', 'patch'] as const) {
    router[method]('/conversations/:conversationId', (req, res) => {
      const conversation = conversationOr404(ctx, req);
      checkUpdate(ctx, req.body, method === 'patch');
      engine.update(conversation, req.body as Parameters<typeof engine.update>[1]);
      sendHal(res, 202, conversationView(conversation));
    });
  }

  router.get('/conversations/:conversationId/interactions', (req, res) => {
    const conversation = conversationOr404(ctx, req);
    const params = parseListParams(req.query, 'startTime:asc');
    sendHal(res, 200, halList('interactions', conversation.interactions, params, selfHref(ctx, req)));
  });

  router.post('/conversations/:conversationId/post-agent-assignment', (req, res) => {
    const conversation = conversationOr404(ctx, req, notFoundException);
    const invalid = (detail: string) => invalidParameter(conversation.id, ctx.options.tenantId, detail);
    const body: unknown = req.body;
    if (!isObject(body) || typeof body.id !== 'string' || (body.type ?? 'webhook') !== 'webhook') throw invalid('id (a webhook id) and type webhook are required');
    if (!store.webhooks.has(body.id)) throw invalid(`WebHook ID ${body.id} is invalid`);
    const config = isObject(body.configuration) ? body.configuration : {};
    const inRange = (value: unknown, min: number, max: number) => value === undefined || (Number(value) >= min && Number(value) <= max);
    if (!inRange(config.maxTotalMinutes, 20, 600)) throw invalid('configuration.maxTotalMinutes must be between 20 and 600');
    if (!inRange(config.userTimeoutInMinutes, 10, 300)) throw invalid('configuration.userTimeoutInMinutes must be between 10 and 300');
    conversation.postAgentAssignment = structuredClone(body);
    res.status(201).end();
  });

  router.post('/conversations/:conversationId/typing', (req, res) => {
    const conversation = conversationOr404(ctx, req, notFoundException);
    const body: unknown = req.body;
    if (!isObject(body) || (body.authorType !== 'user' && body.authorType !== 'bot')) {
      throw invalidParameter(conversation.id, ctx.options.tenantId, 'authorType must be one of bot, user');
    }
    engine.userTyping(conversation);
    res.status(204).end();
  });

  router.post('/conversations/:conversationId/thinking', (req, res) => {
    const conversation = conversationOr404(ctx, req, notFoundException);
    const body: Record<string, unknown> = isObject(req.body) ? req.body : {};
    const seconds = body.maxThinkingTimeSeconds;
    const badSeconds = seconds !== undefined && (!Number.isInteger(seconds) || (seconds as number) < 1 || (seconds as number) > 600);
    if ((body.authorType ?? 'bot') !== 'bot' || badSeconds) {
      throw invalidParameter(conversation.id, ctx.options.tenantId, 'authorType must be bot and maxThinkingTimeSeconds 1..600');
    }
    engine.userTyping(conversation);
    res.status(204).end();
  });

  router.post('/conversations/:conversationId/read-receipt', (req, res) => {
    const conversation = conversationOr404(ctx, req, notFoundException);
    const body: unknown = req.body;
    if (!isObject(body) || (body.authorType !== 'user' && body.authorType !== 'bot') || !Number.isInteger(body.readAt)) {
      throw invalidParameter(conversation.id, ctx.options.tenantId, 'authorType (bot or user) and readAt (epoch ms) are required');
    }
    res.status(204).end();
  });

  return router;
}
