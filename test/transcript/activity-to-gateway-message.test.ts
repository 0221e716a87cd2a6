import { CardFactory, MessageFactory } from 'botbuilder';
import { describeContract, OpenApiContract } from '../support/openapi';
import { ADAPTIVE_CARD_CONTENT_TYPE, activityToGatewayMessage, createAttachmentFetcher } from '../../src/transcript';
import { startFileServer, type FileServer } from './local-files';

describe('activityToGatewayMessage()', () => {
  let files: FileServer;
  beforeAll(async () => { files = await startFileServer(); });
  afterAll(async () => files.close());
  const options = () => ({ fetchAttachment: createAttachmentFetcher({ maxBytes: 4096, allowHosts: ['127.0.0.1'] }), maxAttachmentBytes: 4096, redact: (s: string) => s.replace(/\d{4}-\d{4}/g, '####') });

  it('should send user text as authorType user, redacted', async () => {
    expect(await activityToGatewayMessage(MessageFactory.text('my card is 1234-5678'), options())).toEqual({ message: { authorType: 'user', text: 'my card is ####' }, files: [] });
  });

  it('should send a card submit as readable text', async () => {
    const result = await activityToGatewayMessage({ type: 'message', value: { Name: 'Ada', Plan: 'Pro', msteams: { x: 1 }, Extra: { Seats: 3 } } }, options());
    expect(result!.message).toEqual({ authorType: 'user', text: 'Submitted: Name = Ada, Plan = Pro, Extra.Seats = 3' });
  });

  it('should return the file for upload and describe it in the text', async () => {
    const result = await activityToGatewayMessage({ type: 'message', attachments: [{ contentType: 'application/pdf', contentUrl: files.url('/files/report.pdf'), name: 'r.pdf' }] }, options());
    expect(result!.message).toEqual({ authorType: 'user', text: '[Attachment: r.pdf, application/pdf, 2 KB]' });
    expect(result!.files).toEqual([{ filename: 'r.pdf', contentType: 'application/pdf', data: Buffer.alloc(2048, 7), historyIndex: 0 }]);
  });

  it('should carry an Adaptive Card and redact its text', async () => {
    const card = { type: 'AdaptiveCard', version: '1.6', body: [{ type: 'TextBlock', text: 'Ref 1111-2222', id: '1111-2222' }] };
    const result = await activityToGatewayMessage({ type: 'message', attachments: [CardFactory.adaptiveCard(card)] }, options());
    expect(result!.message.cards).toEqual([{ contentType: ADAPTIVE_CARD_CONTENT_TYPE, content: { type: 'AdaptiveCard', version: '1.3', body: [{ type: 'TextBlock', text: 'Ref ####', id: '1111-2222' }] } }]);
    expect(result!.message.text).toBe('[Card] Ref ####');
  });

  it('should down-level a card to the configured cardVersion, keeping what it said', async () => {
    const card = { type: 'AdaptiveCard', version: '1.5', body: [{ type: 'Table', rows: [{ type: 'TableRow', cells: [{ type: 'TableCell', items: [{ type: 'TextBlock', text: 'Qty 2' }] }] }] }] };
    const at13 = await activityToGatewayMessage({ type: 'message', attachments: [CardFactory.adaptiveCard(card)] }, options());
    expect(at13!.message.cards![0]!.content).toEqual({ type: 'AdaptiveCard', version: '1.3', body: [{ type: 'TextBlock', text: 'Qty 2', wrap: true }] });
    const at15 = await activityToGatewayMessage({ type: 'message', attachments: [CardFactory.adaptiveCard(card)] }, { ...options(), cardVersion: '1.5' });
    expect(at15!.message.cards![0]!.content).toEqual(card);
  });

  it('should ignore typing and events', async () => {
    expect(await activityToGatewayMessage({ type: 'typing' }, options())).toBeUndefined();
    expect(await activityToGatewayMessage({ type: 'event', name: 'x', value: { a: 1 } }, options())).toBeUndefined();
  });

  describeContract('8x8 OpenAPI contract', () => {
    it('should produce send-message bodies 8x8\'s schema accepts', async () => {
      const contract = OpenApiContract.load();
      for (const activity of [MessageFactory.text('hi'), { type: 'message', value: { a: 1 } }, MessageFactory.suggestedActions(['a', 'b'], 'pick'), { type: 'message', attachments: [CardFactory.thumbnailCard('T', ['https://example.com/i.png'])] }]) {
        const result = await activityToGatewayMessage(activity, options());
        expect(contract.validateRequest('POST', '/chat-gateway/v1/conversations/abc/messages', { ...result!.message, attachments: [{ id: 'att-1' }] })).toEqual([]);
      }
    });
  });
});
