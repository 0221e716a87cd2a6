import { ConfigurationError } from '../../src/errors';
import { silentLogger } from '../../src/logger';
import { ChatGatewayClient, resolveGatewayOptions, type ChatGatewayClientOptions } from '../../src/gateway';
import { realScheduler } from '../../src/time';
import { FakeTime } from '../support/fake-time';

const base: ChatGatewayClientOptions = { apiKey: 'key-123', logger: silentLogger };

function optionAtFault(options: unknown): string | undefined {
  try {
    resolveGatewayOptions(options as ChatGatewayClientOptions);
  } catch (error) {
    if (error instanceof ConfigurationError) return error.option;
    throw error;
  }
  return undefined;
}

describe('#resolveGatewayOptions()', () => {
  it('should apply the documented defaults when only apiKey is given', () => {
    const resolved = resolveGatewayOptions(base);
    expect(resolved).toMatchObject({
      baseUrl: 'https://api.8x8.com',
      tenantId: undefined,
      timeoutMs: 10_000,
      deadlineMs: 30_000,
      retry: { retries: 3, baseDelayMs: 500, maxDelayMs: 8_000, maxRetryAfterMs: 60_000 },
      maxResponseBytes: 10 * 1024 * 1024,
      keepAlive: true,
    });
  });

  it('should default to real time: Date.now, realScheduler, and performance.now for the breaker', () => {
    const resolved = resolveGatewayOptions(base);
    expect(resolved.clock).toBe(Date.now);
    expect(resolved.scheduler).toBe(realScheduler);
    expect(resolved.now).not.toBe(Date.now);
  });

  it('should drive the breaker with the injected clock when `now` is not given', () => {
    const clock = () => 42;
    expect(resolveGatewayOptions({ ...base, clock }).now).toBe(clock);
    const now = () => 7;
    expect(resolveGatewayOptions({ ...base, clock, now }).now).toBe(now);
  });

  it('should wait between retries on the injected scheduler unless `sleep` is given', async () => {
    const time = new FakeTime();
    const { sleep } = resolveGatewayOptions({ ...base, scheduler: time });
    let woke = false;
    const waiting = sleep(1_000).then(() => (woke = true));
    await time.advance(999);
    expect(woke).toBe(false);
    await time.advance(1);
    await waiting;
    expect(woke).toBe(true);
  });

  it('should drop a trailing slash of baseUrl and keep a path prefix', () => {
    expect(resolveGatewayOptions({ ...base, baseUrl: 'http://127.0.0.1:3979/' }).baseUrl).toBe('http://127.0.0.1:3979');
    expect(resolveGatewayOptions({ ...base, baseUrl: 'https://proxy.example/8x8//' }).baseUrl).toBe('https://proxy.example/8x8');
  });

  it.each<[string, unknown]>([
    ['options', undefined],
    ['apiKey', { logger: silentLogger }],
    ['apiKey', { ...base, apiKey: '' }],
    ['apiKey', { ...base, apiKey: '   ' }],
    ['apiKey', { ...base, apiKey: 'key\r\nx-evil: 1' }],
    ['tenantId', { ...base, tenantId: '' }],
    ['baseUrl', { ...base, baseUrl: '/chat-gateway' }],
    ['baseUrl', { ...base, baseUrl: 'api.8x8.com' }],
    ['baseUrl', { ...base, baseUrl: 'ftp://api.8x8.com' }],
    ['baseUrl', { ...base, baseUrl: 'https://user:pw@api.8x8.com' }],
    ['timeoutMs', { ...base, timeoutMs: -1 }],
    ['timeoutMs', { ...base, timeoutMs: 0 }],
    ['timeoutMs', { ...base, timeoutMs: 1.5 }],
    ['deadlineMs', { ...base, deadlineMs: Number.NaN }],
    ['retry.retries', { ...base, retry: { retries: -1 } }],
    ['retry.retries', { ...base, retry: { retries: 100 } }],
    ['retry.baseDelayMs', { ...base, retry: { baseDelayMs: -5 } }],
    ['retry.maxDelayMs', { ...base, retry: { maxDelayMs: Infinity } }],
    ['retry.maxRetryAfterMs', { ...base, retry: { maxRetryAfterMs: '60' } }],
    ['maxResponseBytes', { ...base, maxResponseBytes: 0 }],
    ['keepAlive', { ...base, keepAlive: 'yes' }],
    ['random', { ...base, random: 0.5 }],
    ['sleep', { ...base, sleep: 'later' }],
    ['clock', { ...base, clock: 1_700_000_000_000 }],
    ['scheduler', { ...base, scheduler: (ms: number) => ms }],
    ['scheduler', { ...base, scheduler: { in: 5 } }],
  ])('should reject %s when it is invalid (case %#)', (option, options) => {
    expect(optionAtFault(options)).toBe(option);
  });

  it('should name the option and a fix in the message without echoing the api key', () => {
    let message = '';
    try {
      resolveGatewayOptions({ ...base, apiKey: 'secret-key \n' });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toMatch(/`apiKey`/);
    expect(message).not.toContain('secret-key');
  });
});

describe('ChatGatewayClient#constructor()', () => {
  it('should throw ConfigurationError at construction when an option is bad', () => {
    expect(() => new ChatGatewayClient({ ...base, baseUrl: 'not a url' })).toThrow(ConfigurationError);
  });
});
