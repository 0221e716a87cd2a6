/**
 * The availability gate through the middleware (TestAdapter, real client, real emulator, real
 * webhook): closed hours, no agents, a failing check, and the declarative config's `availability`.
 */
import { loadHandoffConfig } from '../../src/config';
import { triggers } from '../../src/triggers';
import type { AvailabilityCheck } from '../../src/availability';
import { eventually, startHarness, testUser, type Harness } from './harness';

const MONDAY_NOON_LONDON = Date.parse('2026-12-07T12:00:00Z');
const TUESDAY_NOON_LONDON = Date.parse('2026-12-08T12:00:00Z');
const HOURS = { timeZone: 'Europe/London', weekly: { mon: [['09:00', '17:30']] as Array<[string, string]> }, holidays: ['2026-12-25'] };

describe('availability before escalation', () => {
  let h: Harness;
  let now = TUESDAY_NOON_LONDON;
  let extra: AvailabilityCheck = () => ({ open: true });

  beforeAll(async () => {
    h = await startHarness({ middleware: { triggers: [triggers.keywords(['agent'])], clock: () => now, availability: [HOURS, (q) => extra(q)] } });
  });
  afterAll(() => h.close());
  beforeEach(() => {
    now = TUESDAY_NOON_LONDON;
    extra = () => ({ open: true });
  });

  const created = () => h.emulator.conversations.length;

  it('tells a user out of hours when it opens, reports failed/closed to the bot and creates nothing', async () => {
    const before = created();
    const user = testUser(h.adapter, 'closed-1');
    await user.say({ text: 'agent', locale: 'en-US' });
    await user.waitForText("Sorry, our team isn't available right now. We're back on Monday, December 14 at 9:00 AM GMT. I'm still here to help.");
    await eventually(() => h.bot.statuses.find((s) => s.conversation === 'closed-1'), 'status');
    expect(h.bot.statuses.filter((s) => s.conversation === 'closed-1')).toEqual([{ state: 'failed', message: 'closed', reason: 'closed', conversation: 'closed-1' }]);
    const hooked = await eventually(() => h.statuses.find((s) => s.reference.conversation?.id === 'closed-1'), 'onStatus');
    expect(hooked.message).toBe('closed');
    expect(created()).toBe(before);
    // The bot keeps the conversation.
    await user.say('hello');
    expect(user.texts()).toContain('echo: hello');
  });

  it('writes the next opening in the user\'s language', async () => {
    const user = testUser(h.adapter, 'closed-fr');
    await user.say({ text: 'agent', locale: 'fr-FR' });
    await eventually(() => user.texts().find((t) => t.includes('lundi 14 décembre')), 'a French date');
  });

  it('hands off as usual when open', async () => {
    now = MONDAY_NOON_LONDON;
    const user = testUser(h.adapter, 'open-1');
    await user.say('agent');
    await h.emulator.waitForConversation((c) => c.user.userId === 'user-open-1', { timeoutMs: 5000 });
    expect(user.texts()).toContain('Connecting you with a person. Please wait a moment…');
  });

  it('refuses with noAgents when a statistics check says nobody is logged in', async () => {
    now = MONDAY_NOON_LONDON;
    extra = () => ({ open: false, reason: 'noAgents' });
    const before = created();
    const user = testUser(h.adapter, 'no-agents');
    await user.say('agent');
    await user.waitForText("Sorry, no one from our team is available right now. I'm still here to help.");
    await eventually(() => h.bot.statuses.find((s) => s.conversation === 'no-agents' && s.message === 'noAgents'), 'noAgents status');
    expect(created()).toBe(before);
  });

  it('passes the routed queue to the check', async () => {
    now = MONDAY_NOON_LONDON;
    const asked: string[] = [];
    extra = ({ queueId }) => (asked.push(queueId), { open: false, reason: 'closed' });
    const user = testUser(h.adapter, 'queue-asked');
    await user.say('agent');
    await user.waitForText("Sorry, our team isn't available right now. I'm still here to help.");
    expect(asked).toEqual(['support']);
  });

  it('reports a check that throws and still hands off (8x8 queue decides)', async () => {
    now = MONDAY_NOON_LONDON;
    extra = () => { throw new Error('stats down'); };
    const user = testUser(h.adapter, 'throws');
    await user.say('agent');
    await h.emulator.waitForConversation((c) => c.user.userId === 'user-throws', { timeoutMs: 5000 });
    expect(h.errors.some((e) => e.where === 'availability' && (e.error as Error).message === 'stats down')).toBe(true);
  });

  it('is closed on a holiday', async () => {
    now = Date.parse('2026-12-25T12:00:00Z');
    const user = testUser(h.adapter, 'holiday');
    await user.say('agent');
    await eventually(() => user.texts().find((t) => t.includes('Monday, December 28 at 9:00 AM GMT')), 'reopens after the holiday');
  });
});

describe('availability from the declarative config', () => {
  it('reads `availability` from the config and validates it', async () => {
    const config = loadHandoffConfig({ queueId: 'support', triggers: { keywords: ['agent'] }, availability: HOURS, messages: { closedUntil: 'Closed. Back {nextOpening}.' } });
    const h = await startHarness({ middleware: { config, clock: () => TUESDAY_NOON_LONDON } });
    try {
      const user = testUser(h.adapter, 'config-closed');
      await user.say('agent');
      await user.waitForText('Closed. Back Monday, December 14 at 9:00 AM GMT.');
    } finally {
      await h.close();
    }
    expect(() => loadHandoffConfig({ availability: { timeZone: 'Nowhere/Land', weekly: { mon: [['9', '17:00']] }, holidays: ['12/25'] } })).toThrow(
      /availability\.timeZone` is not an IANA time zone[\s\S]*availability\.weekly\.mon\[0\]\[0\]` is not a time[\s\S]*availability\.holidays\[0\]` is not a date/,
    );
  });
});

describe('leave a message when closed', () => {
  let h: Harness;
  const CLOSED_AT = Date.parse('2026-12-08T12:00:00Z');
  let now = CLOSED_AT;
  beforeAll(async () => {
    h = await startHarness({
      middleware: {
        triggers: [triggers.keywords(['agent'])], clock: () => now, availability: HOURS,
        leaveMessage: { queueId: 'billing', note: 'Left out of hours: call back.', windowSeconds: 300 },
        userResolver: () => ({ email: 'ada@example.com' }),
      },
    });
  });
  afterAll(() => h.close());
  beforeEach(() => { now = CLOSED_AT; });

  it("turns the user's next message into a queued conversation with the transcript, the message and the note", async () => {
    const user = testUser(h.adapter, 'leave-1');
    await user.say('hello bot');
    await user.say('agent');
    await user.waitForText('If you like, type a message now and our team will get back to you. Say "cancel" to skip.');
    await user.say('Please call me about invoice 42');
    await user.waitForText('Thank you, your message was passed on to our team.');
    const conversation = await h.emulator.waitForConversation((c) => c.user.userId === 'user-leave-1');
    expect(conversation.queueId).toBe('billing');
    expect(conversation.status).toBe('queued');
    const texts = conversation.messages.map((m) => m.text);
    expect(texts).toEqual(expect.arrayContaining(['hello bot', 'Please call me about invoice 42', 'Left out of hours: call back.']));
    expect(texts.indexOf('Please call me about invoice 42')).toBeLessThan(texts.indexOf('Left out of hours: call back.'));
    expect(conversation.user.email).toBe('ada@example.com');
    // The bot did not see the message, and has the conversation back for the next one.
    expect(h.bot.heardIn.filter((x) => x.conversation === 'leave-1').map((x) => x.text)).toEqual(['hello bot']);
    await user.say('thanks');
    expect(user.texts()).toContain('echo: thanks');
    expect(h.emulator.conversations.filter((c) => c.user.userId === 'user-leave-1')).toHaveLength(1);
  });

  it('skips on a cancel phrase and lets the bot answer afterwards', async () => {
    const user = testUser(h.adapter, 'leave-2');
    await user.say('agent');
    await user.waitForText('If you like, type a message now and our team will get back to you. Say "cancel" to skip.');
    await user.say('cancel');
    await user.waitForText('OK, no message was left.');
    await user.say('hi');
    expect(user.texts()).toContain('echo: hi');
    expect(h.emulator.conversations.some((c) => c.user.userId === 'user-leave-2')).toBe(false);
  });

  it('lets the offer lapse after windowSeconds: the bot answers', async () => {
    const user = testUser(h.adapter, 'leave-3');
    await user.say('agent');
    await user.waitForText('If you like, type a message now and our team will get back to you. Say "cancel" to skip.');
    now += 301_000;
    await user.say('later');
    expect(user.texts()).toContain('echo: later');
    expect(h.emulator.conversations.some((c) => c.user.userId === 'user-leave-3')).toBe(false);
  });

  it('tells the user when 8x8 refuses, and keeps the bot in charge', async () => {
    const user = testUser(h.adapter, 'leave-4');
    await user.say('agent');
    await user.waitForText('If you like, type a message now and our team will get back to you. Say "cancel" to skip.');
    h.emulator.faults = { apiErrors: [{ method: 'POST', path: /\/conversations$/, status: 400, times: 1 }] };
    await user.say('my message');
    await user.waitForText("Sorry, I couldn't reach a person right now. I'm still here to help.");
    expect(h.errors.some((e) => e.where === 'leaveMessage')).toBe(true);
    h.emulator.faults = {};
  });
});
