import { parseGatewayEvent, type EventOf } from '../../src/webhook/events';
import { ADAPTIVE_CARD_CONTENT_TYPE, gatewayMessageToActivity, legacyTextToActivity } from '../../src/transcript';

/** Parses a webhook body the way the receiver does, so the tests use real event shapes. */
function event<T extends 'MESSAGE' | 'TEXT'>(body: Record<string, unknown>): EventOf<T> {
  const parsed = parseGatewayEvent(body);
  if (parsed.kind !== 'event') throw new Error(`fixture is not a valid event: ${JSON.stringify(parsed)}`);
  return parsed.event as EventOf<T>;
}
const message = (data: Record<string, unknown>) => event<'MESSAGE'>({ eventType: 'MESSAGE', conversationId: 'ID-0', timestamp: 1713100000000, data: { isEcho: false, sender: { id: 'agent-abc-123', type: 'agent' }, ...data } }).data;

describe('gatewayMessageToActivity()', () => {
  it('should turn agent text into a message with the sender in channelData', () => {
    expect(gatewayMessageToActivity(message({ text: 'Hello, how can I help you?', messageId: 'm1' }))).toEqual({
      type: 'message', text: 'Hello, how can I help you?', channelData: { eightByEight: { senderId: 'agent-abc-123', senderType: 'agent', messageId: 'm1' } },
    });
  });

  it('should pass files as attachments with the pre-signed URL and a guessed content type', () => {
    const activity = gatewayMessageToActivity(message({
      text: 'Here you go',
      attachments: [
        { id: 'att-001', type: 'image', preSignedUrl: 'https://storage.example.com/a?sig=1', fileName: 'screenshot.png' },
        { id: 'att-002', type: 'file', preSignedUrl: 'https://storage.example.com/b', fileName: 'terms.pdf' },
        { id: 'att-003', type: 'video', preSignedUrl: 'https://storage.example.com/c', fileName: 'clip' },
        { id: 'att-004' },
      ],
    }), { includeChannelData: false });
    expect(activity).toEqual({
      type: 'message',
      text: 'Here you go\n[Attachment: att-004 (not available)]',
      attachments: [
        { contentType: 'image/png', contentUrl: 'https://storage.example.com/a?sig=1', name: 'screenshot.png' },
        { contentType: 'application/pdf', contentUrl: 'https://storage.example.com/b', name: 'terms.pdf' },
        { contentType: 'video/*', contentUrl: 'https://storage.example.com/c', name: 'clip' },
      ],
    });
  });

  it('should deliver Adaptive Cards as card attachments and quick replies as imBack suggested actions', () => {
    const card = { type: 'AdaptiveCard', version: '1.3', body: [{ type: 'TextBlock', text: 'Rate us' }] };
    const activity = gatewayMessageToActivity(message({
      text: 'What would you like to do next?',
      cards: [
        { contentType: 'application/8x8.quick.replies', content: { options: [{ title: 'option one', data: { postback: '1' } }, { title: 'second option', data: { postback: '2' } }] } },
        { contentType: ADAPTIVE_CARD_CONTENT_TYPE, content: JSON.stringify(card) },
      ],
    }), { includeChannelData: false });
    expect(activity.attachments).toEqual([{ contentType: ADAPTIVE_CARD_CONTENT_TYPE, content: card }]);
    expect(activity.suggestedActions).toEqual({ actions: [{ type: 'imBack', title: 'option one', value: 'option one' }, { type: 'imBack', title: 'second option', value: 'second option' }] });
    expect(activity.text).toBe('What would you like to do next?');
  });

  it('should show other card types as readable text', () => {
    const activity = gatewayMessageToActivity(message({
      cards: [{ contentType: 'Buttons', content: { body: 'Pick a slot', buttons: [{ title: 'Mon 9:00' }, { title: 'Tue 14:00' }] } }],
    }), { includeChannelData: false });
    expect(activity).toEqual({ type: 'message', text: '[Buttons] Pick a slot\nMon 9:00\nTue 14:00' });
  });
});

describe('legacyTextToActivity()', () => {
  it('should turn a legacy TEXT event into a message', () => {
    const legacy = event<'TEXT'>({ eventType: 'TEXT', messageType: 'AGENT', conversationId: 'c', agentId: 'cmalutan', agentName: 'Cosmin', message: 'Hi there' });
    expect(legacyTextToActivity(legacy)).toMatchObject({ type: 'message', text: 'Hi there' });
  });
});
