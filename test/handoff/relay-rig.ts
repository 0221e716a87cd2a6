/**
 * An AgentRelay over a MemoryStorage whose proactive sends go through botbuilder's TestAdapter
 * (real TurnContexts, real send pipeline), with a connector that fails the sends a test scripts.
 */
import { buildRelay } from '../support/relay-core';
import { writeRecord } from '../support/records';
import { MemoryStorage, type Activity, type ResourceResponse, type TurnContext } from 'botbuilder-core';
import { resolveHandoffOptions, type HandoffMiddlewareOptions } from '../../src/handoff/options';
import type { RelayDeps } from '../../src/handoff/relay';
import type { OutboxItem } from '../../src/handoff/types';
import { silentLogger } from '../../src/logger';
import { ProactiveTestAdapter } from '../support/test-adapter';

/** A TestAdapter whose `sendActivities` (one connector call after botbuilder's retries) throws the scripted errors first. */
export class ScriptedConnector extends ProactiveTestAdapter {
  /** What the next calls throw, in order; `undefined` lets that call through. */
  readonly failures: unknown[] = [];
  /** What the next proactive turns throw before running any logic (e.g. a 401 getting the token), in order. */
  readonly turnFailures: unknown[] = [];
  /** Every activity that got through, with the (injected) time it was sent. */
  readonly sent: Array<{ type?: string; text?: string; at: number }> = [];

  constructor(private readonly now: () => number = Date.now) {
    super(async () => undefined);
  }

  override async continueConversationAsync(...args: Parameters<ProactiveTestAdapter['continueConversationAsync']>): Promise<void> {
    const failure = this.turnFailures.shift();
    if (failure) throw failure;
    return super.continueConversationAsync(...args);
  }

  override async sendActivities(context: TurnContext, activities: Array<Partial<Activity>>): Promise<ResourceResponse[]> {
    const failure = this.failures.shift();
    if (failure) throw failure;
    for (const activity of activities) this.sent.push({ type: activity.type, text: activity.text, at: this.now() });
    return super.sendActivities(context, activities);
  }

  /** Texts of the messages that got through. */
  texts(): Array<string | undefined> {
    return this.sent.filter((a) => a.type === 'message').map((a) => a.text);
  }
}

export const BOT_KEY = 'bot-1';

/** An activity outbox item whose text is its id. */
export const textItem = (id: string): OutboxItem => ({ id, kind: 'activity', activity: { type: 'message', text: id } });

/** Builds the relay with `outbox` seeded into a connected conversation. */
export async function relayRig(outbox: OutboxItem[], extra: Partial<HandoffMiddlewareOptions> = {}, deps: RelayDeps & { now?: () => number } = {}) {
  const adapter = new ScriptedConnector(deps.now);
  const errors: Array<{ error: unknown; where: string }> = [];
  const options = resolveHandoffOptions({
    gateway: { createConversation: jest.fn(), sendMessage: jest.fn(), uploadAttachment: jest.fn(), sendTyping: jest.fn(), removeUser: jest.fn() },
    channelId: 'c', queueId: 'q', adapter, botAppId: 'bot-app-id', storage: new MemoryStorage(), logger: silentLogger,
    onError: (error, info) => void errors.push({ error, where: info.where }),
    ...extra,
  });
  const { store, relay } = buildRelay(options, deps);
  const reference = { channelId: 'test', serviceUrl: 'https://test.invalid', conversation: { id: 'conv' } as never, user: { id: 'u', name: 'U' }, bot: { id: 'b', name: 'B' } };
  await writeRecord(options.storage, BOT_KEY, (record) => ({ ...record, state: 'connected', gatewayConversationId: 'gw-1', reference, outbox }));
  const left = async () => (await store.read(BOT_KEY))!.outbox;
  return { adapter, errors, store, relay, left, storage: options.storage };
}
