/**
 * The Bot Framework connector side of the local Direct Line: the bot's `serviceUrl` points here,
 * so its replies (messages, typing, cards, suggested actions) and the handoff middleware's
 * proactive agent messages land in the conversation's log, where Web Chat polls them.
 */
import express, { type Router } from 'express';
import type { Activity, ChannelAccount } from 'botbuilder';
import type { DirectLineStore } from './store';

/** Options of {@link connectorRoutes}. */
export interface ConnectorRoutesOptions {
  store: DirectLineStore;
  /** Used when the bot leaves `from` empty. */
  bot: ChannelAccount;
}

/** Creates the express router to mount at `/v3/conversations`. */
export function connectorRoutes(options: ConnectorRoutesOptions): Router {
  const router = express.Router();
  const json = express.json({ limit: '1mb' });

  const receive = (req: express.Request, res: express.Response): void => {
    const conversationId = String(req.params.conversationId);
    if (!options.store.get(conversationId)) {
      res.status(404).json({ error: { code: 'ConversationNotFound', message: `No conversation ${conversationId}` } });
      return;
    }
    const activity = req.body as Partial<Activity>;
    const from = { ...options.bot, ...activity.from, role: 'bot' };
    const replyToId = req.params.replyToId === undefined ? activity.replyToId : String(req.params.replyToId);
    // Proactive sends (agent messages) reply to botbuilder's synthetic ContinueConversation event,
    // an id the conversation never saw. Web Chat holds such an activity for 5 s waiting for the
    // "original", so only keep reply ids that point at something in this conversation.
    const known = replyToId !== undefined && options.store.has(conversationId, replyToId);
    const stored = options.store.append(conversationId, { ...activity, from, replyToId: known ? replyToId : undefined });
    res.status(200).json({ id: stored.id });
  };

  router.post('/:conversationId/activities', json, receive);
  router.post('/:conversationId/activities/:replyToId', json, receive);
  return router;
}
