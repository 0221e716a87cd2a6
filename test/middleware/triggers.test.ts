import { EventFactory, type TurnContext } from 'botbuilder';
import { loadHandoffConfig } from '../../src/config';
import { RECOGNIZER_RESULT_KEY, triggers } from '../../src/triggers';
import { eventually, gatewayConversationOf, startHarness, testUser, type Harness } from './harness';

describe('HandoffMiddleware triggers (end to end against the emulator)', () => {
  let h: Harness;

  beforeAll(async () => {
    const config = loadHandoffConfig({
      queueId: 'support',
      triggers: { intents: [{ intent: 'Billing', minScore: 0.7 }], repeatedFallback: 3 },
      routing: [{ when: { intent: 'Billing' }, queueId: 'billing', additionalProperties: { Department: 'Billing' } }],
      messages: { connecting: { default: 'One moment, finding a person.', fr: 'Un instant, je cherche un conseiller.' } },
    });
    h = await startHarness({
      middleware: {
        config,
        triggers: [triggers.keywords({ default: ['agent', 'human'], fr: ['conseiller'] }), triggers.pattern([/\bspeak to (a|an) (person|human)\b/i]), triggers.handoffInitiate()],
        // "maybe" vetoes: the bot keeps the conversation and answers as usual.
        confirm: (context: TurnContext) => !/maybe/i.test(context.activity.text ?? ''),
        userResolver: () => ({ email: 'ada@example.com', additionalProperties: [{ key: 'Tier', value: 'gold' }] }),
      },
    });
    h.bot.hooks.set('billing problem', async (context) => {
      context.turnState.set(RECOGNIZER_RESULT_KEY, { text: 'billing problem', intents: { Billing: { score: 0.92 } }, entities: {} });
      await context.sendActivity('Let me look at your bill.');
    });
    h.bot.hooks.set('transfer me', async (context) => {
      const transcript = { activities: [
        { type: 'message', text: 'I was charged twice', from: { id: 'u', role: 'user' } },
        { type: 'message', text: 'I will get you to billing', from: { id: 'b', role: 'bot' } },
      ] };
      await context.sendActivity(EventFactory.createHandoffInitiation(context, { queueId: 'billing', Order: 'A-17' }, transcript as never));
    });
    h.bot.hooks.set('escalate explicitly', async (context) => {
      await h.handoff.escalate(context, { queueId: 'billing', reason: 'bot decided', properties: { Topic: 'refund' } });
      await context.sendActivity('Handing you over.');
    });
  });
  afterAll(async () => {
    await h.close();
  });

  it('should escalate on a keyword, accent- and case-insensitively, with the localized notice', async () => {
    const user = testUser(h.adapter, 'kw');
    await user.say({ text: 'Je veux un CONSEILLÉR', locale: 'fr-FR' });
    await user.waitForText('Un instant, je cherche un conseiller.');
    const conversation = await gatewayConversationOf(h, 'kw');
    expect(conversation.queueId).toBe('support');
    expect(conversation.user).toMatchObject({ language: 'fr', email: 'ada@example.com', additionalProperties: [{ key: 'Tier', value: 'gold' }] });
  });

  it('should escalate on a regular expression', async () => {
    const user = testUser(h.adapter, 're');
    await user.say('could I speak to a person');
    await user.waitForText('One moment, finding a person.');
    await gatewayConversationOf(h, 're');
  });

  it('should escalate on an intent the bot recognized and route by the config rule', async () => {
    const user = testUser(h.adapter, 'intent');
    await user.say('billing problem');
    expect(user.texts()).toEqual(['Let me look at your bill.', 'One moment, finding a person.']);
    const conversation = await gatewayConversationOf(h, 'intent');
    expect(conversation.queueId).toBe('billing');
    expect(conversation.user.additionalProperties).toEqual(expect.arrayContaining([{ key: 'Department', value: 'Billing' }, { key: 'Tier', value: 'gold' }]));
  });

  it('should consume a handoff.initiate the bot sends and use its queue, properties and Transcript', async () => {
    const user = testUser(h.adapter, 'initiate');
    await user.say('hello');
    await user.say('transfer me');
    expect(user.replies().some((a) => a.type === 'event')).toBe(false);
    const conversation = await gatewayConversationOf(h, 'initiate');
    expect(conversation.queueId).toBe('billing');
    expect(conversation.user.additionalProperties).toEqual(expect.arrayContaining([{ key: 'Order', value: 'A-17' }]));
    // The snapshot may predate the history's last message: read it again once it settled.
    const settled = await eventually(() => {
      const c = h.emulator.conversation(conversation.id)!;
      return c.messages.filter((m) => m.fromHistory).length >= 2 ? c : undefined;
    }, 'the history');
    expect(settled.messages.filter((m) => m.fromHistory).map((m) => [m.authorType, m.text])).toEqual([
      ['user', 'I was charged twice'],
      ['bot', 'I will get you to billing'],
    ]);
  });

  it('should escalate after three consecutive fallback turns, not before', async () => {
    const user = testUser(h.adapter, 'fallback');
    await user.say('???');
    await user.say('???');
    expect(user.texts()).not.toContain('One moment, finding a person.');
    await user.say('???');
    await user.waitForText('One moment, finding a person.');
    await gatewayConversationOf(h, 'fallback');
  });

  it('should reset the fallback streak when the bot understood a turn', async () => {
    const user = testUser(h.adapter, 'streak');
    for (const text of ['???', '???', 'fine', '???']) await user.say(text);
    await h.handoff.whenIdle();
    expect(user.texts()).not.toContain('One moment, finding a person.');
  });

  it('should escalate through the explicit API at the end of the bot turn', async () => {
    const user = testUser(h.adapter, 'explicit');
    await user.say('escalate explicitly');
    expect(user.texts()).toEqual(['Handing you over.', 'One moment, finding a person.']);
    const conversation = await gatewayConversationOf(h, 'explicit');
    expect(conversation.queueId).toBe('billing');
    expect(conversation.user.additionalProperties).toEqual(expect.arrayContaining([{ key: 'Topic', value: 'refund' }]));
  });

  it('should let the bot answer when the confirm hook vetoes', async () => {
    const user = testUser(h.adapter, 'veto');
    await user.say('maybe a human');
    await h.handoff.whenIdle();
    expect(user.texts()).toEqual(['echo: maybe a human']);
    expect(h.emulator.conversations.some((c) => c.user.userId === 'user-veto')).toBe(false);
  });

  it('should not escalate twice when the user asks again while the handoff is active', async () => {
    const user = testUser(h.adapter, 'twice');
    await user.say('agent');
    await gatewayConversationOf(h, 'twice');
    await user.say('agent!!');
    await h.handoff.whenIdle();
    await eventually(() => h.emulator.conversations.filter((c) => c.user.userId === 'user-twice').length === 1, 'one conversation');
    expect(h.errors).toEqual([]);
  });
});
