/**
 * `startEmulator()`: wires the store, engine, delivery and HTTP layers into a running local
 * 8x8 Chat Gateway with its agent console, and returns the handle tests and samples use.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { apiRouter } from './api/api-router';
import { fileRoutes } from './api/attachment-routes';
import { ChangeHub, type WaitOptions } from './changes';
import type { ConsoleConversation, ConsoleSnapshot } from './console-api';
import { consoleRouter } from './console-server';
import { consoleSnapshot } from './console-snapshot';
import { DeliveryLog, type DeliveryRecord } from './delivery/delivery-log';
import { postWebhook } from './delivery/http-post';
import { createSigningKey } from './delivery/signing-key';
import { WebhookDispatcher } from './delivery/webhook-dispatcher';
import { AgentActions } from './engine/agent-actions';
import { ConversationEngine } from './engine/conversation-engine';
import { FileLinks } from './engine/file-links';
import type { EmulatorFaults } from './faults';
import { IdFactory } from './ids';
import { resolveEmulatorOptions, type EmulatorOptions, type ResolvedEmulatorOptions } from './options';
import { ScriptedAgent } from './scripted-agent';
import { EmulatorStore } from './store';
import { TimerSet } from './timers';
import type { JWK } from 'jose';

/** A running emulator. */
export interface Emulator {
  /** Base URL, e.g. `http://127.0.0.1:3979`; the API is under `/chat-gateway/v1`. */
  readonly url: string;
  /** The agent console page. */
  readonly consoleUrl: string;
  /** The default channel's id (exists when `webhookUrl` was given). */
  readonly channelId: string;
  /** The default webhook's id (exists when `webhookUrl` was given). */
  readonly webhookId: string;
  /** The public signing key (with `kid`), as served at `/chat-gateway/v1/jwk/{kid}/public`. */
  readonly jwk: JWK & { kid: string };
  /** The scripted agents, one per configured agent. */
  readonly agents: ScriptedAgent[];
  /** Every webhook delivery so far, oldest first (a copy). */
  readonly deliveries: DeliveryRecord[];
  /** Every conversation, as the console shows it (a copy). */
  readonly conversations: ConsoleConversation[];
  /** Live fault injection; change its fields (or replace it) at any time. */
  faults: EmulatorFaults;
  /** The scripted agent with this id; throws when there is none. */
  agent(id: string): ScriptedAgent;
  /** One conversation as the console shows it, or undefined. */
  conversation(id: string): ConsoleConversation | undefined;
  /** The console snapshot. */
  snapshot(): ConsoleSnapshot;
  /** Resolves with the first conversation matching `predicate` (any when omitted), now or later. */
  waitForConversation(predicate?: (c: ConsoleConversation) => boolean, options?: WaitOptions): Promise<ConsoleConversation>;
  /** Resolves with the first delivery record matching `predicate`, now or later. */
  waitForDelivery(predicate: (d: DeliveryRecord) => boolean, options?: WaitOptions): Promise<DeliveryRecord>;
  /** Stops delivery, ends console streams and closes the server. */
  close(): Promise<void>;
}

/** Starts an emulator; resolves once it listens. Throws `ConfigurationError` on bad options. */
export async function startEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
  const opts = resolveEmulatorOptions(options);
  const ids = new IdFactory(opts.random);
  const key = await createSigningKey(ids.next(22));
  const store = seedStore(opts);
  const changes = new ChangeHub();
  const timers = new TimerSet();
  let baseUrl = '';
  const fileLinks = new FileLinks(() => baseUrl, () => opts.clock.now());
  const log = new DeliveryLog(() => changes.notify());
  const dispatcher = new WebhookDispatcher({
    key, tenantId: opts.tenantId, customerId: opts.customerId, delivery: opts.delivery, faults: () => opts.faults,
    clock: opts.clock, random: opts.random, ids, timers, log, post: postWebhook, logger: opts.logger,
  });
  const engine = new ConversationEngine({ store, dispatcher, changes, ids, clock: opts.clock, timers, queues: opts.queues, tenantId: opts.tenantId, fileLinks });
  const actions = new AgentActions(engine, opts.agents);
  const snapshot = () => consoleSnapshot(store, opts.queues, opts.agents, baseUrl);
  const consoleSide = consoleRouter({ actions, store, snapshot, subscribe: (l) => changes.subscribe(l) });

  const app = express();
  app.disable('x-powered-by');
  const ctx = { store, engine, dispatcher, fileLinks, ids, options: opts, baseUrl: () => baseUrl };
  app.use('/chat-gateway/v1', apiRouter(ctx, key));
  app.use(fileRoutes(ctx));
  app.use('/console', consoleSide.router);

  const server = http.createServer(app);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  baseUrl = `http://${opts.host.includes(':') ? `[${opts.host}]` : opts.host}:${port}`;
  opts.logger.info({ url: baseUrl }, 'emulator: listening');

  const agents = opts.agents.map((a) => new ScriptedAgent(a, { actions, store, changes, queues: opts.queues, baseUrl: () => baseUrl }));
  const view = (id: string) => snapshot().conversations.find((c) => c.id === id);
  let closed: Promise<void> | undefined;

  return {
    url: baseUrl,
    consoleUrl: `${baseUrl}/console/`,
    channelId: opts.channelId,
    webhookId: opts.webhookId,
    jwk: key.publicJwk,
    agents,
    get deliveries() {
      return log.all();
    },
    get conversations() {
      return snapshot().conversations;
    },
    get faults() {
      return opts.faults;
    },
    set faults(value: EmulatorFaults) {
      opts.faults = value;
    },
    agent(id) {
      const agent = agents.find((a) => a.id === id);
      if (!agent) throw new Error(`no agent ${id}; known: ${agents.map((a) => a.id).join(', ')}`);
      return agent;
    },
    conversation: view,
    snapshot,
    waitForConversation(predicate = () => true, waitOptions) {
      return changes.waitFor(() => snapshot().conversations.find(predicate), 'a matching conversation', waitOptions);
    },
    waitForDelivery(predicate, waitOptions) {
      return changes.waitFor(() => log.all().find(predicate), 'a matching webhook delivery', waitOptions);
    },
    close() {
      closed ??= shutdown();
      return closed;
    },
  };

  async function shutdown(): Promise<void> {
    timers.closeAll();
    consoleSide.close();
    await dispatcher.close();
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

/** The store with the preset and default webhooks and channels. */
function seedStore(opts: ResolvedEmulatorOptions): EmulatorStore {
  const store = new EmulatorStore();
  for (const webhook of opts.webhooks) store.webhooks.set(webhook.id, { version: 'Chat Gateway v1.0', ...webhook });
  for (const channel of opts.channels) store.channels.set(channel.id, { type: 'ChatAPI', ...channel });
  if (opts.webhookUrl) {
    store.webhooks.set(opts.webhookId, { id: opts.webhookId, name: 'Emulator webhook', uri: opts.webhookUrl, version: 'Chat Gateway v1.0' });
    store.channels.set(opts.channelId, {
      id: opts.channelId,
      name: 'Emulator channel',
      type: 'ChatAPI',
      webHookId: opts.webhookId,
      routingOptions: { type: 'queue', id: opts.queues[0]!.id },
    });
  }
  return store;
}
