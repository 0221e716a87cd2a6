/**
 * What the API routes share: state, engine, dispatcher, resolved options, and small response
 * helpers for 8x8's content types.
 */
import type { Request, Response } from 'express';
import type { WebhookDispatcher } from '../delivery/webhook-dispatcher';
import type { ConversationEngine } from '../engine/conversation-engine';
import type { FileLinks } from '../engine/file-links';
import type { IdFactory } from '../ids';
import type { ResolvedEmulatorOptions } from '../options';
import type { EmulatorStore, StoredConversation } from '../store';
import { notFound, type ApiProblem } from './problems';

/** Dependencies of the API routes. */
export interface ApiContext {
  store: EmulatorStore;
  engine: ConversationEngine;
  dispatcher: WebhookDispatcher;
  fileLinks: FileLinks;
  ids: IdFactory;
  options: ResolvedEmulatorOptions;
  /** The emulator's base URL, e.g. `http://127.0.0.1:3979`. */
  baseUrl: () => string;
}

/** Writes a success body as `application/hal+json`. */
export function sendHal(res: Response, status: number, body: unknown): void {
  res.status(status).type('application/hal+json').send(JSON.stringify(body));
}

/** The absolute URL of the current request, for `_links.self`. */
export function selfHref(ctx: ApiContext, req: Request): string {
  return `${ctx.baseUrl()}${req.originalUrl}`;
}

/** The conversation in `req.params.conversationId`, or the 404 built by `missing`. */
export function conversationOr404(
  ctx: ApiContext,
  req: Request,
  missing: (type: string, id: string) => ApiProblem = notFound,
): StoredConversation {
  const id = String(req.params.conversationId);
  const conversation = ctx.store.conversations.get(id);
  if (!conversation) throw missing('Conversation', id);
  return conversation;
}
