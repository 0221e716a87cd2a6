/**
 * AgentRelay paces proactive sends per conversation (RELIABILITY O6) with a SendPacer on a fake
 * clock: a burst reaches the connector spaced under every Bot Framework window, in order, and a
 * batch the bot sends in a status turn is paced one activity at a time.
 */
import type { TurnContext } from 'botbuilder-core';
import { BOT_FRAMEWORK_LIMITS, SendPacer } from '../../src/handoff/pacer';
import type { OutboxItem } from '../../src/handoff/types';
import { relayRig, textItem, BOT_KEY } from './relay-rig';

/** A pacer whose sleeps move a fake clock. */
function fakeTimePacer() {
  const time = { now: 0 };
  const pacer = new SendPacer({ clock: () => time.now, sleep: async (ms) => void (time.now += ms) });
  return { pacer, now: () => time.now };
}

/** Fails the test when any `count` + 1 consecutive sends fall inside one window. */
function expectWithinLimits(times: number[]): void {
  for (const { count, windowMs } of BOT_FRAMEWORK_LIMITS) {
    for (let i = 0; i + count < times.length; i++) expect(times[i + count]! - times[i]!).toBeGreaterThanOrEqual(windowMs);
  }
}

describe('AgentRelay#drain() pacing', () => {
  it('should send a burst of 20 agent messages in order and never faster than 7/1 s, 8/2 s and 60/30 s', async () => {
    const { pacer, now } = fakeTimePacer();
    const items = Array.from({ length: 20 }, (_, i) => textItem(`m${i + 1}`));
    const { adapter, relay } = await relayRig(items, {}, { pacer, now });
    await relay.drain(BOT_KEY);
    expect(adapter.texts()).toEqual(items.map((i) => i.id));
    const times = adapter.sent.map((s) => s.at);
    expectWithinLimits(times);
    expect(times[7]).toBe(1_000); // the eighth waited for the first 1 s window
    expect(times[19]).toBeGreaterThanOrEqual(4_000);
  });

  it('should pace each activity of a batch the bot sends in a status turn', async () => {
    const { pacer, now } = fakeTimePacer();
    const bot = {
      run: async (context: TurnContext) => {
        await context.sendActivities(Array.from({ length: 5 }, (_, i) => ({ type: 'message', text: `bot ${i + 1}` })));
      },
    };
    const status: OutboxItem = { id: 's1', kind: 'status', state: 'agentJoined' };
    const items = [textItem('a1'), textItem('a2'), textItem('a3'), status, textItem('a4')];
    const { adapter, errors, relay } = await relayRig(items, { bot }, { pacer, now });
    await relay.drain(BOT_KEY);
    expect(errors).toEqual([]);
    expect(adapter.texts()).toEqual(['a1', 'a2', 'a3', 'bot 1', 'bot 2', 'bot 3', 'bot 4', 'bot 5', 'a4']);
    const times = adapter.sent.map((s) => s.at);
    expectWithinLimits(times);
    expect(times[7]).toBe(1_000); // 'bot 5', the eighth send, waited inside the batch
  });

});
