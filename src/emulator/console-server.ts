/**
 * The server side of the agent console (contract in console-api.ts): the static page, the
 * adaptivecards bundle, the state, the live event stream, and the agent actions, which go
 * through the same {@link AgentActions} as the scripted agents.
 */
import path from 'node:path';
import express, { Router, type Request } from 'express';
import { readMultipart, sendFile } from './api/attachment-routes';
import type { ConsoleSnapshot } from './console-api';
import { AgentActionError, type AgentActions, type AgentFile } from './engine/agent-actions';
import { isObject } from './api/validate';
import { EventStreams, servePageFolder } from './page-server';
import type { EmulatorStore } from './store';

/** Dependencies of the console routes. */
export interface ConsoleDeps {
  actions: AgentActions;
  store: EmulatorStore;
  snapshot: () => ConsoleSnapshot;
  /** Registers a change listener; returns its remover. */
  subscribe: (listener: () => void) => () => void;
  /** Heartbeat interval of the event stream. Default 15 s. */
  heartbeatMs?: number;
}

function adaptiveCardsBundle(): string {
  try {
    return require.resolve('adaptivecards/dist/adaptivecards.min.js');
  } catch {
    return require.resolve('adaptivecards/dist/adaptivecards.js');
  }
}

/** The `/console` router and a `close()` that ends every open event stream. */
export function consoleRouter(deps: ConsoleDeps): { router: Router; close: () => void } {
  const router = Router();
  const streams = new EventStreams(deps.subscribe, deps.heartbeatMs);
  servePageFolder(router, path.join(__dirname, 'console'));
  router.get('/vendor/adaptivecards.js', (_req, res) => {
    res.type('application/javascript').sendFile(adaptiveCardsBundle());
  });

  router.get('/api/state', (_req, res) => void res.json(deps.snapshot()));

  router.get('/api/events', (req, res) => streams.open(req, res, 'snapshot', deps.snapshot));

  router.get('/api/attachments/:attachmentId', (req, res) => {
    const attachment = deps.store.attachments.get(req.params.attachmentId);
    if (!attachment) return void res.status(404).json({ error: `unknown attachment ${req.params.attachmentId}` });
    sendFile(res, attachment, attachment.contentType, req.query.download ? 'attachment' : 'inline');
  });

  const json = express.json({ limit: '2mb' });
  const action = (name: string, run: (body: Record<string, unknown>, id: string, req: Request) => Promise<void> | void) =>
    router.post(`/api/conversations/:id/${name}`, json, async (req, res) => {
      try {
        const body: unknown = req.is('multipart/form-data') ? await multipartMessage(req) : req.body;
        if (!isObject(body) || typeof body.agentId !== 'string' || !body.agentId) throw new AgentActionError(400, 'agentId is required');
        await run(body, req.params.id as string, req);
        res.status(204).end();
      } catch (err) {
        const status = err instanceof AgentActionError ? err.status : 400;
        res.status(status).json({ error: (err as Error).message });
      }
    });

  action('accept', (b, id) => deps.actions.accept(String(b.agentId), id));
  action('typing', (b, id) => {
    if (typeof b.typing !== 'boolean') throw new AgentActionError(400, 'typing must be a boolean');
    deps.actions.typing(String(b.agentId), id, b.typing);
  });
  action('messages', (b, id) => {
    if (b.text !== undefined && typeof b.text !== 'string') throw new AgentActionError(400, 'text must be a string');
    if (b.cards !== undefined && !Array.isArray(b.cards)) throw new AgentActionError(400, 'cards must be an array');
    const files = b.file ? [b.file as AgentFile] : [];
    deps.actions.say(String(b.agentId), id, { text: b.text as string | undefined, cards: b.cards as never, files });
  });
  action('transfer', (b, id) => {
    if (typeof b.queueId !== 'string') throw new AgentActionError(400, 'queueId is required');
    deps.actions.transfer(String(b.agentId), id, b.queueId);
  });
  action('end', (b, id) => deps.actions.end(String(b.agentId), id));

  return { router, close: () => streams.close() };
}

/** Reads a console multipart message: fields `agentId`, `text?` and one file part `file`. */
async function multipartMessage(req: Request): Promise<Record<string, unknown>> {
  const upload = await readMultipart(req, 'file');
  const body: Record<string, unknown> = { ...upload.fields };
  if (upload.file) body.file = { filename: upload.file.filename, contentType: upload.file.contentType, data: upload.file.data };
  return body;
}
