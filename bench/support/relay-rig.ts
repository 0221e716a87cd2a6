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
import { CloudAdapter, ConfigurationBotFrameworkAuthentication, MemoryStorage, type ConversationReference } from 'botbuilder';
import { HandoffMiddleware, emptyRecord, type HandoffGatewayPort } from '../../src/handoff';
import { silentLogger } from '../../src/logger';
import { startBenchConnector, type BenchConnector } from './bench-connector';
import { createBenchKeys, messageBody, signShots, type BenchKeys, type Shot } from './fixtures';

/** A running rig. */
export interface RelayRig {
  url: URL;
  keys: BenchKeys;
  connector: BenchConnector;
  handoff: HandoffMiddleware;
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

async function connect(handoff: HandoffMiddleware, connector: BenchConnector, i: number): Promise<string> {
  const reference: Partial<ConversationReference> = {
    channelId: 'webchat',
    serviceUrl: connector.url,
    conversation: { id: `bench-conversation-${i}`, isGroup: false, name: '', conversationType: '' },
    bot: { id: 'bench-bot', name: 'Bot' },
    user: { id: `bench-user-${i}`, name: 'User' },
    locale: 'en-US',
  };
  const gatewayConversationId = `ID-bench-${String(i).padStart(4, '0')}`;
  const botKey = handoff.store.conversationKey(reference);
  const record = { ...emptyRecord(), state: 'connected' as const, reference, locale: 'en-US', handoffId: `handoff-${i}`, gatewayConversationId, agentId: 'agent-abc-123', agentName: 'Alex' };
  await handoff.store.update(botKey, () => ({ value: record, result: undefined }));
  await handoff.store.link(gatewayConversationId, botKey);
  return gatewayConversationId;
}

/** Starts the rig with `conversations` connected handoffs. */
export async function startRelayRig(conversations: number): Promise<RelayRig> {
  const keys = await createBenchKeys();
  const connector = await startBenchConnector();
  const errors: RelayRig['errors'] = [];
  const adapter = new CloudAdapter(new ConfigurationBotFrameworkAuthentication({}));
  const handoff = new HandoffMiddleware({
    gateway: unusedGateway,
    channelId: 'bench-channel',
    queueId: 'support',
    adapter,
    botAppId: '',
    storage: new MemoryStorage(),
    logger: silentLogger,
    webhook: { keySource: keys.keySource, logger: silentLogger },
    onError: (error, info) => void errors.push({ error, where: info.where }),
  });
  adapter.use(handoff);
  const app = express();
  app.post('/api/8x8/webhook', handoff.webhook());
  const server = http.createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const gatewayConversations: string[] = [];
  for (let i = 0; i < conversations; i++) gatewayConversations.push(await connect(handoff, connector, i));
  return {
    url: new URL(`http://127.0.0.1:${(server.address() as AddressInfo).port}/api/8x8/webhook`),
    keys,
    connector,
    handoff,
    gatewayConversations,
    errors,
    async close() {
      connector.release();
      await handoff.whenIdle();
      await connector.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

let nextSeq = 0;

/** Signed agent MESSAGE events, round-robin over the rig's conversations; each text carries its seq. */
export async function agentMessages(rig: RelayRig, count: number, prefix: string): Promise<{ shots: Shot[]; seqs: number[] }> {
  const seqs = Array.from({ length: count }, () => ++nextSeq);
  const bodies = seqs.map((seq, i) => {
    const conversation = rig.gatewayConversations[i % rig.gatewayConversations.length]!;
    return messageBody(conversation, seq, `Agent reply #seq:${seq}#. I am looking at your order now; the tracking link is on its way. One moment please.`);
  });
  return { shots: await signShots(rig.keys, bodies, { eventIdPrefix: `${prefix}-${seqs[0]}` }), seqs };
}
