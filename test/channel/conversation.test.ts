/**
 * A bot behind 8x8's own channels, end to end: the emulator's web widget customer, real signed
 * webhooks into HandoffMiddleware's route shared with a ChatGatewayAdapter, the bot's replies
 * posted back to the emulator as `bot` messages.
 */
import { FakeTime, until } from '../support/fake-time';
import { GREETING, startChannelRig, textsOf, type ChannelRig } from './rig';

describe('ChatGatewayAdapter: customers of the 8x8 web widget talk to the bot', () => {
  let rig: ChannelRig;
  // The adapter's pauses (`delay` activities) run on fake time; everything else is real I/O.
  const time = new FakeTime();
  beforeAll(async () => {
    rig = await startChannelRig({ adapter: { scheduler: time } });
  });
  afterAll(async () => {
    await rig.close();
  });

  it('should greet on the conversation becoming active and answer each message as a bot message, in order', async () => {
    const id = await rig.open();
    await rig.until(id, (c) => textsOf(c, 'bot').includes(GREETING));
    await rig.widget(id, 'messages', { text: 'hello there' });
    const c = await rig.until(id, (x) => textsOf(x, 'bot').includes('You said: hello there'));
    expect(c.messages.map((m) => [m.authorType, m.text])).toEqual([
      ['bot', GREETING],
      ['user', 'hello there'],
      ['bot', 'You said: hello there'],
    ]);
    // The bot served it without any queue: nothing in the agents' lists.
    expect(c.status).toBe('bot');
    // The bot's replies are 8x8 echoes, never taken for customer messages (one answer each).
    await rig.widget(id, 'messages', { text: 'again' });
    const after = await rig.until(id, (x) => textsOf(x, 'bot').includes('You said: again'));
    expect(textsOf(after, 'bot')).toEqual([GREETING, 'You said: hello there', 'You said: again']);
    expect(rig.errors).toEqual([]);
  });

  it('should give the bot the customer\'s file and upload the bot\'s file to 8x8', async () => {
    const id = await rig.open('Fay');
    const form = new FormData();
    form.append('text', 'my notes');
    form.append('file', new Blob(['remember the milk'], { type: 'text/plain' }), 'notes.txt');
    await rig.widget(id, 'messages', form);
    await rig.until(id, (c) => textsOf(c, 'bot').includes('You sent notes.txt: remember the milk with "my notes"'));

    await rig.widget(id, 'messages', { text: 'file' });
    const c = await rig.until(id, (x) => x.messages.some((m) => m.authorType === 'bot' && m.attachments.length > 0));
    const sent = c.messages.find((m) => m.authorType === 'bot' && m.attachments.length > 0)!;
    expect(sent.text).toContain('Your receipt');
    expect(sent.attachments.map((a) => [a.filename, a.contentType])).toEqual([['receipt.txt', 'text/plain']]);
    expect(await (await fetch(sent.attachments[0]!.url)).text()).toBe('receipt contents');
  });

  it('should send an Adaptive Card and give the bot the customer\'s submit as the activity value', async () => {
    const id = await rig.open('Gus');
    await rig.widget(id, 'messages', { text: 'card' });
    const c = await rig.until(id, (x) => x.messages.some((m) => m.authorType === 'bot' && m.cards.length > 0));
    const card = c.messages.find((m) => m.authorType === 'bot' && m.cards.length > 0)!.cards[0]!;
    expect(card.contentType).toBe('application/vnd.microsoft.card.adaptive');
    expect((card.content as { actions: Array<{ title: string }> }).actions[0]!.title).toBe('Order');
    await rig.widget(id, `cards/${card.id}/submit`, { data: { action: 'order', size: 'L' } });
    await rig.until(id, (x) => textsOf(x, 'bot').includes('You submitted: {"action":"order","size":"L"}'));
  });

  it('should send suggested actions as 8x8 quick replies and give the bot the choice as text', async () => {
    const id = await rig.open('Hal');
    await rig.widget(id, 'messages', { text: 'choices' });
    const c = await rig.until(id, (x) => x.messages.some((m) => m.authorType === 'bot' && m.cards.some((k) => k.contentType === 'application/8x8.quick.replies')));
    const quick = c.messages.find((m) => m.authorType === 'bot' && m.cards.length)!;
    expect(quick.text).toContain('Which colour?');
    expect((quick.cards[0]!.content as { options: Array<{ title: string }> }).options.map((o) => o.title)).toEqual(['Red', 'Blue']);
    await rig.widget(id, 'quick-reply', { title: 'Blue', payload: 'Blue' });
    await rig.until(id, (x) => textsOf(x, 'bot').includes('You said: Blue'));
  });

  it('should show 8x8\'s thinking indicator while the bot works and send its typing as bot typing', async () => {
    const id = await rig.open('Ike');
    await rig.widget(id, 'messages', { text: 'slow' });
    await rig.until(id, (x) => textsOf(x, 'bot').includes('Done thinking'));
    // Thinking as the turn starts, then the bot's own typing activity as 8x8 typing.
    expect(rig.signals.filter((s) => s.conversationId === id).map((s) => s.kind)).toEqual(['thinking', 'typing:bot']);
    expect(rig.errors).toEqual([]);
  });

  it('should hold the bot\'s next reply for the length of its delay activity', async () => {
    const id = await rig.open('Dora');
    await rig.until(id, (c) => textsOf(c, 'bot').includes(GREETING));
    await rig.widget(id, 'messages', { text: 'pause' });
    await until(() => time.scheduled === 1, 'the pause to start');
    await time.advance(1_499);
    expect(textsOf(rig.emulator.conversation(id)!, 'bot')).toEqual([GREETING]);
    await time.advance(1);
    const c = await rig.until(id, (x) => textsOf(x, 'bot').includes('After the pause'));
    expect(textsOf(c, 'bot')).toEqual([GREETING, 'After the pause']);
    expect(rig.errors).toEqual([]);
  });

  it('should post a proactive message to the conversation through continueConversationAsync', async () => {
    const id = await rig.open('Pia');
    await rig.until(id, (c) => textsOf(c, 'bot').includes(GREETING));
    let seen: { channelId?: string; conversation?: string; type?: string } = {};
    await rig.adapter.continueConversationAsync('', rig.adapter.referenceFor(id), async (context) => {
      seen = { channelId: context.activity.channelId, conversation: context.activity.conversation.id, type: context.activity.type };
      await context.sendActivity('Your parcel has shipped.');
    });
    const c = await rig.until(id, (x) => textsOf(x, 'bot').includes('Your parcel has shipped.'));
    expect(seen).toEqual({ channelId: '8x8', conversation: id, type: 'event' });
    expect(textsOf(c, 'bot')).toEqual([GREETING, 'Your parcel has shipped.']);
  });

  it('should serve two customers at once, each answered in their own conversation and order', async () => {
    const [a, b] = await Promise.all([rig.open('Ann'), rig.open('Ben')]);
    const words = ['one', 'two', 'three'];
    for (const w of words) await Promise.all([rig.widget(a, 'messages', { text: `a-${w}` }), rig.widget(b, 'messages', { text: `b-${w}` })]);
    const [ca, cb] = await Promise.all([
      rig.until(a, (x) => textsOf(x, 'bot').length === 4),
      rig.until(b, (x) => textsOf(x, 'bot').length === 4),
    ]);
    expect(textsOf(ca, 'bot')).toEqual([GREETING, ...words.map((w) => `You said: a-${w}`)]);
    expect(textsOf(cb, 'bot')).toEqual([GREETING, ...words.map((w) => `You said: b-${w}`)]);
  });
});
