/**
 * The lifecycle options (issue 11) as middleware options and declarative config keys: bad values
 * fail at construction naming the option and the fix; the config file's `waitingRoom` and
 * `inactivity` drive the middleware like the options do.
 */
import { MemoryStorage } from 'botbuilder';
import { loadHandoffConfig } from '../../src/config';
import { ConfigurationError } from '../../src/errors';
import { DEFAULT_MESSAGES, HandoffMiddleware, resolveHandoffOptions, type HandoffMiddlewareOptions } from '../../src/handoff';
import { eventually, gatewayConversationOf, startHarness, testUser } from '../middleware/harness';

const base = (): HandoffMiddlewareOptions => ({
  gateway: { createConversation: async () => ({ conversationId: 'x' }), sendMessage: async () => undefined } as never,
  channelId: 'ch', queueId: 'support', adapter: { continueConversationAsync: async () => undefined }, botAppId: '', storage: new MemoryStorage(), deadlineSweepMs: false,
});

function errorOf(extra: Partial<HandoffMiddlewareOptions>): ConfigurationError {
  try {
    resolveHandoffOptions({ ...base(), ...extra });
  } catch (error) {
    return error as ConfigurationError;
  }
  throw new Error('expected a ConfigurationError');
}

describe('lifecycle options', () => {
  it.each([
    [{ waitingRoom: { updateEverySeconds: 0 } }, /waitingRoom\.updateEverySeconds.*positive number of seconds/],
    [{ waitingRoom: { maxWaitSeconds: -5 } }, /waitingRoom\.maxWaitSeconds/],
    [{ waitingRoom: { onMaxWait: 'leave' as never } }, /waitingRoom\.onMaxWait.*"offer" or "return"/],
    [{ waitingRoom: { queueStats: 'stats' as never } }, /waitingRoom\.queueStats.*function/],
    [{ inactivity: { remindAfterSeconds: 120 } as never }, /inactivity\.endAfterSeconds.*required/],
    [{ inactivity: { remindAfterSeconds: Number.NaN, endAfterSeconds: 10 } }, /inactivity\.remindAfterSeconds/],
    [{ deadlineSweepMs: 0 }, /deadlineSweepMs/],
  ])('rejects %j at construction, naming the option', (extra, message) => {
    const error = errorOf(extra);
    expect(error).toBeInstanceOf(ConfigurationError);
    expect(error.message).toMatch(message);
  });

  it('accepts fractional seconds and turns them into the deadline policy', () => {
    const resolved = resolveHandoffOptions({ ...base(), waitingRoom: { updateEverySeconds: 0.5, maxWaitSeconds: 900, onMaxWait: 'return' }, inactivity: { remindAfterSeconds: 120, endAfterSeconds: 180 } });
    expect(resolved.deadlines).toEqual({ createTimeoutMs: 120_000, waitingUpdateMs: 500, maxWaitMs: 900_000, onMaxWait: 'return', remindAfterMs: 120_000, endAfterMs: 180_000 });
  });

  it('reports config-file mistakes by path, with the fix', () => {
    expect(() => loadHandoffConfig({ waitingRoom: { updateEverySecond: 60 } })).toThrow(/`waitingRoom\.updateEverySecond` is not a known field\. Did you mean "updateEverySeconds"/);
    const problems = (() => {
      try {
        loadHandoffConfig({ waitingRoom: { updateEverySecond: 60, onMaxWait: 'later' }, inactivity: { remindAfterSeconds: -1 } });
      } catch (error) {
        return (error as { problems: Array<{ path: string }> }).problems.map((p) => p.path);
      }
      return [];
    })();
    expect(problems).toEqual(expect.arrayContaining(['waitingRoom.updateEverySecond', 'waitingRoom.onMaxWait', 'inactivity.remindAfterSeconds', 'inactivity.endAfterSeconds']));
  });

  it('a middleware with no lifecycle option has nothing due', async () => {
    const handoff = new HandoffMiddleware(base());
    expect(await handoff.sweepDeadlines()).toBe(0);
    handoff.dispose();
  });
});

describe('lifecycle keys of the declarative config', () => {
  it('drives the waiting room and the maximum wait from `waitingRoom`', async () => {
    let now = Date.parse('2026-12-07T10:00:00Z');
    const config = loadHandoffConfig({ queueId: 'support', triggers: { keywords: ['agent'] }, waitingRoom: { updateEverySeconds: 30, maxWaitSeconds: 45, onMaxWait: 'return' }, inactivity: { remindAfterSeconds: 600, endAfterSeconds: 60 } });
    const h = await startHarness({ middleware: { config, clock: () => now, deadlineSweepMs: false } });
    try {
      const user = testUser(h.adapter, 'config-wait');
      await user.say('agent');
      const conversation = await gatewayConversationOf(h, 'config-wait');
      await eventually(() => h.emulator.conversation(conversation.id)?.status === 'queued', 'queued');
      await h.handoff.whenIdle();
      now += 30_000;
      await h.handoff.sweepDeadlines();
      await user.waitForText(DEFAULT_MESSAGES.waitingUpdate);
      now += 15_000;
      await h.handoff.sweepDeadlines();
      await user.waitForText(DEFAULT_MESSAGES.maxWaitReturned);
      await eventually(() => h.emulator.conversation(conversation.id)?.userLeft, 'customer-leave');
    } finally {
      await h.close();
    }
  });
});
