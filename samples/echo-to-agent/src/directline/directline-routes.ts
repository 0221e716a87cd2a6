/**
 * A small Direct Line v3 endpoint for Web Chat, by hand: tokens, conversations, activities
 * (posting and polling) and uploads. Only what `botframework-directlinejs` calls in polling mode.
 * The bot's side of the conversation arrives through the connector routes (connector-routes.ts).
 */
import express, { type Request, type Response, type NextFunction, type Router } from 'express';
import type { Activity, ChannelAccount } from 'botbuilder';
import type { DirectLineConversation, DirectLineStore } from './store';
import type { Logger } from 'botbuilder-8x8-handoff';
import type { BotForwarder } from './forward-to-bot';
import { parseUpload, UploadError } from './parse-upload';

/** Options of {@link directLineRoutes}. */
export interface DirectLineRoutesOptions {
  store: DirectLineStore;
  forward: BotForwarder;
  /** The bot as a conversation member (for the `conversationUpdate` Web Chat's bot receives first). */
  bot: ChannelAccount;
  /** Absolute URL this router is mounted at, e.g. `http://127.0.0.1:3978/v3/directline`. */
  baseUrl: string;
  /** Largest accepted upload, per file. Default 10 MB. */
  maxFileBytes?: number;
  /** Told when the bot fails a forwarded activity. */
  logger: Logger;
}

const TOKEN_LIFETIME_SECONDS = 3600;

type Authed = Response<unknown, { conversation: DirectLineConversation }>;

/** Creates the express router to mount at `/v3/directline`. */
export function directLineRoutes(options: DirectLineRoutesOptions): Router {
  const { store, forward } = options;
  const maxFileBytes = options.maxFileBytes ?? 10 * 1024 * 1024;
  const started = new Set<string>();
  const router = express.Router();
  const json = express.json({ limit: '256kb' });
  const auth = bearerAuth(store);
  const describe = (c: DirectLineConversation) => ({ conversationId: c.id, token: c.token, expires_in: TOKEN_LIFETIME_SECONDS });

  // The real service needs a secret here; a local sandbox hands out tokens to any local page.
  router.post('/tokens/generate', json, (req, res) => {
    const user = (req.body as { user?: ChannelAccount } | undefined)?.user;
    const id = typeof user?.id === 'string' && user.id ? user.id : `dl_user_${Date.now().toString(36)}`;
    res.json(describe(store.createConversation({ id, name: typeof user?.name === 'string' ? user.name : 'Customer' })));
  });
  router.post('/tokens/refresh', auth, (_req, res: Authed) => void res.json(describe(res.locals.conversation)));

  router.post('/conversations', auth, async (_req, res: Authed) => {
    const conversation = res.locals.conversation;
    if (!started.has(conversation.id)) {
      started.add(conversation.id);
      // Like the real service, tell the bot who joined so it can greet the user.
      const update = { type: 'conversationUpdate', from: conversation.user, membersAdded: [options.bot, conversation.user] };
      await forward(store.append(conversation.id, update)).catch((err: Error) => {
        options.logger.warn({ err: err.message, conversationId: conversation.id }, 'The bot failed the conversation start');
      });
    }
    res.status(201).json(describe(conversation));
  });
  router.get('/conversations/:id', auth, (_req, res: Authed) => void res.json(describe(res.locals.conversation)));

  router.get('/conversations/:id/activities', auth, (req, res: Authed) => {
    const watermark = Number.parseInt(String(req.query.watermark ?? '0'), 10);
    res.json(store.since(res.locals.conversation.id, Number.isFinite(watermark) ? watermark : 0));
  });

  router.post('/conversations/:id/activities', auth, json, async (req, res: Authed) => {
    await accept(res, req.body as Partial<Activity>);
  });

  router.post('/conversations/:id/upload', auth, async (req, res: Authed) => {
    try {
      const { activity, files } = await parseUpload(req, maxFileBytes);
      const attachments = files.map((file, i) => {
        const stored = store.putFile(file.name, file.contentType, file.bytes);
        const declared = activity.attachments?.[i];
        return { ...declared, name: file.name, contentType: file.contentType, contentUrl: `${options.baseUrl}/attachments/${stored.id}` };
      });
      await accept(res, { ...activity, type: activity.type ?? 'message', attachments });
    } catch (err) {
      if (!(err instanceof UploadError)) throw err;
      res.status(err.status).json({ error: { code: 'BadArgument', message: err.message } });
    }
  });

  router.get('/attachments/:fileId', (req, res) => {
    const file = store.getFile(req.params.fileId);
    if (!file) return void res.status(404).json({ error: { code: 'NotFound', message: 'No such attachment' } });
    res.type(file.contentType).setHeader('content-disposition', `inline; filename="${encodeURIComponent(file.name)}"`);
    res.send(file.bytes);
  });

  /** Records the user's activity (Web Chat shows it as sent once it polls it back), then runs the bot. */
  async function accept(res: Authed, activity: Partial<Activity>): Promise<void> {
    const conversation = res.locals.conversation;
    if (typeof activity?.type !== 'string') return void res.status(400).json({ error: { code: 'BadArgument', message: 'An activity needs a type' } });
    const from = { ...conversation.user, name: activity.from?.name ?? conversation.user.name, role: 'user' };
    const stored = store.append(conversation.id, { ...activity, from });
    try {
      await forward(stored);
      res.json({ id: stored.id });
    } catch (err) {
      options.logger.warn({ err: (err as Error).message, conversationId: conversation.id }, 'The bot failed a user activity');
      res.status(502).json({ error: { code: 'BotError', message: (err as Error).message } });
    }
  }

  return router;
}

/** Checks `Authorization: Bearer <token>` and that the token belongs to the conversation in the path. */
function bearerAuth(store: DirectLineStore) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const token = /^Bearer (.+)$/i.exec(req.headers.authorization ?? '')?.[1];
    const conversation = token ? store.byToken(token) : undefined;
    const pathId = req.params.id;
    if (!conversation || (pathId !== undefined && pathId !== conversation.id)) {
      res.status(401).json({ error: { code: 'BadArgument', message: 'Missing or wrong Direct Line token' } });
      return;
    }
    res.locals.conversation = conversation;
    next();
  };
}
