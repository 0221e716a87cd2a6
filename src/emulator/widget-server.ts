/**
 * The emulator's 8x8 web widget: a customer page (`/widget/`) and its JSON API. A conversation
 * opened here belongs to the widget channel, whose events go to the bot's webhook: the bot
 * answers first, and a handover puts the conversation, with everything said so far, in the
 * agent console's queue.
 *
 * - `POST /widget/api/conversations`                  `{ name?, email?, language? }` -> 201 `{ conversationId }`
 * - `GET  /widget/api/conversations/:id`              the conversation (a `ConsoleConversation`)
 * - `GET  /widget/api/conversations/:id/events`       Server-Sent Events `conversation` on every change
 * - `POST /widget/api/conversations/:id/messages`     `{ text }` (JSON), or multipart with `text?` and a file part `file`
 * - `POST /widget/api/conversations/:id/cards/:cardId/submit`  `{ data }`
 * - `POST /widget/api/conversations/:id/quick-reply`  `{ title, payload? }`
 * - `POST /widget/api/conversations/:id/leave`
 * Actions answer 204, or 4xx with `{ error }`. Without a widget channel every API route answers 404.
 */
import path from 'node:path';
import express, { Router, type Request, type Response } from 'express';
import { readMultipart } from './api/attachment-routes';
import { isObject } from './api/validate';
import type { ConsoleConversation } from './console-api';
import { AgentActionError } from './engine/agent-actions';
import { EventStreams, servePageFolder } from './page-server';
import type { WidgetCustomer } from './engine/widget-customer';

/** Dependencies of the widget routes. */
export interface WidgetDeps {
  /** Undefined when the emulator has no widget channel. */
  customer?: WidgetCustomer;
  conversation: (id: string) => ConsoleConversation | undefined;
  subscribe: (listener: () => void) => () => void;
}

/** The `/widget` router and a `close()` that ends open event streams. */
export function widgetRouter(deps: WidgetDeps): { router: Router; close: () => void } {
  const router = Router();
  const streams = new EventStreams(deps.subscribe);
  servePageFolder(router, path.join(__dirname, 'widget'));

  router.use('/api', (_req, res, next) => {
    if (deps.customer) return next();
    res.status(404).json({ error: 'the emulator has no web widget channel (start it with widgetChannelId)' });
  });

  const json = express.json({ limit: '2mb' });
  const run = (handler: (req: Request, res: Response) => Promise<void> | void) => async (req: Request, res: Response) => {
    try {
      await handler(req, res);
      if (!res.headersSent) res.status(204).end();
    } catch (err) {
      res.status(err instanceof AgentActionError ? err.status : 400).json({ error: (err as Error).message });
    }
  };
  const customer = () => deps.customer!;

  router.post('/api/conversations', json, run((req, res) => {
    const body: Record<string, unknown> = isObject(req.body) ? req.body : {};
    const text = (key: string) => (typeof body[key] === 'string' && (body[key] as string).trim() !== '' ? (body[key] as string).trim() : undefined);
    const user = Object.fromEntries(Object.entries({ name: text('name') ?? 'Web visitor', email: text('email'), language: text('language') }).filter(([, v]) => v !== undefined));
    const conversation = customer().open(user);
    res.status(201).json({ conversationId: conversation.id });
  }));

  router.get('/api/conversations/:id', (req, res) => {
    const conversation = deps.conversation(req.params.id);
    if (!conversation) return void res.status(404).json({ error: `no conversation ${req.params.id}` });
    res.json(conversation);
  });

  router.get('/api/conversations/:id/events', (req, res) => {
    if (!deps.conversation(req.params.id)) return void res.status(404).json({ error: `no conversation ${req.params.id}` });
    streams.open(req, res, 'conversation', () => deps.conversation(req.params.id));
  });

  router.post('/api/conversations/:id/messages', json, run(async (req) => {
    if (req.is('multipart/form-data')) {
      const upload = await readMultipart(req, 'file');
      const files = upload.file ? [{ filename: upload.file.filename, contentType: upload.file.contentType, data: upload.file.data }] : [];
      return customer().say(String(req.params.id), { text: typeof upload.fields.text === 'string' ? upload.fields.text : undefined, files });
    }
    const body: unknown = req.body;
    if (!isObject(body) || typeof body.text !== 'string') throw new AgentActionError(400, 'text is required');
    customer().say(String(req.params.id), { text: body.text });
  }));

  router.post('/api/conversations/:id/cards/:cardId/submit', json, run((req) => {
    const body: unknown = req.body;
    const data = isObject(body) && isObject(body.data) ? body.data : {};
    customer().submitCard(String(req.params.id), String(req.params.cardId), data);
  }));

  router.post('/api/conversations/:id/quick-reply', json, run((req) => {
    const body: unknown = req.body;
    if (!isObject(body) || typeof body.title !== 'string' || body.title === '') throw new AgentActionError(400, 'title is required');
    customer().quickReply(String(req.params.id), body.title, typeof body.payload === 'string' ? body.payload : undefined);
  }));

  router.post('/api/conversations/:id/leave', run((req) => customer().leave(String(req.params.id))));

  return { router, close: () => streams.close() };
}
