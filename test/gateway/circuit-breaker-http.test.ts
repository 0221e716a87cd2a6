import type { ServerResponse } from 'node:http';
import { ConfigurationError } from '../../src/errors';
import {
  ChatGatewayApiError, ChatGatewayUnavailableError, resolveGatewayOptions, type ChatGatewayClientOptions,
} from '../../src/gateway';
import { silentLogger, type Logger } from '../../src/logger';
import { clientFor, failure, TEST_API_KEY, type TestClient } from './support/client';
import { FakeGateway } from './support/fake-gateway';

const conversation = { id: 'c1', channelId: '25' };
const ok = { status: 200, body: conversation };
const unavailable = { status: 503, body: { message: 'Service unavailable' } };

describe('ChatGatewayClient circuit breaker (O5)', () => {
  let fake: FakeGateway;
  const clients: TestClient[] = [];
  const clock = { t: 0 };
  const logs: { level: string; line: string }[] = [];
  const logger: Logger = {
    debug: (o, m) => logs.push({ level: 'debug', line: JSON.stringify(o) + (m ?? '') }),
    info: (o, m) => logs.push({ level: 'info', line: JSON.stringify(o) + (m ?? '') }),
    warn: (o, m) => logs.push({ level: 'warn', line: JSON.stringify(o) + (m ?? '') }),
    error: (o, m) => logs.push({ level: 'error', line: JSON.stringify(o) + (m ?? '') }),
  };
  const make = (overrides: Partial<ChatGatewayClientOptions> = {}) => {
    const made = clientFor(fake, { now: () => clock.t, logger, retry: { retries: 0 }, ...overrides });
    clients.push(made);
    return made.client;
  };
  /** Runs `n` getConversation calls one after the other, the i-th answered by `reply(i)`. */
  const calls = async (client: ReturnType<typeof make>, n: number, reply: (i: number) => object) => {
    for (let i = 0; i < n; i += 1) {
      fake.reply(reply(i) as { status: number });
      await client.getConversation('c1').catch(() => undefined);
    }
  };

  beforeAll(async () => {
    fake = await FakeGateway.start();
  });
  afterEach(() => {
    fake.reset();
    logs.length = 0;
    clock.t = 0;
  });
  afterAll(async () => {
    for (const c of clients) c.client.close();
    await fake.close();
  });

  it('should open after 20 calls with 50% 503s and fail the next call at once, without reaching 8x8', async () => {
    const client = make();
    await calls(client, 19, (i) => (i % 2 === 0 ? unavailable : ok));
    expect(client.breakerState).toBe('closed'); // 10 failures, but only 19 calls
    await calls(client, 1, () => ok);
    expect(client.breakerState).toBe('open');
    expect(logs.some((l) => l.level === 'warn' && l.line.includes('10 of 20 calls failed'))).toBe(true);

    clock.t += 1_000;
    // "At once": the call settles before the event loop reaches its next I/O phase (no socket, no timer).
    const call = failure(client.createConversation({ channelId: '25', user: {} }));
    const first = await Promise.race([call.then(() => 'failed'), new Promise((resolve) => setImmediate(() => resolve('after I/O')))]);
    expect(first).toBe('failed');
    const error = await call;
    expect(error).toBeInstanceOf(ChatGatewayUnavailableError);
    expect(error).toMatchObject({ code: 'E_8X8_UNAVAILABLE', retryAfterMs: 29_000, method: 'POST', path: '/chat-gateway/v1/conversations' });
    expect(fake.requests).toHaveLength(20);
  });

  it('should let a probe through after 30 s and close when it succeeds', async () => {
    const client = make();
    await calls(client, 20, () => unavailable);
    expect(client.breakerState).toBe('open');
    clock.t += 29_999;
    await failure(client.getConversation('c1'));
    expect(fake.requests).toHaveLength(20);
    clock.t += 1;
    expect(client.breakerState).toBe('half-open');
    fake.reply(ok);
    await expect(client.getConversation('c1')).resolves.toEqual(conversation);
    expect(fake.requests).toHaveLength(21);
    expect(client.breakerState).toBe('closed');
    await expect(client.getConversation('c1')).resolves.toEqual({}); // the fake's default answer
  });

  it('should refuse other calls while the half-open probe is in flight and reopen when the probe fails', async () => {
    const client = make();
    await calls(client, 20, () => unavailable);
    clock.t += 30_000;
    let held: ServerResponse | undefined;
    const arrived = new Promise<void>((resolve) => {
      fake.reply((_req, res) => {
        held = res;
        resolve();
      });
    });
    const probe = failure(client.sendMessage('c1', { authorType: 'user', text: 'hi' }));
    const second = await failure(client.getConversation('c1'));
    expect(second).toMatchObject({ code: 'E_8X8_UNAVAILABLE', retryAfterMs: 0 });
    await arrived;
    expect(fake.requests).toHaveLength(21); // the probe only
    held?.writeHead(503).end();
    expect(await probe).toMatchObject({ status: 503 });
    expect(client.breakerState).toBe('open');
    expect(logs.some((l) => l.level === 'warn' && l.line.includes('probe failed'))).toBe(true);
  });

  it('should open at once and log the likely cause without the key when 8x8 answers 401', async () => {
    const client = make();
    fake.reply({ status: 401, body: { message: 'Access Denied', errors: [], referenceId: 'ref-401' } });
    const error = await failure(client.createConversation({ channelId: '25', user: {} }));
    expect(error).toMatchObject({ status: 401 });
    expect(client.breakerState).toBe('open');
    const errors = logs.filter((l) => l.level === 'error');
    expect(errors).toHaveLength(1);
    expect(errors[0].line).toMatch(/401.*apiKey/);
    expect(errors[0].line).toContain('ref-401');
    expect(logs.map((l) => l.line).join('\n')).not.toContain(TEST_API_KEY);
    expect(await failure(client.sendMessage('c1', { authorType: 'user', text: 'x' }))).toBeInstanceOf(ChatGatewayUnavailableError);
    expect(fake.requests).toHaveLength(1);
  });

  it('should not count 404s, which the request caused', async () => {
    const client = make();
    const notFound = { status: 404, body: { message: 'not found' } };
    await calls(client, 25, () => notFound);
    expect(client.breakerState).toBe('closed');
    fake.reply(notFound);
    expect(await failure(client.getConversation('c1'))).toBeInstanceOf(ChatGatewayApiError);
    expect(fake.requests).toHaveLength(26);
  });

  it('should count one failure per logical call, not per retried attempt', async () => {
    const client = make({ retry: {} }); // the default 3 retries
    fake.setDefault(unavailable); // a failing GET is tried 4 times: the queue answers the first, this the rest
    await calls(client, 19, (i) => (i < 10 ? unavailable : ok));
    expect(fake.requests.length).toBeGreaterThanOrEqual(49);
    expect(client.breakerState).toBe('closed'); // 10 of 19 logical calls failed
    await failure(client.getConversation('c1'));
    expect(client.breakerState).toBe('open');
  });

  it('should keep the public JWK and the setup calls reachable while open', async () => {
    const client = make();
    fake.reply({ status: 403, body: { message: 'The tenant does not belong to customer.' } });
    await failure(client.listMessages('c1'));
    expect(client.breakerState).toBe('open');
    fake.reply({ status: 200, body: { kty: 'RSA', n: 'abc', e: 'AQAB', kid: 'k1' } }, { status: 200, body: { _embedded: { webhooks: [] } } });
    await expect(client.getPublicJwk('k1')).resolves.toMatchObject({ kid: 'k1' });
    await expect(client.listWebhooks()).resolves.toMatchObject({ _embedded: { webhooks: [] } });
    expect(fake.requests.map((r) => r.path)).toEqual([
      '/chat-gateway/v1/conversations/c1/messages', '/chat-gateway/v1/jwk/k1/public', '/chat-gateway/v1/webhooks',
    ]);
  });

  it('should never open when circuitBreaker is false', async () => {
    const client = make({ circuitBreaker: false });
    await calls(client, 25, () => unavailable);
    fake.reply({ status: 401, body: { message: 'Access Denied' } });
    await failure(client.getConversation('c1'));
    expect(client.breakerState).toBe('disabled');
    await expect(client.getConversation('c1')).resolves.toEqual({});
    expect(fake.requests).toHaveLength(27);
  });

  it('should apply custom settings', async () => {
    const client = make({ circuitBreaker: { minimumCalls: 4, failureRatio: 1, openMs: 1_000, windowMs: 500 } });
    await calls(client, 3, () => unavailable);
    clock.t += 500; // the three failures leave the window
    await calls(client, 3, () => unavailable);
    expect(client.breakerState).toBe('closed');
    await calls(client, 1, () => unavailable);
    expect(client.breakerState).toBe('open');
    clock.t += 1_000;
    expect(client.breakerState).toBe('half-open');
  });
});

describe('#resolveGatewayOptions() circuitBreaker', () => {
  const base: ChatGatewayClientOptions = { apiKey: 'key-123', logger: silentLogger };

  it('should default to a 10 s window, 20 calls, ratio 0.5 and 30 s open', () => {
    expect(resolveGatewayOptions(base).circuitBreaker).toEqual({ windowMs: 10_000, minimumCalls: 20, failureRatio: 0.5, openMs: 30_000 });
    expect(resolveGatewayOptions({ ...base, circuitBreaker: false }).circuitBreaker).toBe(false);
  });

  it.each<[string, unknown]>([
    ['circuitBreaker', true],
    ['circuitBreaker', 'on'],
    ['circuitBreaker.failureRatio', { failureRatio: 0 }],
    ['circuitBreaker.failureRatio', { failureRatio: 1.5 }],
    ['circuitBreaker.failureRatio', { failureRatio: Number.NaN }],
    ['circuitBreaker.failureRatio', { failureRatio: '0.5' }],
    ['circuitBreaker.minimumCalls', { minimumCalls: 0 }],
    ['circuitBreaker.windowMs', { windowMs: 1.5 }],
    ['circuitBreaker.openMs', { openMs: -1 }],
  ])('should reject %s when it is invalid (case %#)', (option, circuitBreaker) => {
    const resolve = () => resolveGatewayOptions({ ...base, circuitBreaker } as ChatGatewayClientOptions);
    expect(resolve).toThrow(ConfigurationError);
    expect(resolve).toThrow(expect.objectContaining({ option }));
  });

  it('should reject a clock that is not a function', () => {
    expect(() => resolveGatewayOptions({ ...base, now: 5 } as unknown as ChatGatewayClientOptions)).toThrow(expect.objectContaining({ option: 'now' }));
  });
});
