import { startEmulator, type Emulator } from '../../src/emulator';
import { describeContract } from '../support/openapi';
import { checked } from './support/contract';
import { startReceiver, type Receiver } from './support/receiver';

describeContract('emulator API: auth, webhooks, channels, JWK, faults', () => {
  let emulator: Emulator;
  let receiver: Receiver;

  beforeAll(async () => {
    receiver = await startReceiver();
    emulator = await startEmulator({ port: 0, webhookUrl: receiver.url, tenantId: 'tenant-a', customerId: 'cust-a', delivery: { baseDelayMs: 5, retries: 1 } });
  });
  afterAll(async () => {
    await emulator.close();
    await receiver.close();
  });

  describe('authentication', () => {
    it('should answer 401 with a referenceId when the x-api-key is missing or wrong', async () => {
      for (const apiKey of [null, 'wrong']) {
        const res = await checked(emulator, 'GET', 'webhooks', { apiKey });
        expect(res.status).toBe(401);
        expect(res.contentType).toMatch(/^application\/problem\+json/);
        expect(res.body).toMatchObject({ message: 'Access Denied', errors: [{ code: 'access_denied' }], referenceId: expect.any(String) });
      }
    });

    it('should answer 403 with string errors when X-8x8-Tenant does not match, and 200 when it does', async () => {
      const bad = await checked(emulator, 'GET', 'channels', { headers: { 'X-8x8-Tenant': 'other' } });
      expect(bad.status).toBe(403);
      expect(bad.body).toEqual({ message: 'The tenant does not belong to customer.', errors: [expect.stringContaining('customerId=cust-a')] });
      expect((await checked(emulator, 'GET', 'channels', { headers: { 'X-8x8-Tenant': 'tenant-a' } })).status).toBe(200);
    });

    it('should use the general 403 shape on channel creation', async () => {
      const res = await checked(emulator, 'POST', 'channels', { headers: { 'X-8x8-Tenant': 'other' }, body: {} });
      expect(res.status).toBe(403);
      expect((res.body as { errors: unknown[] }).errors[0]).toMatchObject({ code: 'forbidden' });
    });
  });

  describe('webhooks', () => {
    it('should list the default webhook in a HAL envelope', async () => {
      const res = await checked(emulator, 'GET', 'webhooks');
      expect(res.status).toBe(200);
      expect(res.contentType).toMatch(/^application\/hal\+json/);
      expect(res.body).toMatchObject({
        _embedded: { webhooks: [{ id: emulator.webhookId, uri: receiver.url, version: 'Chat Gateway v1.0' }] },
        _links: { self: { href: expect.stringContaining('/chat-gateway/v1/webhooks') } },
        page: { size: 20, number: 0, totalElements: 1, totalPages: 1 },
      });
    });

    it('should create with notificationVersion, echo version, and send a signed WEB_HOOK_VERIFY ping', async () => {
      const res = await checked(emulator, 'POST', 'webhooks', { body: { name: 'bot', uri: `${receiver.url}?new=1`, notificationVersion: 'Chat Gateway v1.0' } });
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ id: expect.any(String), name: 'bot', uri: `${receiver.url}?new=1`, version: 'Chat Gateway v1.0' });
      const [ping] = await receiver.waitFor((r) => r.body.eventType === 'WEB_HOOK_VERIFY');
      expect(ping!.rawBody).toBe('{"notificationVersion":"Chat Gateway v1.0","eventType":"WEB_HOOK_VERIFY"}');
      expect(ping!.headers['x-8x8-signature']).toMatch(/^[\w-]+\.\.[\w-]+$/);
    });

    it('should answer 400 when uri is missing or the version is not Chat Gateway v1.0', async () => {
      for (const body of [{ name: 'x' }, { name: 'x', uri: receiver.url, version: 'v2.0' }, { name: 'x'.repeat(257), uri: receiver.url }]) {
        const res = await checked(emulator, 'POST', 'webhooks', { body });
        expect(res.status).toBe(400);
        expect((res.body as { errors: Array<{ code: string }> }).errors[0]!.code).toEqual(expect.any(String));
      }
    });

    it('should get, replace and delete a webhook, then answer 404 for it', async () => {
      const created = (await checked(emulator, 'POST', 'webhooks', { body: { name: 'tmp', uri: receiver.url, version: 'Chat Gateway v1.0' } })).body as { id: string };
      expect((await checked(emulator, 'GET', `webhooks/${created.id}`)).body).toMatchObject({ name: 'tmp' });
      const put = await checked(emulator, 'PUT', `webhooks/${created.id}`, { body: { name: 'renamed', uri: receiver.url } });
      expect(put.body).toMatchObject({ id: created.id, name: 'renamed' });
      expect((await checked(emulator, 'DELETE', `webhooks/${created.id}`)).status).toBe(204);
      const gone = await checked(emulator, 'GET', `webhooks/${created.id}`);
      expect(gone.status).toBe(404);
      expect((gone.body as { errors: unknown[] }).errors[0]).toEqual(expect.any(String));
      expect((await checked(emulator, 'PUT', `webhooks/${created.id}`, { body: { name: 'x', uri: receiver.url } })).status).toBe(404);
      expect((await checked(emulator, 'DELETE', `webhooks/${created.id}`)).status).toBe(404);
    });

    it('should answer verify with 204 when the URI answers 2xx and 400 when it does not', async () => {
      expect((await checked(emulator, 'POST', 'webhooks/verify', { body: { version: 'Chat Gateway v1.0', uri: receiver.url } })).status).toBe(204);
      receiver.respond = ({ body }) => (body.eventType === 'WEB_HOOK_VERIFY' ? 500 : 200);
      try {
        const res = await checked(emulator, 'POST', 'webhooks/verify', { body: { version: 'Chat Gateway v1.0', uri: receiver.url } });
        expect(res.status).toBe(400);
      } finally {
        receiver.respond = () => 200;
      }
    });
  });

  describe('channels', () => {
    it('should create a ChatAPI channel (200), get, replace, list with a filter, and delete it', async () => {
      const body = { name: 'web', type: 'ChatAPI', webHookId: emulator.webhookId, routingOptions: { type: 'queue', id: 'support' } };
      const created = await checked(emulator, 'POST', 'channels', { body });
      expect(created.status).toBe(200);
      const id = (created.body as { id: string }).id;
      expect(created.body).toEqual({ id, ...body });
      expect((await checked(emulator, 'GET', `channels/${id}`)).body).toEqual({ id, ...body });
      expect((await checked(emulator, 'PUT', `channels/${id}`, { body: { ...body, name: 'web2' } })).body).toMatchObject({ name: 'web2' });
      const list = await checked(emulator, 'GET', `channels?filter=${encodeURIComponent('name==web2')}`);
      expect(list.body).toMatchObject({ _embedded: { channels: [{ id }] }, page: { totalElements: 1 } });
      expect((await checked(emulator, 'DELETE', `channels/${id}`)).status).toBe(204);
      expect((await checked(emulator, 'GET', `channels/${id}`)).status).toBe(404);
      expect((await checked(emulator, 'DELETE', `channels/${id}`)).status).toBe(404);
    });

    it('should answer 400 for a non-ChatAPI type, an unknown webhook, an unknown queue or a missing name', async () => {
      const ok = { name: 'c', webHookId: emulator.webhookId, routingOptions: { type: 'queue', id: 'support' } };
      const cases = [{ ...ok, type: 'SMS' }, { ...ok, webHookId: 'nope' }, { ...ok, routingOptions: { type: 'queue', id: '112' } }, { ...ok, name: undefined }];
      for (const body of cases) expect((await checked(emulator, 'POST', 'channels', { body })).status).toBe(400);
      const res = await checked(emulator, 'POST', 'channels', { body: cases[2] });
      expect(res.body).toEqual({ message: 'Queue ID 112 is invalid.', errors: [{ code: 'invalid_queue', message: 'Queue ID 112 is invalid.' }] });
    });

    it('should answer 400 for a bad page size and a malformed filter', async () => {
      expect((await checked(emulator, 'GET', 'channels?size=abc')).status).toBe(400);
      expect((await checked(emulator, 'GET', 'channels?filter=nonsense')).status).toBe(400);
    });
  });

  describe('JWK', () => {
    it('should serve the public key without an api key, and 404 for an unknown kid', async () => {
      const res = await checked(emulator, 'GET', `jwk/${emulator.jwk.kid}/public`, { apiKey: null });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ kty: 'RSA', kid: emulator.jwk.kid, e: 'AQAB', n: expect.any(String) });
      expect(res.body).not.toHaveProperty('d');
      expect((await checked(emulator, 'GET', 'jwk/unknown/public', { apiKey: null })).status).toBe(404);
    });
  });

  describe('faults.apiErrors', () => {
    it('should fail matching requests `times` times with the status shape, then recover', async () => {
      emulator.faults.apiErrors = [{ method: 'GET', path: /\/channels$/, status: 503, times: 2, headers: { 'retry-after': '1' } }];
      const first = await checked(emulator, 'GET', 'channels');
      expect(first.status).toBe(503);
      expect(first.headers.get('retry-after')).toBe('1');
      expect((await checked(emulator, 'GET', 'channels')).status).toBe(503);
      expect((await checked(emulator, 'GET', 'channels')).status).toBe(200);
      expect((await checked(emulator, 'GET', 'webhooks')).status).toBe(200);
    });

    it('should delay every response by apiDelayMs', async () => {
      emulator.faults.apiDelayMs = 150;
      try {
        const started = Date.now();
        expect((await checked(emulator, 'GET', 'webhooks')).status).toBe(200);
        expect(Date.now() - started).toBeGreaterThanOrEqual(140);
      } finally {
        emulator.faults.apiDelayMs = 0;
      }
    });

    it('should act on a request at once but hold its answer by apiResponseDelayMs', async () => {
      emulator.faults.apiResponseDelayMs = 300;
      try {
        const started = Date.now();
        const pending = checked(emulator, 'POST', 'webhooks', { body: { name: 'held', uri: 'https://example.com/held' } });
        // The webhook exists before its 200 arrives.
        await new Promise((resolve) => setTimeout(resolve, 100));
        emulator.faults.apiResponseDelayMs = 0;
        const list = await checked(emulator, 'GET', 'webhooks');
        expect((list.body as { _embedded: { webhooks: Array<{ name: string }> } })._embedded.webhooks.map((w) => w.name)).toContain('held');
        expect((await pending).status).toBe(200);
        expect(Date.now() - started).toBeGreaterThanOrEqual(290);
      } finally {
        emulator.faults.apiResponseDelayMs = 0;
      }
    });
  });
});
