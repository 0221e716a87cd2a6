import { ConfigurationError } from '../../src/errors';
import { triggers } from '../../src/triggers';
import { contextFor, echoBot, harness } from './harness';

describe('triggers.pattern()', () => {
  describe('#beforeTurn()', () => {
    it('should escalate when a string pattern matches, case-insensitively', async () => {
      const { adapter } = harness(triggers.pattern(['\\bspeak to (a|an) (person|human)\\b'], { queueId: 'people' }), echoBot);
      await adapter
        .send('speak to the bot').assertReply('bot: speak to the bot')
        .send('Can I SPEAK TO A Person?').assertReply('ESCALATE pattern: pattern /\\bspeak to (a|an) (person|human)\\b/ -> people')
        .startTest();
    });

    it('should match the accent-folded text when the pattern is written without accents', async () => {
      const trigger = triggers.pattern(/parler a un conseiller/i);
      expect(await trigger.beforeTurn!(contextFor({ text: 'Je veux parler à un conseiller' }))).toMatchObject({ pattern: 'parler a un conseiller' });
    });

    it('should give the same answer every time when a RegExp has the global flag', async () => {
      const trigger = triggers.pattern(/agent/g);
      const ctx = () => contextFor({ text: 'agent' });
      expect(await trigger.beforeTurn!(ctx())).toBeDefined();
      expect(await trigger.beforeTurn!(ctx())).toBeDefined();
    });

    it('should not fire when nothing matches', async () => {
      expect(await triggers.pattern([/refund/, 'complain']).beforeTurn!(contextFor({ text: 'hello' }))).toBeUndefined();
    });
  });

  it('should name the pattern and the fix when a string is not a valid regular expression', () => {
    expect(() => triggers.pattern(['ok', '(unclosed'])).toThrow(ConfigurationError);
    expect(() => triggers.pattern(['ok', '(unclosed'])).toThrow(/`patterns\[1\]`.*not a valid regular expression.*backslash/);
  });
});
