/**
 * Where escalations go: the embedded emulator (no 8x8 account needed) or a real 8x8 Chat Gateway.
 * Either way the bot gets a client, a channel, a queue, and the host whose JWK signs webhooks.
 */
import { randomBytes } from 'node:crypto';
import { ChatGatewayClient, queueStatsAvailability, tenantScheduleAvailability, type AvailabilityCheck, type HandoffObserver, type Logger } from 'botbuilder-8x8-handoff';
import { EMULATOR_API_SECRET, EMULATOR_DATA_REQUEST_TOKEN, startEmulator, type Emulator } from 'botbuilder-8x8-handoff/emulator';
import type { GatewayTarget } from './config';

/** The sample's emulator queue, where keyword and dialog escalations go. */
export const SAMPLE_QUEUE = { id: 'support', name: 'Support' };

/** A second queue, so the console's Transfer has somewhere to send a conversation. */
export const SAMPLE_TRANSFER_QUEUE = { id: 'billing', name: 'Billing' };

/** The embedded emulator's 8x8 web widget channel (a WebChat channel routed to the bot's webhook first). */
export const SAMPLE_WIDGET_CHANNEL = 'emulator-webchat';

/** A connected gateway. */
export interface ConnectedGateway {
  client: ChatGatewayClient;
  channelId: string;
  queueId: string;
  /** Base URL whose `/chat-gateway/v1/jwk/{kid}/public` verifies webhook signatures. */
  jwkBaseUrl: string;
  /** Asked before each escalation: the embedded emulator's Tenant Schedule (its console's open/closed switch). */
  availability?: AvailabilityCheck;
  /** Place in the queue for the waiting-room updates: the embedded emulator's real-time queue statistics. */
  queueStats?: AvailabilityCheck;
  /** The embedded emulator, when no 8x8 credentials were given. */
  emulator?: Emulator;
  close(): Promise<void>;
}

/** Options of {@link connectGateway}. */
export interface ConnectGatewayOptions {
  target: GatewayTarget;
  /** The bot's webhook URL, registered with the emulator. */
  webhookUrl: string;
  emulatorPort: number;
  logger: Logger;
  /** Told about failed 8x8 calls (the metrics). */
  observer?: HandoffObserver;
  /** Give the embedded emulator an 8x8 web widget channel routed to the bot (`EIGHTX8_DIGITAL_CHANNELS`). */
  widget?: boolean;
}

/** Starts the emulator (or not) and creates the client. */
export async function connectGateway(options: ConnectGatewayOptions): Promise<ConnectedGateway> {
  const { target } = options;
  if (target.kind === '8x8') {
    const client = new ChatGatewayClient({ apiKey: target.apiKey, tenantId: target.tenantId, baseUrl: target.baseUrl, logger: options.logger, observer: options.observer });
    return { client, channelId: target.channelId, queueId: target.queueId, jwkBaseUrl: target.baseUrl, close: async () => client.close() };
  }
  // A fresh key per run: the emulator is local, but nothing else should be able to drive it by guessing.
  const apiKey = `sample-${randomBytes(12).toString('hex')}`;
  const emulator = await startEmulator({ port: options.emulatorPort, apiKey, webhookUrl: options.webhookUrl, queues: [SAMPLE_QUEUE, SAMPLE_TRANSFER_QUEUE], ...(options.widget ? { widgetChannelId: SAMPLE_WIDGET_CHANNEL } : {}) }).catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'EADDRINUSE') throw new Error(`EMULATOR_PORT ${options.emulatorPort} is in use: stop what uses it or set EMULATOR_PORT to a free port`);
    throw err;
  });
  const client = new ChatGatewayClient({ apiKey, baseUrl: emulator.url, logger: options.logger, observer: options.observer });
  return {
    client,
    channelId: emulator.channelId,
    queueId: SAMPLE_QUEUE.id,
    jwkBaseUrl: emulator.url,
    emulator,
    // Uncached, so flipping the console's switch takes effect on the next escalation.
    availability: tenantScheduleAvailability({ scheduleId: 1, tenant: 'emulator-tenant', dataRequestToken: EMULATOR_DATA_REQUEST_TOKEN, baseUrl: emulator.url, cacheSeconds: 0, onError: (report) => options.logger.warn({ err: report.error }, 'sample: emulator schedule unreachable; treating it as open') }),
    // The emulator answers 8x8's real-time metrics API with the sample's API key and its fixed secret.
    queueStats: queueStatsAvailability({ apiKey, apiSecret: EMULATOR_API_SECRET, baseUrl: emulator.url, cacheSeconds: 1, onError: (report) => options.logger.warn({ err: report.error }, 'sample: emulator queue statistics unreachable') }),
    close: async () => {
      client.close();
      await emulator.close();
    },
  };
}
