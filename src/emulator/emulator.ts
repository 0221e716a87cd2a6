/**
 * `startEmulator()`: wires the store, engine, delivery and HTTP layers into a running local
 * 8x8 Chat Gateway with its agent console, and returns the handle tests and samples use.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import type { JWK } from 'jose';
import { apiRouter } from './api/api-router';
import type { ApiContext } from './api/context';
import { ConfigurationError, HandoffError } from '../errors';
import { FIDELITY_PROFILES, isFidelityProfile, type FidelityProfile } from './delivery/fidelity';
import { fidelityConsole } from './delivery/fidelity-console';
import { fileRoutes } from './api/attachment-routes';
import { ChangeHub, type WaitOptions } from './changes';
import { contactCenterRoutes } from './contact-center/routes';
import { contactCenterConsole } from './contact-center/console-routes';
import { ContactCenter } from './contact-center/state';
import type { ConsoleConversation, ConsoleSnapshot } from './console-api';
import { consoleRouter } from './console-server';
import { consoleSnapshot } from './console-snapshot';
import { WidgetCustomer } from './engine/widget-customer';
import { widgetRouter } from './widget-server';
import { DeliveryLog, type DeliveryRecord } from './delivery/delivery-log';
import { postWebhook } from './delivery/http-post';
import { createSigningKey, type SigningKey } from './delivery/signing-key';
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

/** A running emulator. */
export interface Emulator {
  /** Base URL, e.g. `http://127.0.0.1:3979`; the API is under `/chat-gateway/v1`. */
  readonly url: string;
  /** The agent console page. */
  readonly consoleUrl: string;
  /** The 8x8 web widget page (a conversation there goes to the bot first; needs `widgetChannelId`). */
  readonly widgetUrl: string;
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
  /**
   * The contact center around the gateway: open/closed switch (`setOpenMode('closed')`), agent
   * presence, queue figures. Its Tenant Schedule and real-time statistics APIs answer from it.
   */
  readonly contactCenter: ContactCenter;
  /** Live fault injection; change its fields (or replace it) at any time. */
  faults: EmulatorFaults;
  /** The fidelity profile of the events delivered from now on; settable at any time (also from the console). */
  fidelity: FidelityProfile;
  /**
   * Delivers an arbitrary event body, signed, to the webhook of its conversation's channel, in
   * order with that conversation's other events (no profile applied). For tests of event forms
   * the emulator does not produce. An event without a `conversationId` (`WEB_HOOK_VERIFY`) goes to
   * the webhook of the emulator's channel. Throws when `conversationId` names no conversation.
   */
  deliverEvent(event: Record<string, unknown> & { conversationId?: string }): DeliveryRecord;
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

/** The wired parts of one emulator instance. */
interface Core {
  opts: ResolvedEmulatorOptions;
  key: SigningKey;
  store: EmulatorStore;
  changes: ChangeHub;
  timers: TimerSet;
  log: DeliveryLog;
  dispatcher: WebhookDispatcher;
  engine: ConversationEngine;
  actions: AgentActions;
  ctx: ApiContext;
  /** Set once the server listens. */
  base: { url: string };
  snapshot: () => ConsoleSnapshot;
  center: ContactCenter;
}

/** Starts an emulator; resolves once it listens. Throws `ConfigurationError` on bad options. */
export async function startEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
  const core = await createCore(resolveEmulatorOptions(options));
  const consoleSide = consoleRouter({ actions: core.actions, store: core.store, snapshot: core.snapshot, subscribe: (l) => core.changes.subscribe(l) });
  const widgetSide = widgetRouter({
    customer: core.opts.widgetChannelId ? new WidgetCustomer(core.engine, core.opts.widgetChannelId) : undefined,
    conversation: (id) => core.snapshot().conversations.find((c) => c.id === id),
    subscribe: (l) => core.changes.subscribe(l),
  });
  const app = express();
  app.disable('x-powered-by');
  app.use('/chat-gateway/v1', apiRouter(core.ctx, core.key));
  app.use(fileRoutes(core.ctx));
  app.use('/console/api/contact-center', contactCenterConsole(core.center));
  app.use('/console/api/fidelity', fidelityConsole({ get: () => core.opts.fidelity, set: (profile) => void (core.opts.fidelity = profile) }));
  app.use('/console', consoleSide.router);
  app.use(contactCenterRoutes(core.center, core.opts, () => core.opts.clock.now()));
  app.use('/widget', widgetSide.router);
  // The root has nothing of its own: people who type the bare address want the console.
  app.get('/', (_req, res) => res.redirect(302, '/console/'));
  const server = http.createServer(app);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(core.opts.port, core.opts.host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const host = core.opts.host.includes(':') ? `[${core.opts.host}]` : core.opts.host;
  core.base.url = `http://${host}:${port}`;
  core.opts.logger.info({ url: core.base.url }, 'emulator: listening');
  return createHandle(core, async () => {
    core.timers.closeAll();
    consoleSide.close();
    widgetSide.close();
    await core.dispatcher.close();
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
}

/** Builds the store, delivery, engine and agent layers. */
async function createCore(opts: ResolvedEmulatorOptions): Promise<Core> {
  const ids = new IdFactory(opts.random);
  const key = await createSigningKey(ids.next(22));
  const store = seedStore(opts);
  const changes = new ChangeHub();
  const timers = new TimerSet();
  const base = { url: '' };
  const fileLinks = new FileLinks(() => base.url, () => opts.clock.now(), opts.fileLinkTtlMs);
  const log = new DeliveryLog(() => changes.notify());
  const dispatcher = new WebhookDispatcher({
    key, tenantId: opts.tenantId, customerId: opts.customerId, delivery: opts.delivery, faults: () => opts.faults,
    clock: opts.clock, random: opts.random, ids, timers, log, post: postWebhook, logger: opts.logger, fidelity: () => opts.fidelity,
  });
  const botChannelIds = opts.widgetChannelId ? [opts.widgetChannelId] : [];
  const engine = new ConversationEngine({ store, dispatcher, changes, ids, clock: opts.clock, timers, queues: opts.queues, tenantId: opts.tenantId, fileLinks, botChannelIds });
  const actions = new AgentActions(engine, opts.agents);
  const ctx: ApiContext = { store, engine, dispatcher, fileLinks, ids, options: opts, baseUrl: () => base.url };
  const snapshot = () => consoleSnapshot(store, opts.queues, opts.agents, base.url);
  const center = new ContactCenter({ store, clock: opts.clock, queues: opts.queues, agents: opts.agents, onChange: () => changes.notify() }, opts.schedule);
  return { opts, key, store, changes, timers, log, dispatcher, engine, actions, ctx, base, snapshot, center };
}

/** The public handle over a listening core. */
function createHandle(core: Core, shutdown: () => Promise<void>): Emulator {
  const { opts, changes, log, snapshot } = core;
  const agents = opts.agents.map((a) => new ScriptedAgent(a, { actions: core.actions, store: core.store, changes, queues: opts.queues, baseUrl: () => core.base.url }));
  let closed: Promise<void> | undefined;
  return {
    url: core.base.url,
    consoleUrl: `${core.base.url}/console/`,
    widgetUrl: `${core.base.url}/widget/`,
    channelId: opts.channelId,
    webhookId: opts.webhookId,
    jwk: core.key.publicJwk,
    agents,
    contactCenter: core.center,
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
    get fidelity() {
      return opts.fidelity;
    },
    set fidelity(value: FidelityProfile) {
      if (!isFidelityProfile(value)) throw new ConfigurationError('fidelity', `${String(value)} is not a fidelity profile`, `Pass one of ${FIDELITY_PROFILES.join(', ')}.`);
      opts.fidelity = value;
    },
    deliverEvent(event) {
      if (event.conversationId === undefined) return core.dispatcher.enqueueRaw('raw', event, () => core.store.webhookUriFor(opts.channelId));
      const conversation = core.store.conversations.get(event.conversationId);
      if (!conversation) throw new HandoffError('E_EMULATOR_CONVERSATION', `no conversation ${String(event.conversationId)}`);
      return core.dispatcher.enqueueRaw(conversation.id, event, () => core.store.webhookUriFor(conversation.channelId));
    },
    agent(id) {
      const agent = agents.find((a) => a.id === id);
      if (!agent) throw new HandoffError('E_EMULATOR_AGENT', `no agent ${id}; known: ${agents.map((a) => a.id).join(', ')}`);
      return agent;
    },
    conversation: (id) => snapshot().conversations.find((c) => c.id === id),
    snapshot,
    waitForConversation(predicate = () => true, waitOptions) {
      return changes.waitFor(() => snapshot().conversations.find(predicate), 'a matching conversation', waitOptions);
    },
    waitForDelivery(predicate, waitOptions) {
      return changes.waitFor(() => log.find(predicate), 'a matching webhook delivery', waitOptions);
    },
    close() {
      closed ??= shutdown();
      return closed;
    },
  };
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
    if (opts.widgetChannelId) {
      store.channels.set(opts.widgetChannelId, {
        id: opts.widgetChannelId,
        name: 'Web widget',
        type: 'WebChat',
        webHookId: opts.webhookId,
        routingOptions: { type: 'queue', id: opts.queues[0]!.id },
      });
    }
  }
  return store;
}
