/**
 * The middleware's pacer runs on the injected clock and scheduler (issue 9, time as data): a
 * conversation over its channel's window waits for fake time, not real time. The window here is an
 * hour, so a pacer still sleeping in real time would hold the last messages past the test's timeout.
 */
import { FakeTime, settle, until } from '../support/fake-time';
import { triggers } from '../../src/triggers';
import { connectedUser, eventually, startHarness, type Harness } from './harness';

const HOUR = 3_600_000;

describe('HandoffMiddleware pacing on injected time', () => {
  let h: Harness;
  const time = new FakeTime();

  beforeAll(async () => {
    h = await startHarness({
      middleware: {
        triggers: [triggers.keywords(['agent'])],
        clock: time.clock,
        scheduler: time,
        deadlineSweepMs: false,
        pacing: { channels: { test: [{ count: 6, windowMs: HOUR }] } },
      },
    });
  });
  afterAll(async () => {
    await time.advance(2 * HOUR); // lets anything still paced go before the harness closes
    await h.close();
  });

  it('should hold sends over the window until fake time moves past it, then send the rest in order', async () => {
    const { user, gatewayId } = await connectedUser(h, 'paced');
    const botKey = h.store.conversationKey({ channelId: 'test', conversation: { id: 'paced' } as never });
    // Proactive sends only (the relay's); replies in the user's own turn carry replyToId and are not paced.
    const proactive = () => h.adapter.sends.filter((s) => s.activity.conversation?.id === 'paced' && s.activity.type === 'message' && !s.activity.replyToId);
    const before = proactive().length;
    expect(before).toBeLessThan(6); // the join notice (and any queue notice) used part of the window

    const texts = Array.from({ length: 8 }, (_, i) => `agent line ${i + 1}`);
    for (const text of texts) await h.emulator.agent('agent-1').say(text, { conversationId: gatewayId });
    // Every line is recorded: sent within the window, or waiting in the outbox for the pacer.
    await until(() => proactive().length === 6, 'the window to fill');
    await eventually(async () => proactive().length - before + ((await h.store.read(botKey))?.outbox.length ?? 0) === texts.length, 'every agent line recorded');
    await settle();
    expect(proactive()).toHaveLength(6);

    await time.advance(HOUR - 1);
    expect(proactive()).toHaveLength(6);

    await time.advance(1);
    await until(() => user.texts().filter((t) => t.startsWith('agent line')).length === texts.length, 'the held lines after the window');
    expect(user.texts().filter((t) => t.startsWith('agent line'))).toEqual(texts);
  });
});
