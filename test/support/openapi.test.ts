import { OpenApiContract, describeContract } from './openapi';

describeContract('OpenApiContract', () => {
  const contract = OpenApiContract.load();

  it('should accept the guide example create body and reject one without channelId', () => {
    const body = {
      channelId: 'f5odm43occnifcdcsa',
      user: { name: 'James Jones', language: 'en', additionalProperties: [{ key: 'Intent', value: 'balance' }] },
      assignment: { type: 'queue', id: '123' },
      history: { messages: [{ authorType: 'user', text: 'Hello' }] },
    };
    expect(contract.validateRequest('POST', '/chat-gateway/v1/conversations', body)).toEqual([]);
    const { channelId: _omit, ...withoutChannel } = body;
    expect(contract.validateRequest('POST', '/chat-gateway/v1/conversations', withoutChannel).join()).toMatch(/channelId/);
  });

  it('should prefer the literal template when matching /webhooks/verify', () => {
    expect(contract.findOperation('POST', '/chat-gateway/v1/webhooks/verify').template).toBe('/chat-gateway/v1/webhooks/verify');
  });

  it('should reject an undeclared status and accept a declared one', () => {
    expect(contract.validateResponse('POST', '/chat-gateway/v1/conversations', 201, {})).toHaveLength(1);
    expect(
      contract.validateResponse('POST', '/chat-gateway/v1/conversations', 202, { conversationId: 'x', createdAt: '2021-01-30T08:30:00Z' }, 'application/hal+json'),
    ).toEqual([]);
  });
});
