/**
 * Starts the whole sample in one process: the echo bot with the handoff middleware, the 8x8
 * webhook, the customer chat page over a local Direct Line, and (without 8x8 credentials) the
 * embedded Chat Gateway emulator with its agent console. Tests start it on port 0.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { createHandoffMetrics, type HandoffMetrics, type Logger } from 'botbuilder-8x8-handoff';
import type { Emulator } from 'botbuilder-8x8-handoff/emulator';
import { parseSampleEnv } from './config';
import { connectGateway } from './gateway-target';
import { mountBot } from './bot-app';
import type { DirectLineStore } from './directline/store';
import { bannerLines } from './banner';
import { createSampleLogger } from './sample-logger';

/** Options of {@link startSample}; the environment supplies everything not given here. */
export interface StartSampleOptions {
  /** Environment variables (see config.ts). Default `process.env`. */
  env?: NodeJS.ProcessEnv;
  /** Overrides `PORT`; 0 picks a free port. */
  port?: number;
  /** Overrides `EMULATOR_PORT`; 0 picks a free port. */
  emulatorPort?: number;
  /** Where the startup banner goes. Default `console.log`. */
  out?: (line: string) => void;
  /** Default: pino at `LOG_LEVEL` (default `warn`, so the banner stays readable). */
  logger?: Logger;
}

/** A running sample. */
export interface RunningSample {
  /** The bot and chat page at the address the server bound, e.g. `http://127.0.0.1:3978`. */
  url: string;
  /** The agent console, when the emulator runs. */
  consoleUrl?: string;
  /** The emulator's 8x8 web widget page, when the emulator runs and `EIGHTX8_DIGITAL_CHANNELS` is not off. */
  widgetUrl?: string;
  /** The embedded emulator, when it runs. */
  emulator?: Emulator;
  /** The local Direct Line's memory, when the local chat runs (auth off). */
  directLine?: DirectLineStore;
  /** The handoff's Prometheus metrics (served on `/metrics`). */
  metrics: HandoffMetrics;
  /** Stops the bot server and the emulator. */
  close(): Promise<void>;
}

/** Starts the sample. Rejects with a one-line error on bad configuration or a busy port. */
export async function startSample(options: StartSampleOptions = {}): Promise<RunningSample> {
  const config = parseSampleEnv(options.env ?? process.env);
  const port = options.port ?? config.port;
  const out = options.out ?? ((line: string) => console.log(line));
  const logger = options.logger ?? createSampleLogger(options.env ?? process.env);
  const authOn = config.botAuth !== undefined;

  const app = express();
  app.disable('x-powered-by');
  // Without inbound auth anyone who reaches the port can impersonate a channel: stay on loopback.
  const server = await listen(app, port, config.host);
  const bound = server.address() as AddressInfo;
  const actualPort = bound.port;
  const loopback = `http://${isWildcard(bound.address) ? '127.0.0.1' : hostPart(bound.address)}:${actualPort}`;

  const metrics = createHandoffMetrics();
  const gateway = await connectGateway({
    target: config.gateway, webhookUrl: `${loopback}/api/8x8/webhook`, emulatorPort: options.emulatorPort ?? config.emulatorPort, logger, observer: metrics.observer,
    widget: config.digitalChannels,
  }).catch(async (err: unknown) => {
    await closeServer(server);
    throw err;
  });

  metrics.watchBreaker(gateway.client);
  let directLine: DirectLineStore | undefined;
  let disposeBot: () => void = () => undefined;
  try {
    ({ directLine, dispose: disposeBot } = mountBot(app, { gateway, botAuth: config.botAuth, loopbackUrl: loopback, logger, metrics, handoffConfig: config.handoffConfig, fileLinks: config.fileLinks, digitalChannels: config.digitalChannels, metricsToken: config.metricsToken }));
  } catch (err) {
    await closeServer(server);
    await gateway.close();
    throw err;
  }

  // The banner shows the address the server really bound, so what it prints is what answers.
  const url = isWildcard(bound.address) ? `http://localhost:${actualPort}` : loopback;
  const consoleUrl = gateway.emulator?.consoleUrl;
  const widgetUrl = config.digitalChannels ? gateway.emulator?.widgetUrl : undefined;
  const gatewayUrl = config.gateway.kind === '8x8' ? config.gateway.baseUrl : undefined;
  for (const line of bannerLines({ chatUrl: url, consoleUrl, widgetUrl, gatewayUrl, authOn, localChat: !authOn, listeningOn: isWildcard(bound.address) ? 'all interfaces' : bound.address })) out(line);

  return {
    url, consoleUrl, widgetUrl, emulator: gateway.emulator, directLine, metrics,
    close: async () => {
      await closeServer(server);
      // No deadline sweep may call the gateway once it is gone.
      disposeBot();
      await gateway.close();
    },
  };
}

function listen(app: express.Express, port: number, host: string | undefined): Promise<http.Server> {
  const server = http.createServer(app);
  return new Promise((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) => {
      reject(err.code === 'EADDRINUSE' ? new Error(`PORT ${port} is in use: stop what uses it or set PORT to a free port`) : err);
    });
    server.listen(port, host, () => resolve(server));
  });
}

async function closeServer(server: http.Server): Promise<void> {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
}

/** True for "all interfaces" (`::` or `0.0.0.0`), which has no single address to print. */
function isWildcard(address: string): boolean {
  return address === '::' || address === '0.0.0.0';
}

/** An address as the host part of a URL (IPv6 in brackets). */
function hostPart(address: string): string {
  return address.includes(':') ? `[${address}]` : address;
}
