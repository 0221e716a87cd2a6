/**
 * Issue 10, what 8x8 gets at escalation, end to end (TestAdapter -> middleware -> real client ->
 * emulator): transcript files keep their author and position, and Adaptive Cards are down-levelled
 * to `adaptiveCardVersion` (default 1.3, what 8x8's guides say agent desktops render).
 */
import { CardFactory } from 'botbuilder';
import { triggers } from '../../src/triggers';
import { eventually, gatewayConversationOf, startHarness, testUser, type Harness } from './harness';

const dataUri = (text: string) => `data:text/plain;base64,${Buffer.from(text).toString('base64')}`;

/** A 1.6 card: a Table (1.5) and an Action.Execute (1.4), which a 1.3 renderer cannot show. */
const NEW_CARD = {
  type: 'AdaptiveCard',
  version: '1.6',
  body: [
    { type: 'TextBlock', text: 'Your order' },
    { type: 'Table', columns: [{ width: 1 }], rows: [{ type: 'TableRow', cells: [{ type: 'TableCell', items: [{ type: 'TextBlock', text: 'Blue mug x2' }] }] }] },
  ],
  actions: [{ type: 'Action.Execute', title: 'Track', verb: 'track' }],
};

async function transcriptAtEscalation(h: Harness, name: string) {
  const user = testUser(h.adapter, name);
  h.bot.hooks.set('send me your file', async (context) => {
    await context.sendActivity({ text: 'here is mine', attachments: [{ contentType: 'text/plain', contentUrl: dataUri('from the bot'), name: 'bot.txt' }] });
  });
  h.bot.hooks.set('show my order', async (context) => {
    await context.sendActivity({ attachments: [CardFactory.adaptiveCard(NEW_CARD)] });
  });
  await user.say('hello');
  await user.say({ text: 'my photo', attachments: [{ contentType: 'text/plain', contentUrl: dataUri('first user file'), name: 'first.txt' }] });
  await user.say('send me your file');
  await user.say({ text: 'and another', attachments: [{ contentType: 'text/plain', contentUrl: dataUri('second user file'), name: 'second.txt' }] });
  await user.say('show my order');
  await user.say('agent');
  const created = await gatewayConversationOf(h, name);
  return eventually(() => {
    const c = h.emulator.conversation(created.id);
    return c && c.messages.some((m) => m.text === 'agent') ? c : undefined;
  }, 'the whole transcript at 8x8');
}

describe('what 8x8 gets at escalation (default adaptiveCardVersion 1.3)', () => {
  let h: Harness;

  beforeAll(async () => {
    h = await startHarness({ middleware: { triggers: [triggers.keywords(['agent'])] } });
  });
  afterAll(async () => {
    await h.close();
  });

  it('should keep each transcript file with its own author and message, in order, instead of one bot message after the create', async () => {
    const conversation = await transcriptAtEscalation(h, 'files-authors');
    const transcript = conversation.messages.filter((m) => m.authorType !== 'agent');
    expect(transcript.map((m) => [m.authorType, m.text.split('\n')[0], m.attachments.map((a) => a.filename)])).toEqual([
      ['user', 'hello', []],
      ['bot', 'echo: hello', []],
      ['user', expect.stringContaining('my photo'), ['first.txt']],
      ['bot', 'echo: my photo', []],
      ['user', 'send me your file', []],
      ['bot', expect.stringContaining('here is mine'), ['bot.txt']],
      ['user', expect.stringContaining('and another'), ['second.txt']],
      ['bot', 'echo: and another', []],
      ['user', 'show my order', []],
      ['bot', expect.any(String), []],
      ['user', 'agent', []],
    ]);
    // The history stops before the first file (history cannot reference uploads); the rest follows the 202 in order.
    expect(transcript.map((m) => m.fromHistory)).toEqual([true, true, false, false, false, false, false, false, false, false, false]);
    expect(transcript.some((m) => m.text.startsWith('Files shared before the handoff'))).toBe(false);
    const bytes = await Promise.all(transcript.flatMap((m) => m.attachments).map(async (a) => (await fetch(a.url)).text()));
    expect(bytes).toEqual(['first user file', 'from the bot', 'second user file']);
  });

  it('should down-level the bot\'s 1.6 card to 1.3: Action.Execute as Submit, the Table as its text', async () => {
    const conversation = await transcriptAtEscalation(h, 'card-13');
    const card = conversation.messages.flatMap((m) => m.cards).find((c) => c.contentType === 'application/vnd.microsoft.card.adaptive')!;
    const content = card.content as { version: string; body: Array<{ type: string; text?: string }>; actions: Array<{ type: string; title: string }> };
    expect(content.version).toBe('1.3');
    expect(content.body.map((e) => e.type)).not.toContain('Table');
    expect(JSON.stringify(content.body)).toContain('Blue mug x2');
    expect(content.actions).toEqual([expect.objectContaining({ type: 'Action.Submit', title: 'Track' })]);
  });
});

describe('adaptiveCardVersion 1.6', () => {
  let h: Harness;

  beforeAll(async () => {
    h = await startHarness({ middleware: { triggers: [triggers.keywords(['agent'])], adaptiveCardVersion: '1.6' } });
  });
  afterAll(async () => {
    await h.close();
  });

  it('should send the card as the bot made it', async () => {
    const conversation = await transcriptAtEscalation(h, 'card-16');
    const card = conversation.messages.flatMap((m) => m.cards).find((c) => c.contentType === 'application/vnd.microsoft.card.adaptive')!;
    expect(card.content).toMatchObject({ version: '1.6', body: [{ type: 'TextBlock' }, { type: 'Table' }], actions: [{ type: 'Action.Execute' }] });
  });
});
