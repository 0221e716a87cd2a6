/**
 * When 8x8 fails the user's side of a handoff (against the emulator's fault injection): a 404 means
 * 8x8 lost the conversation and the handoff ends; other errors keep it and tell the user; messages
 * held during a create call that fails are given back to the bot.
 */
import { triggers } from '../../src/triggers';
import { DEFAULT_MESSAGES } from '../../src/handoff';
import { ChatGatewayApiError } from '../../src/gateway';
import { connectedUser, eventually, gatewayConversationOf, startHarness, testUser, type Harness } from './harness';

const { connecting: CONNECTING, failed: FAILED, userEnded: USER_ENDED, conversationLost: LOST, notDelivered: NOT_DELIVERED } = DEFAULT_MESSAGES;

describe('HandoffMiddleware when 8x8 fails the user side', () => {
  let h: Harness;

  beforeAll(async () => {
    h = await startHarness({ middleware: { triggers: [triggers.keywords(['agent'])], cooldownMs: 0 } });
  });
  afterAll(async () => {
    await h.close();
  });
  afterEach(() => {
    h.emulator.faults = {};
    h.errors.length = 0;
  });

  const connected = (id: string) => connectedUser(h, id);
  const recordOf = (id: string) => h.store.read(h.store.conversationKey({ channelId: 'test', conversation: { id } as never }));

  describe('forwarding a user message', () => {
    it('should end the handoff, tell the user and report failed when 8x8 answers 404 (conversation unknown)', async () => {
      const { user, gatewayId } = await connected('lost');
      h.emulator.faults = { apiErrors: [{ method: 'POST', path: `/conversations/${gatewayId}/messages`, status: 404 }] };
      await user.say('hello?');
      expect(user.texts()).toContain(LOST);
      expect((await recordOf('lost'))?.state).toBe('bot');
      const failed = await eventually(() => h.bot.statuses.find((s) => s.conversation === 'lost' && s.state === 'failed'), 'handoff.status failed');
      expect(failed.message).toMatch(/no longer knows conversation .* \(404\)/);
      expect(h.errors.find((e) => e.where === 'forward')?.error).toBeInstanceOf(ChatGatewayApiError);
      await user.say('back to you, bot');
      expect(user.texts()).toContain('echo: back to you, bot');
    });

    it('should keep the handoff, report the error and tell the user once per lost message when 8x8 answers 500', async () => {
      const { user, gatewayId } = await connected('flaky');
      h.emulator.faults = { apiErrors: [{ method: 'POST', path: `/conversations/${gatewayId}/messages`, status: 500 }] };
      await user.say('will this arrive?');
      expect(user.texts().filter((t) => t === NOT_DELIVERED)).toHaveLength(1);
      expect(h.errors.map((e) => e.where)).toEqual(['forward']);
      expect((await recordOf('flaky'))?.state).toBe('connected');
      await user.say('and this one?');
      await h.emulator.agent('agent-1').waitForMessage(gatewayId, (m) => m.text === 'and this one?');
      expect(user.texts().filter((t) => t === NOT_DELIVERED)).toHaveLength(1);
      expect(h.bot.heardIn.filter((x) => x.conversation === 'flaky')).toEqual([]);
    });

    it('should send no notice when the notDelivered text is configured empty', async () => {
      const quiet = h.newInstance({ messages: { notDelivered: '' } });
      const user = testUser(quiet.adapter, 'quiet');
      await user.say('agent');
      const { id } = await gatewayConversationOf(h, 'quiet');
      await quiet.handoff.whenIdle();
      h.emulator.faults = { apiErrors: [{ method: 'POST', path: `/conversations/${id}/messages`, status: 500 }] };
      await user.say('lost words');
      expect(user.texts()).toEqual([CONNECTING]);
      expect(h.errors.map((e) => e.where)).toContain('forward');
      await quiet.handoff.whenIdle();
    });
  });

  describe('cancelling', () => {
    it('should treat a 404 from removeUser as already ended: back to the bot, nothing reported', async () => {
      const { user, gatewayId } = await connected('gone-cancel');
      h.emulator.faults = { apiErrors: [{ method: 'PATCH', path: `/conversations/${gatewayId}/participants/user`, status: 404 }] };
      await user.say('cancel');
      expect(user.texts()).toContain(USER_ENDED);
      expect((await recordOf('gone-cancel'))?.state).toBe('bot');
      await h.handoff.whenIdle();
      expect(h.errors).toEqual([]);
    });

    it('should still report a removeUser failure other than 404', async () => {
      const { user, gatewayId } = await connected('err-cancel');
      h.emulator.faults = { apiErrors: [{ method: 'PATCH', path: `/conversations/${gatewayId}/participants/user`, status: 400 }] };
      await user.say('cancel');
      expect(h.errors.map((e) => e.where)).toEqual(['removeUser']);
    });
  });

  describe('messages held during a create call that fails', () => {
    it('should give them to the bot in order after the failed status, so the bot answers them', async () => {
      h.emulator.faults = { apiDelayMs: 300, apiErrors: [{ method: 'POST', path: /\/conversations$/, status: 500 }] };
      const user = testUser(h.adapter, 'held-fail');
      await user.say('agent');
      await user.say('first');
      await user.say('second');
      await user.waitForText('echo: second');
      await h.handoff.whenIdle();
      expect(user.texts()).toEqual([CONNECTING, FAILED, 'echo: first', 'echo: second']);
      expect(h.bot.statuses.filter((s) => s.conversation === 'held-fail').map((s) => s.state)).toEqual(['failed']);
      expect(h.bot.heardIn.filter((x) => x.conversation === 'held-fail').map((x) => x.text)).toEqual(['first', 'second']);
      expect((await recordOf('held-fail'))?.held).toEqual([]);
    });

    it('should report once through onError when there is no bot to give them to', async () => {
      const botless = h.newInstance({ bot: undefined });
      h.emulator.faults = { apiDelayMs: 300, apiErrors: [{ method: 'POST', path: /\/conversations$/, status: 500 }] };
      const user = testUser(botless.adapter, 'held-nobot');
      await user.say('agent');
      await user.say('first');
      await user.say('second');
      await user.waitForText(FAILED);
      await botless.handoff.whenIdle();
      const held = h.errors.filter((e) => e.where === 'escalation.held');
      expect(held).toHaveLength(1);
      expect(String(held[0]!.error)).toMatch(/2 message\(s\)/);
      expect(user.texts()).toEqual([CONNECTING, FAILED]);
    });
  });
});
