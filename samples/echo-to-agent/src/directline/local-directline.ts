/**
 * Puts the local Direct Line together: one store, the Web Chat-facing routes under
 * `/v3/directline`, and the connector routes under `/v3/conversations` that the bot replies to.
 */
import type { Express } from 'express';
import type { ChannelAccount } from 'botbuilder';
import type { Logger } from 'botbuilder-8x8-handoff';
import { DirectLineStore } from './store';
import { createBotForwarder } from './forward-to-bot';
import { directLineRoutes } from './directline-routes';
import { connectorRoutes } from './connector-routes';

/** Options of {@link mountLocalDirectLine}. */
export interface LocalDirectLineOptions {
  /** The sample's own base URL as the bot reaches it, e.g. `http://127.0.0.1:3978`. */
  baseUrl: string;
  /** The bot as a conversation member. */
  bot: ChannelAccount;
  /** The store to use; a fresh one by default. */
  store?: DirectLineStore;
  /** Where bot failures are reported. */
  logger: Logger;
}

/** Mounts the local Direct Line on `app` and returns its store (tests read it). */
export function mountLocalDirectLine(app: Express, options: LocalDirectLineOptions): DirectLineStore {
  const store = options.store ?? new DirectLineStore();
  const forward = createBotForwarder({ botEndpoint: `${options.baseUrl}/api/messages`, serviceUrl: `${options.baseUrl}/`, bot: options.bot });
  app.use('/v3/directline', directLineRoutes({ store, forward, bot: options.bot, baseUrl: `${options.baseUrl}/v3/directline`, logger: options.logger }));
  app.use('/v3/conversations', connectorRoutes({ store, bot: options.bot }));
  return store;
}
