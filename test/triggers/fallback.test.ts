import { ConfigurationError } from '../../src/errors';
import { isFallbackTurn, markFallback, triggers } from '../../src/triggers';
import { contextFor, harness } from './harness';

describe('triggers.repeatedFallback()', () => {
  it('should escalate on the third fallback in a row and not before', async () => {
    const bot = async (c: import('botbuilder').TurnContext) => {
      if (c.activity.text?.startsWith('?')) markFallback(c);
      await c.sendActivity(`bot: ${c.activity.text}`);
    };
    const { adapter, fired } = harness(triggers.repeatedFallback(3), bot);
    await adapter
      .send('?a').assertReply('bot: ?a')
      .send('?b').assertReply('bot: ?b')
      .send('ok').assertReply('bot: ok') // the streak resets
      .send('?c').assertReply('bot: ?c')
      .send('?d').assertReply('bot: ?d')
      .send('?e').assertReply('bot: ?e').assertReply('ESCALATE fallback: 3 fallback turns in a row')
      .startTest();
    expect(fired).toHaveLength(1);
    expect(fired[0]!.text).toBe('?e');
  });

  it('should reject a count below one when constructed', () => {
    expect(() => triggers.repeatedFallback(0)).toThrow(ConfigurationError);
    expect(() => triggers.repeatedFallback(1.5)).toThrow(/repeatedFallback.*whole number/);
  });
});

describe('markFallback()', () => {
  it('should flag only the turn it was called in', () => {
    const flagged = contextFor({ text: 'x' });
    markFallback(flagged);
    expect(isFallbackTurn(flagged)).toBe(true);
    expect(isFallbackTurn(contextFor({ text: 'x' }))).toBe(false);
  });
});
