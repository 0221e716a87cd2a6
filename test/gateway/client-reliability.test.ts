import { ChatGatewayNetworkError, ChatGatewayThrottledError } from '../../src/gateway';
import { FakeTime, until } from '../support/fake-time';
import { clientFor, failure, type TestClient } from './support/client';
import { FakeGateway } from './support/fake-gateway';

const msg = { authorType: 'user' as const, text: 'hello' };


describe('ChatGatewayClient reliability', () => {
  let fake: FakeGateway;
  const clients: TestClient[] = [];
  const make = (overrides = {}) => {
    const made = clientFor(fake, overrides);
    clients.push(made);
    return made;
  };

  beforeAll(async () => {
    fake = await FakeGateway.start();
  });
  afterEach(() => fake.reset());
  afterAll(async () => {
    for (const c of clients) c.client.close();
    await fake.close();
  });

  describe('throttling (O3)', () => {
    it('should wait Retry-After seconds and then succeed when 8x8 answers 429 once', async () => {
      const { client, sleeps } = make();
      fake.reply({ status: 429, headers: { 'retry-after': '1' }, body: { message: 'slow down' } }, { status: 202 });
      await client.sendMessage('c1', msg);
      expect(sleeps).toEqual([1_000]);
      expect(fake.requests).toHaveLength(2);
    });

    it('should wait until the HTTP-date of Retry-After and then succeed', async () => {
      const time = new FakeTime(Date.UTC(2026, 0, 5, 12, 0, 0)); // a whole second: HTTP-dates have second resolution
      const { client, sleeps } = make({ clock: time.clock });
      const at = new Date(time.now + 3_000).toUTCString();
      fake.reply({ status: 429, headers: { 'retry-after': at } }, { status: 200, body: { id: 'c1' } });
      await expect(client.getConversation('c1')).resolves.toEqual({ id: 'c1' });
      expect(sleeps).toEqual([3_000]);
    });

    it('should fail fast as throttled when Retry-After is above maxRetryAfterMs', async () => {
      const { client, sleeps } = make({ retry: { maxRetryAfterMs: 5_000 } });
      fake.reply({ status: 429, headers: { 'retry-after': '120' } }, { status: 202 });
      const error = await failure(client.sendMessage('c1', msg));
      expect(error).toBeInstanceOf(ChatGatewayThrottledError);
      expect(error).toMatchObject({ status: 429, retryAfterMs: 120_000 });
      expect(sleeps).toEqual([]);
      expect(fake.requests).toHaveLength(1);
    });

    it('should retry a non-idempotent POST after 503 and succeed', async () => {
      const { client, sleeps } = make();
      fake.reply({ status: 503, body: { message: 'unavailable' } }, { status: 202, body: { conversationId: 'c9' } });
      await expect(client.createConversation({ channelId: '25', user: {} })).resolves.toEqual({ conversationId: 'c9' });
      expect(sleeps).toEqual([250]); // full jitter, random 0.5 of base 500
      expect(fake.requests).toHaveLength(2);
    });
  });

  describe('classification (O2)', () => {
    it('should retry a GET after 500 with growing full-jitter delays', async () => {
      const { client, sleeps } = make();
      fake.reply({ status: 500 }, { status: 500 }, { status: 200, body: { id: 'm1' } });
      await expect(client.getMessage('c1', 'm1')).resolves.toEqual({ id: 'm1' });
      expect(sleeps).toEqual([250, 500]);
      expect(fake.requests).toHaveLength(3);
    });

    it('should retry a GET whose connection was reset', async () => {
      const { client } = make();
      fake.reply('destroy', { status: 200, body: { id: 'c1' } });
      await expect(client.getConversation('c1')).resolves.toEqual({ id: 'c1' });
      expect(fake.requests).toHaveLength(2);
    });

    it('should send a POST exactly once and report kind reset when the connection dies after the server read it', async () => {
      const { client, sleeps } = make();
      fake.setDefault('destroy');
      const error = await failure(client.sendMessage('c1', msg));
      expect(error).toBeInstanceOf(ChatGatewayNetworkError);
      expect(error).toMatchObject({ kind: 'reset', method: 'POST', path: '/chat-gateway/v1/conversations/c1/messages' });
      expect(fake.requests).toHaveLength(1);
      expect(sleeps).toEqual([]);
    });

    it('should retry a POST whose connection was refused and deliver it once the server is up', async () => {
      const probe = await FakeGateway.start();
      const port = probe.port;
      await probe.close(); // nothing listens on `port` now: connects are refused
      let revived: FakeGateway | undefined;
      const { client, sleeps } = make({
        baseUrl: `http://127.0.0.1:${port}`,
        sleep: async (ms: number) => {
          sleeps.push(ms);
          if (sleeps.length === 2) revived = await FakeGateway.start(port);
        },
      });
      try {
        await client.sendMessage('c1', msg);
        expect(sleeps).toHaveLength(2);
        expect(revived!.requests.map((r) => r.json)).toEqual([msg]);
      } finally {
        await revived?.close();
      }
    });

    it('should give kind refused after the retry budget when nothing listens', async () => {
      const probe = await FakeGateway.start();
      const port = probe.port;
      await probe.close();
      const { client, sleeps } = make({ baseUrl: `http://127.0.0.1:${port}` });
      const error = await failure(client.sendTyping('c1', 'user'));
      expect(error).toMatchObject({ kind: 'refused', errno: 'ECONNREFUSED' });
      expect(sleeps).toHaveLength(3);
    });
  });

  describe('timeouts and limits (O1)', () => {
    it('should fail an attempt against a hung server with kind timeout within timeout + 10%', async () => {
      const { client } = make({ timeoutMs: 1_000 });
      fake.setDefault('hang');
      const started = Date.now();
      const error = await failure(client.sendMessage('c1', msg));
      const elapsed = Date.now() - started;
      expect(error).toMatchObject({ kind: 'timeout' });
      expect(elapsed).toBeGreaterThanOrEqual(990);
      // Loose on purpose (a loaded machine stretches timers); what matters is that it stops, by deadline.
      expect(elapsed).toBeLessThan(5_000);
      expect(fake.requests).toHaveLength(1); // a read timeout on a POST is not retried
    });

    it('should stop retrying at the total deadline with kind deadline', async () => {
      const time = new FakeTime();
      // Retry waits and the deadline run on fake time; the attempt timeout (real I/O) is out of the way.
      const { client } = make({ clock: time.clock, scheduler: time, sleep: undefined, timeoutMs: 60_000, deadlineMs: 1_000 });
      fake.reply({ status: 500, body: { id: 'c-deadline' } }, { status: 500 }, 'hang');
      let settled = false;
      const outcome = failure(client.getConversation('c-deadline')).finally(() => (settled = true));
      await until(() => fake.requests.length === 1, 'the first attempt');
      await time.advance(250); // full jitter 0.5 of 500
      await until(() => fake.requests.length === 2, 'the second attempt');
      await time.advance(500); // 0.5 of 1_000; the third attempt hangs at t = 750
      await until(() => fake.requests.length === 3, 'the third attempt');
      expect(time.scheduled).toBe(1); // only the deadline is pending
      await time.advance(249);
      expect(settled).toBe(false); // not cut off a millisecond early
      await time.advance(1);
      const error = await outcome;
      expect(error).toMatchObject({ kind: 'deadline', code: 'E_8X8_NETWORK' });
      expect(fake.requests).toHaveLength(3);
      expect(time.scheduled).toBe(0);
    });

    it('should reject a response larger than maxResponseBytes without retrying', async () => {
      const { client } = make({ maxResponseBytes: 1_024 });
      // The default answer, not a queued one: a late request of an earlier test (a hung GET retried
      // near its deadline) must not take this test's reply. Its own conversation id tells its requests apart.
      fake.setDefault({ status: 200, body: { id: 'c-big', padding: 'x'.repeat(5_000) } });
      const error = await failure(client.getConversation('c-big'));
      expect(error).toBeInstanceOf(ChatGatewayNetworkError);
      expect(error.message).toContain('maxResponseBytes (1024 bytes)');
      expect(fake.requests.filter((r) => r.path.endsWith('/conversations/c-big'))).toHaveLength(1);
    });
  });
});
