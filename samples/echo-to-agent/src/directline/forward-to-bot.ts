/**
 * Delivers a Web Chat activity to the bot the way a Bot Framework channel does: an HTTP POST to
 * the bot's `/api/messages`, with `serviceUrl` pointing at the connector routes that collect the
 * bot's replies. Going over HTTP (not calling the bot in-process) keeps the sample honest: the bot
 * and the handoff middleware see exactly what a real channel would send.
 */
import type { Activity, ChannelAccount } from 'botbuilder';

/** Options of {@link createBotForwarder}. */
export interface BotForwarderOptions {
  /** The bot's messaging endpoint, e.g. `http://127.0.0.1:3978/api/messages`. */
  botEndpoint: string;
  /** Where the bot sends replies: the local connector routes, e.g. `http://127.0.0.1:3978/`. */
  serviceUrl: string;
  /** The bot as the recipient of the activity. */
  bot: ChannelAccount;
  /** The Bot Framework channel id to report. Default `directline`. */
  channelId?: string;
}

/** Sends one activity to the bot; resolves when the bot finished its turn. */
export type BotForwarder = (activity: Partial<Activity>) => Promise<void>;

/** The bot answered with an error, or could not be reached. */
export class BotUnavailableError extends Error {}

/** Creates the function that forwards Web Chat activities to the bot. */
export function createBotForwarder(options: BotForwarderOptions): BotForwarder {
  const channelId = options.channelId ?? 'directline';
  return async (activity) => {
    const body = { ...activity, channelId, serviceUrl: options.serviceUrl, recipient: { ...options.bot, role: 'bot' } };
    let response: Response;
    try {
      response = await fetch(options.botEndpoint, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    } catch (err) {
      throw new BotUnavailableError(`The bot at ${options.botEndpoint} could not be reached`, { cause: err });
    }
    // Drain the body so the connection is released before the caller answers Web Chat.
    await response.arrayBuffer();
    if (!response.ok) throw new BotUnavailableError(`The bot answered ${response.status}`);
  };
}
