import fc from 'fast-check';
import { CardFactory } from 'botbuilder';
import { checkAdaptiveCard, downlevelAdaptiveCard, heroToAdaptiveCard, submitText, suggestedActionsToQuickReplies, quickRepliesToSuggestedActions, adaptiveCardText } from '../../src/transcript';

describe('checkAdaptiveCard()', () => {
  it.each([
    ['1.0', true], ['1.3', true], ['1.6', true], ['1.7', false], ['2.0', false], ['1.10', false], ['x', false],
  ])('should accept version %s: %p', (version, ok) => {
    expect(checkAdaptiveCard({ type: 'AdaptiveCard', version, body: [] }, 10_000).ok).toBe(ok);
  });

  it('should give a card without version 1.3 and refuse one over the size limit', () => {
    expect(checkAdaptiveCard({ type: 'AdaptiveCard', body: [] }, 10_000)).toEqual({ ok: true, card: { type: 'AdaptiveCard', version: '1.3', body: [] }, replaced: [] });
    expect(checkAdaptiveCard({ type: 'AdaptiveCard', version: '1.3', body: [{ type: 'TextBlock', text: 'x'.repeat(500) }] }, 200)).toMatchObject({ ok: false, reason: 'larger than 200 bytes' });
  });
});

describe('downlevelAdaptiveCard() / checkAdaptiveCard() targets', () => {
  const card16 = {
    type: 'AdaptiveCard', version: '1.6',
    body: [
      { type: 'TextBlock', text: 'Your order' },
      { type: 'Table', columns: [{ width: 1 }], rows: [{ type: 'TableRow', cells: [{ type: 'TableCell', items: [{ type: 'TextBlock', text: 'Widget x2' }] }] }] },
      { type: 'Carousel', pages: [], fallback: { type: 'TextBlock', text: 'See the photos on our site' } },
      { type: 'Table', rows: [{ type: 'TableRow', cells: [] }], fallback: 'drop' },
      { type: 'Container', items: [{ type: 'ActionSet', actions: [{ type: 'Action.Execute', title: 'Refresh', verb: 'refresh', data: { id: 7 } }] }] },
      { type: 'x.Custom', title: 'Shown as text' },
    ],
    actions: [
      { type: 'Action.Submit', title: 'OK', data: { ok: true } },
      { type: 'Action.ToggleVisibility', title: 'More details', targetElements: ['d'] },
    ],
  };

  it('should replace what 1.3 cannot render by its fallback, a submit, or a TextBlock with its text', () => {
    const { card, replaced } = downlevelAdaptiveCard(card16, [1, 3]);
    expect(card).toEqual({
      type: 'AdaptiveCard', version: '1.3',
      body: [
        { type: 'TextBlock', text: 'Your order' },
        { type: 'TextBlock', text: 'Widget x2', wrap: true },
        { type: 'TextBlock', text: 'See the photos on our site' },
        { type: 'Container', items: [{ type: 'ActionSet', actions: [{ type: 'Action.Submit', title: 'Refresh', data: { id: 7, verb: 'refresh' } }] }] },
        { type: 'TextBlock', text: 'Shown as text', wrap: true },
      ],
      actions: [{ type: 'Action.Submit', title: 'OK', data: { ok: true } }, { type: 'Action.ToggleVisibility', title: 'More details', targetElements: ['d'] }],
    });
    expect(replaced).toEqual(['Table', 'Carousel', 'Table', 'Action.Execute', 'x.Custom']);
  });

  it('should go further down for 1.1 (ActionSet and ToggleVisibility are 1.2): their text ends the card', () => {
    const { card } = downlevelAdaptiveCard(card16, [1, 1]);
    expect(card.version).toBe('1.1');
    expect((card.body as unknown[]).at(-1)).toEqual({ type: 'TextBlock', text: 'More details', wrap: true });
    expect(card.actions).toEqual([{ type: 'Action.Submit', title: 'OK', data: { ok: true } }]);
    expect((card.body as Array<{ type: string; items?: unknown }>)[3]).toEqual({ type: 'Container', items: [{ type: 'TextBlock', text: 'Refresh', wrap: true }] });
  });

  it('should leave a card already at or below the target untouched, and honour a configured 1.6', () => {
    const old = { type: 'AdaptiveCard', version: '1.2', body: [{ type: 'RichTextBlock', inlines: ['hi'] }] };
    expect(downlevelAdaptiveCard(old, [1, 3]).card).toBe(old);
    expect(checkAdaptiveCard(card16, 100_000, '1.6')).toEqual({ ok: true, card: card16, replaced: [] });
    expect(checkAdaptiveCard(card16, 100_000)).toMatchObject({ ok: true, card: { version: '1.3' } });
  });

  it('should never lose a string a card shows (property: every TextBlock text survives down-levelling)', () => {
    const leaf = fc.string({ minLength: 1, maxLength: 12 }).filter((t) => t.trim() === t && t !== '').map((text) => ({ type: 'TextBlock', text }));
    const wrapper = fc.constantFrom('Table', 'Carousel', 'Container', 'x.Unknown', 'Media');
    const element = fc.tuple(wrapper, fc.array(leaf, { minLength: 1, maxLength: 3 })).map(([type, items]) => ({ type, items }));
    fc.assert(
      fc.property(fc.array(element, { maxLength: 5 }), (body) => {
        const { card } = downlevelAdaptiveCard({ type: 'AdaptiveCard', version: '1.6', body }, [1, 3]);
        const shown = JSON.stringify(card);
        for (const t of body.flatMap((e) => e.items.map((i) => i.text))) expect(shown).toContain(JSON.stringify(t).slice(1, -1));
      }),
    );
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
