/**
 * Status turns and held messages run the bot author's code (`bot.run`, the `onStatus` hook). What
 * that code throws is reported (`where: 'status'`) and the item counts as delivered: the bot never
 * gets the same `handoff.status` twice and the agent messages behind it are not held up. Only a
 * failed proactive turn itself is a delivery failure, and `onStatus` still hears each status once.
 */
import type { TurnContext } from 'botbuilder-core';
import type { OutboxItem } from '../../src/handoff/types';
import { RelayDroppedError } from '../../src/handoff/send-failure';
import { connectorError } from './connector-errors';
import { relayRig, textItem, BOT_KEY } from './relay-rig';

const accepted: OutboxItem = { id: 's1', kind: 'status', state: 'accepted' };
const held: OutboxItem = { id: 'h1', kind: 'held', activity: { type: 'message', text: 'typed while waiting' } };

/** A bot whose turns throw after counting them. */
function failingBot() {
  const seen: string[] = [];
  return {
    seen,
    run: async (context: TurnContext) => {
      seen.push(context.activity.name ?? context.activity.text ?? '');
      throw new Error('bot bug');
    },
  };
}

describe('AgentRelay#drain() with items for the bot author\'s code', () => {
  it('should report a throwing bot once, settle the status as delivered, and relay the next item at once', async () => {
    const bot = failingBot();
    const onStatus = jest.fn();
    const { adapter, errors, relay, left } = await relayRig([accepted, textItem('after')], { bot, onStatus });
    await relay.drain(BOT_KEY);
    expect(bot.seen).toEqual(['handoff.status']);
    expect(onStatus).toHaveBeenCalledTimes(1);
    expect(adapter.texts()).toEqual(['after']);
    expect(await left()).toEqual([]);
    expect(errors).toEqual([{ error: expect.objectContaining({ message: 'bot bug' }), where: 'status' }]);
    await relay.drain(BOT_KEY);
    expect(bot.seen).toEqual(['handoff.status']);
  });

  it('should report a throwing onStatus hook, call it exactly once, and go on', async () => {
    const onStatus = jest.fn(async () => {
      throw new Error('hook bug');
    });
    const { adapter, errors, relay, left } = await relayRig([accepted, textItem('after')], { onStatus });
    await relay.drain(BOT_KEY);
    await relay.drain(BOT_KEY);
    expect(onStatus).toHaveBeenCalledTimes(1);
    expect(adapter.texts()).toEqual(['after']);
    expect(await left()).toEqual([]);
    expect(errors.map((e) => e.where)).toEqual(['status']);
  });

  it('should report a held message the bot fails to answer and never give it back again', async () => {
    const bot = failingBot();
    const { errors, relay, left } = await relayRig([held], { bot });
    await relay.drain(BOT_KEY);
    await relay.drain(BOT_KEY);
    expect(bot.seen).toEqual(['typed while waiting']);
    expect(await left()).toEqual([]);
    expect(errors.map((e) => e.where)).toEqual(['status']);
  });

  it('should call onStatus once, after the bot got the status, when the proactive turn failed first', async () => {
    const bot = { run: jest.fn(async () => undefined) };
    const onStatus = jest.fn();
    const { adapter, relay } = await relayRig([accepted], { bot, onStatus });
    adapter.turnFailures.push(connectorError(502));
    await relay.drain(BOT_KEY);
    expect([bot.run.mock.calls.length, onStatus.mock.calls.length]).toEqual([0, 0]);
    await relay.drain(BOT_KEY);
    expect([bot.run.mock.calls.length, onStatus.mock.calls.length]).toEqual([1, 1]);
  });

  it('should still call onStatus exactly once when the status item is dropped', async () => {
    const bot = { run: jest.fn(async () => undefined) };
    const onStatus = jest.fn();
    const { adapter, errors, relay } = await relayRig([accepted], { bot, onStatus });
    adapter.turnFailures.push(connectorError(403));
    await relay.drain(BOT_KEY);
    await relay.drain(BOT_KEY);
    expect(bot.run).not.toHaveBeenCalled();
    expect(onStatus).toHaveBeenCalledTimes(1);
    expect(onStatus.mock.calls[0]).toEqual([expect.objectContaining({ state: 'accepted', gatewayConversationId: 'gw-1' })]);
    expect(errors.map((e) => e.error)).toEqual([expect.any(RelayDroppedError)]);
  });
});
