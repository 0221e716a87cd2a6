import fc from 'fast-check';
import { CardFactory } from 'botbuilder';
import { checkAdaptiveCard, heroToAdaptiveCard, submitText, suggestedActionsToQuickReplies, quickRepliesToSuggestedActions, adaptiveCardText } from '../../src/transcript';

describe('checkAdaptiveCard()', () => {
  it.each([
    ['1.0', true], ['1.3', true], ['1.6', true], ['1.7', false], ['2.0', false], ['1.10', false], ['x', false],
  ])('should accept version %s: %p', (version, ok) => {
    expect(checkAdaptiveCard({ type: 'AdaptiveCard', version, body: [] }, 10_000).ok).toBe(ok);
  });

  it('should give a card without version 1.3 and refuse one over the size limit', () => {
    expect(checkAdaptiveCard({ type: 'AdaptiveCard', body: [] }, 10_000)).toEqual({ ok: true, card: { type: 'AdaptiveCard', version: '1.3', body: [] } });
    expect(checkAdaptiveCard({ type: 'AdaptiveCard', version: '1.3', body: [{ type: 'TextBlock', text: 'x'.repeat(500) }] }, 200)).toMatchObject({ ok: false, reason: 'larger than 200 bytes' });
  });
});

describe('adaptiveCardText()', () => {
  it('should prefer the card\'s own fallbackText', () => {
    expect(adaptiveCardText({ type: 'AdaptiveCard', fallbackText: 'Order #12 shipped', body: [{ type: 'TextBlock', text: 'ignored' }] })).toBe('[Card] Order #12 shipped');
    expect(adaptiveCardText({ type: 'AdaptiveCard', body: [{ type: 'FactSet', facts: [{ title: 'Order', value: '#12' }] }] })).toBe('[Card] Order: #12');
  });
});

describe('heroToAdaptiveCard()', () => {
  it('should keep image, texts and buttons when converting a thumbnail card', () => {
    const { content } = CardFactory.thumbnailCard('Title', ['https://example.com/t.png'], [{ type: 'postBack', title: 'Buy', value: { sku: 'A1' } }], { subtitle: 'Sub', text: 'Body' });
    expect(heroToAdaptiveCard(content, true)).toEqual({
      type: 'AdaptiveCard', $schema: 'http://adaptivecards.io/schemas/adaptive-card.json', version: '1.3',
      body: [
        { type: 'Image', url: 'https://example.com/t.png', size: 'Small' },
        { type: 'TextBlock', text: 'Title', size: 'Large', weight: 'Bolder', wrap: true },
        { type: 'TextBlock', text: 'Sub', isSubtle: true, wrap: true },
        { type: 'TextBlock', text: 'Body', wrap: true },
      ],
      actions: [{ type: 'Action.Submit', title: 'Buy', data: { sku: 'A1' } }],
    });
  });
});

describe('suggestedActions <-> quick replies', () => {
  it('should round-trip titles for any list of action titles', () => {
    fc.assert(fc.property(fc.array(fc.string({ minLength: 1 }).filter((s) => s.trim() !== ''), { minLength: 1, maxLength: 8 }), (titles) => {
      const card = suggestedActionsToQuickReplies({ actions: titles.map((t) => ({ type: 'imBack', title: t, value: t })) })!;
      expect(quickRepliesToSuggestedActions(card.content)!.actions.map((a) => a.title)).toEqual(titles.map((t) => t.trim()));
    }));
  });

  it('should return nothing when there is no usable action', () => {
    expect(suggestedActionsToQuickReplies({ actions: [] })).toBeUndefined();
    expect(quickRepliesToSuggestedActions({ options: 'nope' })).toBeUndefined();
  });
});

describe('submitText()', () => {
  it.each<[unknown, string]>([
    [{ Name: 'Ada', Plan: 'Pro' }, 'Submitted: Name = Ada, Plan = Pro'],
    ['yes', 'Submitted: yes'],
    [{ tags: ['a', 'b'], ok: true, n: 2 }, 'Submitted: tags = a, b, ok = true, n = 2'],
    [{}, 'Submitted a card'],
    [{ msteams: { type: 'x' } }, 'Submitted a card'],
  ])('should describe %j as %p', (value, text) => {
    expect(submitText(value)).toBe(text);
  });
});
