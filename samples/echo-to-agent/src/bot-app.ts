/**
 * The bot side of the sample on an express app: the echo bot behind a CloudAdapter with the
 * handoff middleware, `/api/messages`, `/api/8x8/webhook`, and (with auth off) the customer page
 * and its local Direct Line. The same bot also serves customers of 8x8's own channels (web
 * widget, WhatsApp) through a ChatGatewayAdapter on the same webhook route, unless
 * `EIGHTX8_DIGITAL_CHANNELS=off`. This is the part a bot author copies into their own bot.
 */
import { randomBytes } from 'node:crypto';
import type { Express } from 'express';
import express from 'express';
import { ConversationState, MemoryStorage } from 'botbuilder';
import { ChatGatewayAdapter, createAttachmentFetcher, createHandoffMetrics, HandoffMiddleware, triggers, type AvailabilityCheck, type HandoffConfig, type HandoffMetrics, type Logger, type WeeklyScheduleInput } from 'botbuilder-8x8-handoff';
import type { BotAuthConfig } from './config';
import type { ConnectedGateway } from './gateway-target';
import { createBotAdapter } from './bot-adapter';
import { EchoBot } from './bot/echo-bot';
import { mountLocalDirectLine } from './directline/local-directline';
import type { DirectLineStore } from './directline/store';
import { pageRoutes } from './web/page-routes';
import { opsRoutes } from './ops-routes';

/** Words and phrases that send the user to a person. */
export const ESCALATION_KEYWORDS = ['agent', 'human', 'representative', 'real person', 'live agent', 'operator', 'talk to a person', 'speak to someone'];

/** Options of {@link mountBot}. */
export interface MountBotOptions {
  gateway: ConnectedGateway;
  botAuth?: BotAuthConfig;
  /** The sample's own URL as seen from this machine, e.g. `http://127.0.0.1:3978`. */
  loopbackUrl: string;
  logger: Logger;
  /** The declarative handoff configuration (`HANDOFF_CONFIG`). */
  handoffConfig?: HandoffConfig;
  /** The handoff's metrics, served on `/metrics`. Default: new ones for this gateway. */
  metrics?: HandoffMetrics;
  /**
   * Agent files as links to this bot's `/api/8x8/files` route (`FILE_LINKS_*`). Default: with auth
   * off, links on `loopbackUrl` signed with a secret made at startup (the sample's storage does not
   * outlive the process either); with auth on, none (small files inline, larger ones 8x8's links).
   */
  fileLinks?: { baseUrl: string; secret: string };
  /** Serve customers of 8x8's own channels too (`EIGHTX8_DIGITAL_CHANNELS`). Default true. */
  digitalChannels?: boolean;
  /** The bearer token `/metrics` asks for (`METRICS_TOKEN`). Default none: `/metrics` is open. */
  metricsToken?: string;
}

/** The route agent files are served on (`fileLinks.baseUrl` points here). */
export const FILES_PATH = '/api/8x8/files';

/** The configured hours and the gateway's own check, whichever exist (undefined: always open). */
function availabilityChecks(hours: WeeklyScheduleInput | undefined, check: AvailabilityCheck | undefined): Array<WeeklyScheduleInput | AvailabilityCheck> | undefined {
  const all = [...(hours ? [hours] : []), ...(check ? [check] : [])];
  return all.length ? all : undefined;
}

/** The mounted bot: the local Direct Line store when the local chat runs, and a clean stop. */
export interface MountedBot {
  directLine?: DirectLineStore;
  /** Stops the middleware's deadline sweeps and scheduled retries (call it before closing the gateway). */
  dispose(): void;
}

/** Mounts the bot's routes. */
export function mountBot(app: Express, options: MountBotOptions): MountedBot {
  const { gateway, botAuth, logger } = options;
  const metrics = options.metrics ?? createHandoffMetrics({ gateway: gateway.client });
  const storage = new MemoryStorage();
  const adapter = createBotAdapter(botAuth, logger);
  const bot = new EchoBot(new ConversationState(storage));
  const fileLinks = options.fileLinks ?? (botAuth ? undefined : { baseUrl: `${options.loopbackUrl}${FILES_PATH}`, secret: randomBytes(32).toString('base64url') });
  const handoff = new HandoffMiddleware({
    gateway: gateway.client,
    channelId: gateway.channelId,
    queueId: gateway.queueId,
    adapter,
    botAppId: botAuth?.appId ?? '',
    storage,
    bot,
    logger,
    observer: metrics.observer,
    triggers: [triggers.keywords(ESCALATION_KEYWORDS), triggers.handoffInitiate()],
    config: options.handoffConfig,
    // Opening hours from HANDOFF_CONFIG, and the embedded emulator's Tenant Schedule (its console switch).
    availability: availabilityChecks(options.handoffConfig?.availability, gateway.availability),
    // The waiting room of HANDOFF_CONFIG, with the place in the queue from the emulator's statistics.
    waitingRoom: options.handoffConfig?.waitingRoom && gateway.queueStats ? { ...options.handoffConfig.waitingRoom, queueStats: gateway.queueStats } : undefined,
    webhook: { baseUrl: gateway.jwkBaseUrl, logger },
    // Agent files as links to this bot, which fetches them from 8x8 when opened: they outlive 8x8's pre-signed URLs.
    fileLinks,
    // Attachment downloads are refused on private addresses by default (a user picks the URL). The
    // local Direct Line serves Web Chat uploads from this machine, so allow exactly that host.
    fetchAttachment: botAuth ? undefined : createAttachmentFetcher({ maxBytes: 10 * 1024 * 1024, allowHosts: [new URL(options.loopbackUrl).hostname] }),
  });
  adapter.use(handoff);
  if (options.digitalChannels ?? true) mountDigitalChannels(handoff, { gateway, bot, storage, logger });

  app.post('/api/messages', express.json({ limit: '1mb' }), (req, res) => adapter.process(req, res, (context) => bot.run(context)));
  // The webhook handler reads the raw body itself (the signature covers the exact bytes): no JSON parser here.
  app.post('/api/8x8/webhook', handoff.webhook());
  // The signed links of agent files; each request downloads the file from 8x8 by id.
  if (fileLinks) app.get(`${FILES_PATH}/*path`, handoff.files());
  // Scrape and probe endpoints. With auth on the bot listens on every interface: set METRICS_TOKEN,
  // or keep /metrics reachable from your monitoring network only (a proxy rule or a network policy).
  if (botAuth && !options.metricsToken) logger.warn({ route: '/metrics' }, 'sample: /metrics answers anyone who reaches this port; set METRICS_TOKEN to ask scrapers for a bearer token');
  app.use(opsRoutes({ metrics, storage, gateway: gateway.client, metricsToken: options.metricsToken }));
  if (botAuth) {
    // The local Direct Line cannot mint Bot Framework tokens, so it has nothing to offer with auth on.
    app.get('/', (_req, res) => void res.type('text').send('The local customer chat is off because MicrosoftAppId is set.'));
    return { dispose: () => handoff.dispose() };
  }
  const directLine = mountLocalDirectLine(app, { baseUrl: options.loopbackUrl, bot: { id: 'echo-to-agent-bot', name: 'Echo bot' }, logger });
  const widgetUrl = (options.digitalChannels ?? true) ? gateway.emulator?.widgetUrl : undefined;
  app.use(pageRoutes({ consoleUrl: gateway.emulator?.consoleUrl, ...(widgetUrl ? { widgetUrl } : {}) }));
  return { directLine, dispose: () => handoff.dispose() };
}

/**
 * The second flow: 8x8 routes a conversation of one of its own channels (web widget, WhatsApp,
 * ...) to the bot's webhook. The webhook route stays the middleware's: it passes the events of
 * conversations the middleware did not create to this adapter, which runs the same echo bot and
 * posts its answers as `bot` messages. The escalation keywords then re-route that same
 * conversation to the handoff's queue (EIGHTX8_QUEUE_ID) instead of creating one.
 */
function mountDigitalChannels(handoff: HandoffMiddleware, deps: { gateway: ConnectedGateway; bot: EchoBot; storage: MemoryStorage; logger: Logger }): ChatGatewayAdapter {
  const { logger } = deps;
  const channel = new ChatGatewayAdapter({ gateway: deps.gateway.client, bot: deps.bot, storage: deps.storage, greeting: true, logger });
  channel.onTurnError = async (context, error) => {
    logger.error({ err: { name: error.name, message: error.message }, conversation: context.activity.conversation?.id }, 'The bot failed a turn of an 8x8 channel conversation');
    await context.sendActivity('Sorry, something went wrong on my side. Please try again.').catch(() => undefined);
  };
  channel.use(handoff);
  handoff.shareWebhookWith(channel);
  return channel;
}
