import util from 'node:util';
import {
  ChatGatewayApiError, ChatGatewayNetworkError, ChatGatewayThrottledError, type ChatGatewayClient,
} from '../../src/gateway';
import type { Logger } from '../../src/logger';
import { clientFor, failure, TEST_API_KEY } from './support/client';
import { FakeGateway } from './support/fake-gateway';


describe('ChatGatewayClient errors', () => {
  let fake: FakeGateway;
  let client: ChatGatewayClient;
  const logLines: string[] = [];
  const capture: Logger = {
    debug: (o, m) => logLines.push(JSON.stringify(o) + (m ?? '')),
    info: (o, m) => logLines.push(JSON.stringify(o) + (m ?? '')),
    warn: (o, m) => logLines.push(JSON.stringify(o) + (m ?? '')),
    error: (o, m) => logLines.push(JSON.stringify(o) + (m ?? '')),
  };

  beforeAll(async () => {
    fake = await FakeGateway.start();
    client = clientFor(fake, { logger: capture }).client;
  });
  afterEach(() => fake.reset());
  afterAll(async () => {
    client.close();
    await fake.close();
  });

  describe('#sendMessage()', () => {
    it('should normalise the single-object errors of a 400 and keep referenceId and the raw body', async () => {
      const body = {
        message: 'Invalid authorType=ghfgh, has to be one of user, bot, agent',
        errors: { code: 'invalid_json_object', message: 'Invalid authorType=ghfgh, has to be one of user, bot, agent' },
        referenceId: '98e9da1f69f06d9019353ec66da6063a',
      };
      fake.reply({ status: 400, body });
      const error = await failure(client.sendMessage('c1', { authorType: 'user', text: 'x' }));
      expect(error).toBeInstanceOf(ChatGatewayApiError);
      expect(error).toMatchObject({
        code: 'E_8X8_API', status: 400, method: 'POST', path: '/chat-gateway/v1/conversations/c1/messages',
        referenceId: '98e9da1f69f06d9019353ec66da6063a', body,
        errors: [{ code: 'invalid_json_object', message: 'Invalid authorType=ghfgh, has to be one of user, bot, agent' }],
      });
      expect(error.message).toContain('Invalid authorType=ghfgh');
    });

    it('should not retry a 500 because the message may have been posted (O2)', async () => {
      fake.reply({ status: 500, body: { message: 'Internal error.', errors: [{ code: 'x', message: 'boom' }] } });
      const error = await failure(client.sendMessage('c1', { authorType: 'user', text: 'x' }));
      expect(error).toMatchObject({ status: 500, errors: [{ code: 'x', message: 'boom' }] });
      expect(fake.requests).toHaveLength(1);
    });
  });

  describe('#listWebhooks()', () => {
    it('should normalise the string-array errors of a 403', async () => {
      fake.reply({
        status: 403,
        body: { message: 'The tenant does not belong to customer.', errors: ["Header X-8x8-Tenant doesn't match tenant information for customerId=aaaa"] },
      });
      const error = await failure(client.listWebhooks());
      expect(error).toMatchObject({ status: 403, errors: [{ message: "Header X-8x8-Tenant doesn't match tenant information for customerId=aaaa" }] });
      expect((error as ChatGatewayApiError).referenceId).toBeUndefined();
      expect(fake.requests).toHaveLength(1); // 403 is never retried
    });

    it('should carry referenceId and never retry when 8x8 answers 401', async () => {
      fake.reply({ status: 401, body: { message: 'Access Denied', errors: [{ message: 'Access Denied', code: 'access_denied' }], referenceId: 'dacd0dd252723a2' } });
      const error = await failure(client.listWebhooks());
      expect(error).toMatchObject({ status: 401, referenceId: 'dacd0dd252723a2', errors: [{ code: 'access_denied', message: 'Access Denied' }] });
      expect(fake.requests).toHaveLength(1);
    });

    it('should fold the legacy 401 shape {message, code} into errors', async () => {
      fake.reply({ status: 401, body: { message: 'Invalid Credentials', code: 'KA:1234567' } });
      const error = await failure(client.listWebhooks());
      expect(error).toMatchObject({ errors: [{ code: 'KA:1234567', message: 'Invalid Credentials' }] });
    });
  });

  describe('#getConversation()', () => {
    it('should normalise a 404 with string errors', async () => {
      fake.reply({ status: 404, body: { message: 'Resource of type Conversation with id c1 was not found.', errors: ['Tenant t does not belong to customer c.'] } });
      const error = await failure(client.getConversation('c1'));
      expect(error).toMatchObject({ status: 404, message: expect.stringContaining('was not found'), errors: [{ message: 'Tenant t does not belong to customer c.' }] });
    });
  });

  describe('#sendTyping()', () => {
    it('should normalise a 404 with object errors', async () => {
      fake.reply({ status: 404, body: { message: 'Resource not found', errors: [{ code: 'resource_not_found', message: 'Entity of type Conversation with id aaa was not found.' }] } });
      const error = await failure(client.sendTyping('aaa', 'bot'));
      expect(error).toMatchObject({ status: 404, errors: [{ code: 'resource_not_found', message: 'Entity of type Conversation with id aaa was not found.' }] });
    });
  });

  describe('#getMessage()', () => {
    it('should keep a non-JSON error body as text when 8x8 answers 502 from a proxy', async () => {
      fake.reply({ status: 502, body: '<html>Bad gateway</html>', headers: { 'content-type': 'text/html' } }).setDefault({ status: 502, body: 'still bad', headers: { 'content-type': 'text/plain' } });
      const error = await failure(client.getMessage('c1', 'm1'));
      expect(error).toMatchObject({ status: 502, errors: [{ message: 'still bad' }] });
      expect(fake.requests).toHaveLength(4); // a GET is retried on 5xx: 1 + 3 retries
    });
  });

  it('should never expose the api key in a thrown error, its JSON, its inspection or the logs', async () => {
    fake.reply({ status: 500, body: { message: 'Internal error.' } }).setDefault('destroy');
    const apiError = await failure(client.createConversation({ channelId: '25', user: { name: 'Ann' } }));
    const netError = await failure(client.getConversation('c1'));
    expect(apiError).toBeInstanceOf(ChatGatewayApiError);
    expect(netError).toBeInstanceOf(ChatGatewayNetworkError);
    for (const error of [apiError, netError]) {
      expect(JSON.stringify(error)).not.toContain(TEST_API_KEY);
      expect(util.inspect(error, { depth: 10, showHidden: true })).not.toContain(TEST_API_KEY);
      expect(String(error.stack)).not.toContain(TEST_API_KEY);
    }
    expect(logLines.length).toBeGreaterThan(0); // the GET retries were logged
    expect(logLines.join('\n')).not.toContain(TEST_API_KEY);
  });

  it('should report a throttled error with retryAfterMs when 8x8 keeps answering 429', async () => {
    fake.setDefault({ status: 429, headers: { 'retry-after': '0' }, body: { message: 'Too many requests' } });
    const error = await failure(client.getConversation('c1'));
    expect(error).toBeInstanceOf(ChatGatewayThrottledError);
    expect(error).toMatchObject({ code: 'E_8X8_THROTTLED', status: 429, retryAfterMs: 0 });
    expect(fake.requests).toHaveLength(4);
  });
});
