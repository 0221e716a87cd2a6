import fc from 'fast-check';
import { CardFactory, MessageFactory, type Activity } from 'botbuilder';
import { describeContract, OpenApiContract } from '../support/openapi';
import {
  ADAPTIVE_CARD_CONTENT_TYPE, QUICK_REPLIES_CONTENT_TYPE, buildHistory, createAttachmentFetcher, toTranscriptEntry, type TranscriptEntry,
} from '../../src/transcript';
import { PNG, startFileServer, type FileServer } from './local-files';

const user = (a: Partial<Activity>): [Partial<Activity>, 'in'] => [{ type: 'message', from: { id: 'u1', name: 'Ada', role: 'user' }, ...a }, 'in'];
const bot = (a: Partial<Activity>): [Partial<Activity>, 'out'] => [{ type: 'message', from: { id: 'b1', name: 'Bot', role: 'bot' }, ...a }, 'out'];
const record = (items: Array<[Partial<Activity>, 'in' | 'out']>) =>
  items.map(([a, d]) => toTranscriptEntry(a, d)).filter((e): e is TranscriptEntry => e !== undefined);

const planCard = {
  type: 'AdaptiveCard', version: '1.5', $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
  body: [{ type: 'TextBlock', text: 'Your details' }, { type: 'Input.Text', id: 'Name', label: 'Name' }, { type: 'Input.ChoiceSet', id: 'Plan', label: 'Plan', choices: [{ title: 'Basic', value: 'basic' }, { title: 'Pro', value: 'pro' }] }],
  actions: [{ type: 'Action.Submit', title: 'Send' }],
};

function realisticTranscript(files: FileServer): TranscriptEntry[] {
  return record([
    user({ text: 'Hi' }),
    bot({ type: 'typing' }),
    bot({ ...MessageFactory.suggestedActions(['Billing', 'Tech support'], 'Hello! What is it about?') }),
    bot({ type: 'trace', name: 'LuisV3', value: { intents: {} } }),
    user({ text: 'Billing' }),
    bot({ text: 'Please fill in:', attachments: [CardFactory.adaptiveCard(planCard)] }),
    user({ value: { Name: 'Ada', Plan: 'Pro' } }),
    bot({ attachments: [CardFactory.heroCard('Pro plan', 'Everything, monthly', ['https://example.com/pro.png'], [{ type: 'imBack', title: 'Upgrade', value: 'upgrade' }, { type: 'openUrl', title: 'Details', value: 'https://example.com/pro' }])] }),
    user({ text: 'Here is my screen', attachments: [{ contentType: 'image/png', contentUrl: `data:image/png;base64,${PNG.toString('base64')}`, name: 'screen.png' }] }),
    user({ attachments: [{ contentType: 'application/pdf', contentUrl: files.url('/files/report.pdf'), name: 'invoice.pdf' }] }),
    user({ attachments: [{ contentType: 'application/zip', contentUrl: files.url('/files/huge.bin'), name: 'logs.zip' }] }),
    bot({ attachments: [CardFactory.adaptiveCard({ type: 'AdaptiveCard', version: '1.7', body: [{ type: 'TextBlock', text: 'Brand new layout' }] })] }),
    [{ type: 'event', name: 'ContinueConversation' }, 'in'],
    user({ text: 'I want a human, mail me at ada@example.com' }),
  ]);
}

describe('buildHistory()', () => {
  let files: FileServer;
  beforeAll(async () => { files = await startFileServer(); });
  afterAll(async () => files.close());

  const redact = (s: string) => s.replace(/[\w.]+@[\w.]+/g, '[email]');
  const options = () => ({ fetchAttachment: createAttachmentFetcher({ maxBytes: 1024 * 1024, timeoutMs: 2_000, allowHosts: ['127.0.0.1'] }), maxAttachmentBytes: 1024 * 1024, redact });

  it('should convert a realistic transcript: text, cards, quick replies, submits and files, without noise', async () => {
    const { messages, files: pending, omitted } = await buildHistory(realisticTranscript(files), options());
    expect(omitted).toBe(0);
    expect(messages.map((m) => [m.authorType, m.text])).toEqual([
      ['user', 'Hi'],
      ['bot', 'Hello! What is it about?\nOptions: Billing | Tech support'],
      ['user', 'Billing'],
      ['bot', 'Please fill in:\n[Card] Your details\nName\nPlan\nBasic\nPro\nSend'],
      ['user', 'Submitted: Name = Ada, Plan = Pro'],
      ['bot', '[Card] Pro plan\nEverything, monthly\nUpgrade\nDetails: https://example.com/pro'],
      ['user', 'Here is my screen\n[Attachment: screen.png, image/png, 16 B]'],
      ['user', '[Attachment: invoice.pdf, application/pdf, 2 KB]'],
      ['user', '[Attachment not forwarded: logs.zip, application/zip, 50 MB (the limit is 1 MB)]'],
      ['bot', '[Card] Brand new layout'],
      ['user', 'I want a human, mail me at [email]'],
    ]);
    expect(messages[1]!.cards).toEqual([{ contentType: QUICK_REPLIES_CONTENT_TYPE, content: { options: [{ title: 'Billing', data: { postback: 'Billing' } }, { title: 'Tech support', data: { postback: 'Tech support' } }] } }]);
    // Down-levelled to 1.3 (the agent desktop's version): every element of this card exists in 1.3, so only the version changes.
    expect(messages[3]!.cards).toEqual([{ contentType: ADAPTIVE_CARD_CONTENT_TYPE, content: { ...planCard, version: '1.3' } }]);
    const hero = messages[5]!.cards![0]!;
    expect(hero.contentType).toBe(ADAPTIVE_CARD_CONTENT_TYPE);
    expect(hero.content).toMatchObject({ type: 'AdaptiveCard', version: '1.3', body: [{ type: 'Image', url: 'https://example.com/pro.png' }, { text: 'Pro plan' }, { text: 'Everything, monthly' }], actions: [{ type: 'Action.Submit', title: 'Upgrade', data: { value: 'upgrade' } }, { type: 'Action.OpenUrl', url: 'https://example.com/pro' }] });
    expect(messages[9]!.cards).toBeUndefined(); // version 1.7 is newer than 8x8 takes
    expect(messages.every((m) => m.attachments === undefined)).toBe(true);
    expect(messages.every((m) => typeof m.text === 'string' && m.text.trim() !== '')).toBe(true);
    expect(pending.map((f) => [f.filename, f.contentType, f.data.length, f.historyIndex])).toEqual([
      ['screen.png', 'image/png', PNG.length, 6],
      ['invoice.pdf', 'application/pdf', 2048, 7],
    ]);
  });

  it('should say a file could not be downloaded when the channel answers 404', async () => {
    const entries = record([user({ attachments: [{ contentType: 'image/jpeg', contentUrl: files.url('/gone.jpg'), name: 'gone.jpg' }] })]);
    const { messages, files: pending } = await buildHistory(entries, options());
    expect(messages).toEqual([{ authorType: 'user', text: '[Attachment not forwarded: gone.jpg, image/jpeg (could not be downloaded)]' }]);
    expect(pending).toEqual([]);
  });

  it('should keep the latest 199 and open with a note when there are 250 messages', async () => {
    const entries = Array.from({ length: 250 }, (_, i): TranscriptEntry => ({ direction: i % 2 ? 'out' : 'in', type: 'message', text: `m${i}` }));
    const { messages, omitted } = await buildHistory(entries, options());
    expect(messages).toHaveLength(200);
    expect(omitted).toBe(51);
    expect(messages[0]).toEqual({ authorType: 'bot', text: '[51 earlier messages were left out of this history]' });
    expect(messages[1]!.text).toBe('m51');
    expect(messages[199]).toEqual({ authorType: 'bot', text: 'm249' });
  });

  it('should count entries the transcript bounds dropped earlier', async () => {
    const entries: TranscriptEntry[] = [{ direction: 'in', type: 'message', text: 'kept', omittedBefore: 7 }];
    const { messages, omitted } = await buildHistory(entries, options());
    expect(omitted).toBe(7);
    expect(messages.map((m) => m.text)).toEqual(['[7 earlier messages were left out of this history]', 'kept']);
  });

  it('should never exceed maxMessages and never drop the newest message', async () => {
    const fetchAttachment = async () => { throw new Error('no files here'); };
    await fc.assert(fc.asyncProperty(fc.integer({ min: 0, max: 320 }), fc.integer({ min: 1, max: 200 }), fc.integer({ min: 0, max: 5 }), async (n, maxMessages, earlier) => {
      const entries = Array.from({ length: n }, (_, i): TranscriptEntry => ({ direction: 'in', type: 'message', text: `m${i}`, ...(i === 0 && earlier ? { omittedBefore: earlier } : {}) }));
      const { messages, omitted } = await buildHistory(entries, { fetchAttachment, maxMessages });
      expect(messages.length).toBeLessThanOrEqual(maxMessages);
      if (n > 0) expect(messages[messages.length - 1]!.text).toBe(`m${n - 1}`);
      const notes = messages.filter((m) => /earlier messages? (was|were) left out/.test(m.text ?? '')).length;
      expect(notes).toBeLessThanOrEqual(1);
      expect(messages.length - notes + omitted).toBe(n + (n > 0 ? earlier : 0));
    }), { numRuns: 80 });
  });

  it('should reject maxMessages above 8x8\'s limit of 200', async () => {
    await expect(buildHistory([], { ...options(), maxMessages: 201 })).rejects.toThrow(/history\.maxMessages.*at most 200/);
  });

  describeContract('8x8 OpenAPI contract', () => {
    it('should produce a create-conversation history that 8x8\'s schema accepts, for every case above', async () => {
      const contract = OpenApiContract.load();
      const many = Array.from({ length: 250 }, (_, i): TranscriptEntry => ({ direction: 'in', type: 'message', text: `m${i}` }));
      for (const entries of [realisticTranscript(files), many]) {
        const { messages } = await buildHistory(entries, options());
        const errors = contract.validateRequest('POST', '/chat-gateway/v1/conversations', { channelId: 'c', user: {}, history: { messages } });
        expect(errors).toEqual([]);
      }
      const broken = contract.validateRequest('POST', '/chat-gateway/v1/conversations', { channelId: 'c', user: {}, history: { messages: [{ authorType: 'user', cards: [{ contentType: 'application/vnd.microsoft.card.adaptive', content: 'not an object' }] }] } });
      expect(broken).not.toEqual([]);
    });
  });
});
