/**
 * The end-to-end rig of the relay benchmark: a real `CloudAdapter` (no app id, loopback only)
 * with the `HandoffMiddleware`, its `webhook()` behind express on 127.0.0.1:0, and the
 * {@link BenchConnector} as every conversation's `serviceUrl`. Conversations are put straight into
 * the `connected` state through the middleware's own store (one compare-and-set write each), as
 * if a user had escalated and an agent had joined.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { CloudAdapter, ConfigurationBotFrameworkAuthentication, MemoryStorage, type ConversationReference, type Storage } from 'botbuilder';
import { HandoffMiddleware, emptyRecord, type HandoffGatewayPort } from '../../src/handoff';
import { HandoffStore } from '../../src/handoff/store';
import { writeRecord } from '../../test/support/records';
import type { TranscriptEntry } from '../../src/transcript';
import { silentLogger } from '../../src/logger';
import { startBenchConnector, type BenchConnector } from './bench-connector';
import { createBenchKeys, messageBody, signShots, type BenchKeys, type Shot } from './fixtures';

/** A running rig. */
export interface RelayRig {
  /** The first instance's webhook. */
  url: URL;
  /** Every instance's webhook (one per instance; a load balancer would spread over them). */
  urls: URL[];
  keys: BenchKeys;
  connector: BenchConnector;
  handoff: HandoffMiddleware;
  /** The 8x8 conversation id -> bot conversation reference of each connected handoff. */
  references: Map<string, Partial<ConversationReference>>;
  /** 8x8 conversation ids of the connected handoffs. */
  gatewayConversations: string[];
  /** Everything reported to the middleware's `onError`. */
  errors: Array<{ error: unknown; where: string }>;
  close(): Promise<void>;
}

const notUsed = async (): Promise<never> => {
  throw new Error('the relay benchmark never calls 8x8');
};

/** Agent-to-user relay only: nothing here escalates or forwards user messages, so 8x8 is never called. */
const unusedGateway: HandoffGatewayPort = { createConversation: notUsed, sendMessage: notUsed, uploadAttachment: notUsed, sendTyping: notUsed, removeUser: notUsed };

/** Options of {@link startRelayRig}. */
export interface RelayRigOptions {
  /** One Storage per instance (e.g. two RedisStorage clients on one server). Default one MemoryStorage. */
  storages?: Storage[];
  /** Transcript entries each conversation already has (a long chat before the handoff). Default 0. */
  transcriptEntries?: number;
  /** A connector to share with another rig. Default a new one, closed with the rig. */
  connector?: BenchConnector;
}

/** A realistic transcript line, about 150 bytes of JSON. */
export function transcriptEntry(i: number): TranscriptEntry {
  return {
    direction: i % 2 ? 'out' : 'in',
    type: 'message',
    text: i % 2 ? `Bot answer ${i}: here is what I found about your order and its delivery window.` : `User question ${i}: where is my order?`,
    from: { role: i % 2 ? 'bot' : 'user', name: i % 2 ? 'Bot' : 'User' },
    timestamp: new Date(1713100000000 + i * 1000).toISOString(),
  };
}

/**
 * Puts bot conversation `i` straight into a connected handoff (its record and 8x8 link), with
 * `transcriptEntries` lines of earlier chat. Returns its 8x8 conversation id and reference.
 */
export async function connectHandoff(storage: Storage, serviceUrl: string, i: number, transcriptEntries: number): Promise<[string, Partial<ConversationReference>]> {
  const reference: Partial<ConversationReference> = {
    channelId: 'webchat',
    serviceUrl,
    conversation: { id: `bench-conversation-${i}`, isGroup: false, name: '', conversationType: '' },
    bot: { id: 'bench-bot', name: 'Bot' },
    user: { id: `bench-user-${i}`, name: 'User' },
    locale: 'en-US',
  };
  const gatewayConversationId = `ID-bench-${String(i).padStart(4, '0')}`;
  // The middleware's default namespace; the record is written as a connected handoff would have left it.
  const store = new HandoffStore(storage);
  const botKey = store.conversationKey(reference);
  const record = { ...emptyRecord(), state: 'connected' as const, reference, locale: 'en-US', handoffId: `handoff-${i}`, gatewayConversationId, agentId: 'agent-abc-123', agentName: 'Alex' };
  await writeRecord(storage, botKey, () => record);
  // Where user turns keep the transcript (its own key, in pages), two entries a turn, with the middleware's default bounds.
  for (let n = 0; n < transcriptEntries; n += 2) {
    const turn = [transcriptEntry(n), transcriptEntry(n + 1)].slice(0, transcriptEntries - n);
    await store.appendTranscript(botKey, turn, { maxEntries: 220, maxBytes: 262_144 });
  }
  await store.link(gatewayConversationId, botKey);
  return [gatewayConversationId, reference];
}

function startInstance(storage: Storage, keys: BenchKeys, errors: RelayRig['errors'], instanceId: string): { handoff: HandoffMiddleware; server: http.Server } {
  const adapter = new CloudAdapter(new ConfigurationBotFrameworkAuthentication({}));
  const handoff = new HandoffMiddleware({
    gateway: unusedGateway,
    channelId: 'bench-channel',
    queueId: 'support',
    adapter,
    botAppId: '',
    storage,
    instanceId,
    logger: silentLogger,
    webhook: { keySource: keys.keySource, logger: silentLogger },
    onError: (error, info) => void errors.push({ error, where: info.where }),
  });
  adapter.use(handoff);
  const app = express();
  app.post('/api/8x8/webhook', handoff.webhook());
  return { handoff, server: http.createServer(app) };
}

/** Starts the rig with `conversations` connected handoffs, one instance per storage. */
export async function startRelayRig(conversations: number, options: RelayRigOptions = {}): Promise<RelayRig> {
  const keys = await createBenchKeys();
  const ownConnector = !options.connector;
  const connector = options.connector ?? (await startBenchConnector());
  const errors: RelayRig['errors'] = [];
  const storages = options.storages ?? [new MemoryStorage()];
  const instances = storages.map((storage, i) => startInstance(storage, keys, errors, `bench-instance-${i}`));
  for (const { server } of instances) await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const handoff = instances[0]!.handoff;
  const references = new Map<string, Partial<ConversationReference>>();
  for (let i = 0; i < conversations; i++) {
    const [id, reference] = await connectHandoff(storages[0]!, connector.url, i, options.transcriptEntries ?? 0);
    references.set(id, reference);
  }
  const urls = instances.map(({ server }) => new URL(`http://127.0.0.1:${(server.address() as AddressInfo).port}/api/8x8/webhook`));
  return {
    url: urls[0]!,
    urls,
    keys,
    connector,
    handoff,
    references,
    gatewayConversations: [...references.keys()],
    errors,
    async close() {
      connector.release();
      for (const instance of instances) await instance.handoff.whenIdle();
      for (const instance of instances) instance.handoff.dispose();
      if (ownConnector) await connector.close();
      for (const { server } of instances) {
        server.closeAllConnections();
        await new Promise<void>((resolve) => server.close(() => resolve()));
      }
    },
  };
}

let nextSeq = 0;

/** Signed agent MESSAGE events, round-robin over the rig's conversations; each text carries its seq. */
export async function agentMessages(rig: Pick<RelayRig, 'gatewayConversations' | 'keys'>, count: number, prefix: string): Promise<{ shots: Shot[]; seqs: number[] }> {
  const seqs = Array.from({ length: count }, () => ++nextSeq);
  const bodies = seqs.map((seq, i) => {
    const conversation = rig.gatewayConversations[i % rig.gatewayConversations.length]!;
    return messageBody(conversation, seq, `Agent reply #seq:${seq}#. I am looking at your order now; the tracking link is on its way. One moment please.`);
  });
  return { shots: await signShots(rig.keys, bodies, { eventIdPrefix: `${prefix}-${seqs[0]}` }), seqs };
}
