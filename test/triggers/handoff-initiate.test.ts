import { EventFactory, MessageFactory, type Activity, type TurnContext } from 'botbuilder';
import { readHandoffContext, triggers } from '../../src/triggers';
import { contextFor, harness } from './harness';

describe('triggers.handoffInitiate()', () => {
  describe('#onSend()', () => {
    it('should consume the event and carry queue, properties and transcript when the bot sends EventFactory.createHandoffInitiation', async () => {
      const earlier = [MessageFactory.text('hi'), MessageFactory.text('Hello! How can I help?')] as Activity[];
      const bot = async (context: TurnContext) => {
        if (context.activity.text === 'agent') {
          await context.sendActivity('Connecting you');
          await context.sendActivity(EventFactory.createHandoffInitiation(context, { queueId: 'billing', Skill: 'VIP', tier: 2, vip: true, reason: 'asked for agent' }, { activities: earlier }));
        } else {
          await context.sendActivity(`bot: ${context.activity.text}`);
        }
      };
      const { adapter, fired } = harness(triggers.handoffInitiate(), bot);
      await adapter.send('hi').assertReply('bot: hi').send('agent').assertReply('Connecting you').startTest();
      // the event itself never reached the channel
      expect(adapter.activeQueue).toHaveLength(0);
      expect(fired).toHaveLength(1);
      expect(fired[0]).toMatchObject({
        trigger: 'handoff.initiate',
        reason: 'handoff.initiate: asked for agent',
        queueId: 'billing',
        properties: { Skill: 'VIP', tier: '2', vip: 'true', reason: 'asked for agent' },
        text: 'agent',
      });
      expect(fired[0]!.transcript!.map((a) => a.text)).toEqual(['hi', 'Hello! How can I help?']);
    });

    it('should map Copilot Studio va_* variables to properties and va_Language to language', () => {
      const ctx = contextFor({ text: 'x' });
      const event = EventFactory.createHandoffInitiation(ctx, {
        va_Scope: 'bot', va_LastTopic: 'Billing', va_Topics: ['Greeting', 'Billing'], va_LastPhrases: 'I want a refund',
        va_ConversationId: 'c-1', va_AgentMessage: 'Customer wants a refund', va_BotId: 'b1', va_Language: 'fr', va_Unknown: null,
      });
      const r = triggers.handoffInitiate().onSend!(ctx, event);
      expect(r).toMatchObject({ language: 'fr', reason: 'handoff.initiate: Customer wants a refund' });
      expect(r!.properties).toEqual({
        Scope: 'bot', LastTopic: 'Billing', Topics: 'Greeting, Billing', LastPhrases: 'I want a refund',
        ConversationId: 'c-1', AgentMessage: 'Customer wants a refund', BotId: 'b1',
      });
      expect(r!.queueId).toBeUndefined();
    });

    it('should accept Composer skill and nested properties when the handoff context is an object tree', () => {
      expect(readHandoffContext({ skill: 'sales', properties: { Plan: 'Pro' }, additionalProperties: [{ key: 'A', value: 'b' }], customer: { tier: 'gold', address: { city: 'Paris', geo: { lat: 1 } } } }))
        .toEqual({ queueId: 'sales', properties: { Plan: 'Pro', A: 'b', 'customer.tier': 'gold', 'customer.address.city': 'Paris' } });
    });

    it('should let the event queue win over the trigger queue and ignore other activities', () => {
      const ctx = contextFor({ text: 'x' });
      const trigger = triggers.handoffInitiate({ queueId: 'default-q', properties: { Src: 'hi' } });
      expect(trigger.onSend!(ctx, EventFactory.createHandoffInitiation(ctx, { queue: 'vip' }))).toMatchObject({ queueId: 'vip', properties: { Src: 'hi' } });
      expect(trigger.onSend!(ctx, EventFactory.createHandoffInitiation(ctx, 'plain reason'))).toMatchObject({ queueId: 'default-q', reason: 'handoff.initiate: plain reason' });
      expect(trigger.onSend!(ctx, MessageFactory.text('handoff.initiate'))).toBeUndefined();
      expect(trigger.onSend!(ctx, EventFactory.createHandoffStatus(ctx.activity.conversation, 'accepted'))).toBeUndefined();
    });
  });

  describe('#beforeTurn()', () => {
    it('should fire when a host sends handoff.initiate inbound, unless inbound is off', async () => {
      const ctx = contextFor({ type: 'event', name: 'handoff.initiate', value: { queueId: 'q9' }, attachments: [{ name: 'Transcript', contentType: 'application/json', content: JSON.stringify({ activities: [{ type: 'message', text: 'old' }] }) }] });
      expect(await triggers.handoffInitiate().beforeTurn!(ctx)).toMatchObject({ queueId: 'q9', transcript: [{ text: 'old' }] });
      expect(triggers.handoffInitiate({ inbound: false }).beforeTurn).toBeUndefined();
    });
  });
});
