import fc from 'fast-check';
import { ConfigurationError } from '../../src/errors';
import { triggers } from '../../src/triggers';
import { contextFor, echoBot, harness } from './harness';

describe('triggers.keywords()', () => {
  describe('#beforeTurn()', () => {
    it('should escalate before the bot runs when the message contains a keyword', async () => {
      const { adapter } = harness(triggers.keywords(['agent', 'human']), echoBot);
      await adapter
        .send('hello').assertReply('bot: hello')
        .send('I want a HUMAN please!').assertReply('ESCALATE keyword: keyword "human"')
        .startTest();
    });

    it('should ignore case, accents and punctuation when the keyword is accented', async () => {
      const trigger = triggers.keywords({ default: ['agent'], fr: ['conseiller', 'être rappelé'] });
      const fire = (text: string, locale = 'fr-FR') => trigger.beforeTurn!(contextFor({ text, locale }));
      expect(await fire('Je veux un CONSEILLÉR!')).toMatchObject({ keyword: 'conseiller' });
      expect(await fire('pour etre  RAPPELE, merci')).toMatchObject({ keyword: 'être rappelé' });
      expect(await fire('Être... rappelé')).toBeDefined();
    });

    it('should match whole words only when a word merely contains the keyword', async () => {
      const trigger = triggers.keywords(['agent']);
      expect(await trigger.beforeTurn!(contextFor({ text: 'my agentless setup' }))).toBeUndefined();
      expect(await trigger.beforeTurn!(contextFor({ text: 'reagent' }))).toBeUndefined();
      expect(await trigger.beforeTurn!(contextFor({ text: "l'agent" }))).toBeDefined();
    });

    it('should pick the list by locale fallback fr-FR -> fr -> default when lists per locale are given', async () => {
      const trigger = triggers.keywords({ default: ['agent'], fr: ['conseiller'], 'fr-CA': ['préposé'] });
      const hit = async (text: string, locale?: string) => (await trigger.beforeTurn!(contextFor({ text, locale })))?.keyword;
      expect(await hit('conseiller', 'fr-FR')).toBe('conseiller');
      expect(await hit('agent', 'fr-FR')).toBeUndefined(); // the fr list replaces default
      expect(await hit('prepose', 'fr-CA')).toBe('préposé');
      expect(await hit('conseiller', 'fr-CA')).toBeUndefined();
      expect(await hit('agent', 'de-DE')).toBe('agent');
      expect(await hit('agent')).toBe('agent');
    });

    it('should carry the trigger options and the evidence when it fires', async () => {
      const trigger = triggers.keywords(['agent'], { queueId: 'q1', properties: { Source: 'kw' } });
      expect(await trigger.beforeTurn!(contextFor({ text: 'agent', locale: 'en-US' }))).toEqual({
        trigger: 'keyword', reason: 'keyword "agent"', keyword: 'agent', queueId: 'q1', properties: { Source: 'kw' }, text: 'agent', locale: 'en-US',
      });
    });

    it('should not fire when the activity is not a message', async () => {
      const trigger = triggers.keywords(['agent']);
      expect(await trigger.beforeTurn!(contextFor({ type: 'event', name: 'agent', text: 'agent' }))).toBeUndefined();
    });

    it('should find any accent variant of a keyword when it is embedded in random words', async () => {
      const trigger = triggers.keywords(['cafe']);
      const variants = fc.constantFrom('cafe', 'café', 'CAFÉ', 'Cafe\u0301', 'cAfÈ');
      const filler = fc.array(fc.constantFrom('hello', 'the', 'menu', 'über', '42'), { maxLength: 5 });
      await fc.assert(fc.asyncProperty(filler, variants, filler, async (a, k, b) => {
        const r = await trigger.beforeTurn!(contextFor({ text: [...a, k, ...b].join(' ') }));
        expect(r?.keyword).toBe('cafe');
      }));
    });
  });

  it('should reject a phrase without letters when constructed', () => {
    expect(() => triggers.keywords({ fr: ['!!'] })).toThrow(ConfigurationError);
    expect(() => triggers.keywords({ fr: ['!!'] })).toThrow(/keywords\.fr.*no letters/);
    expect(() => triggers.keywords(['agent'], { queueId: '' })).toThrow(/keywords\.queueId/);
  });
});
