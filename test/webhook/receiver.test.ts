import { ConfigurationError } from '../../src/errors';
import { silentLogger } from '../../src/logger';
import type { ConversationEvent } from '../../src/webhook/events';
import type { WebhookMeta } from '../../src/webhook/headers';
import { MemoryDedupeStore } from '../../src/webhook/dedupe';
import { WebhookReceiver } from '../../src/webhook/receiver';
import type { WebhookReceiverOptions } from '../../src/webhook/receiver-options';
import { WebhookSigner, type SignedDelivery } from '../support/webhook-signer';
import { until } from '../support/fake-time';
import { RecordingDedupeStore, RecordingLogger } from './recording';

const NOW = 1_713_100_000_000;
const MESSAGE = {
  eventType: 'MESSAGE',
  conversationId: 'c-1',
  timestamp: NOW,
  data: { isEcho: false, sender: { id: 'agent-1', type: 'agent' }, text: 'the secret message text' },
};

let signer: WebhookSigner;

beforeAll(async () => {
  signer = await WebhookSigner.start({ clock: () => NOW });
});

afterAll(() => signer.close());

function setup(options: Partial<WebhookReceiverOptions> = {}) {
  const events: Array<{ event: ConversationEvent; meta: WebhookMeta }> = [];
  const unknown: Array<{ eventType: string; body: Record<string, unknown> }> = [];
  const errors: unknown[] = [];
  const store = new RecordingDedupeStore();
  const logger = new RecordingLogger();
  const receiver = new WebhookReceiver({
    baseUrl: signer.baseUrl,
    clock: () => NOW,
    dedupe: store,
    logger,
    onEvent: async (event, meta) => void events.push({ event, meta }),
    onUnknownEvent: (eventType, body) => void unknown.push({ eventType, body }),
    onError: (error) => void errors.push(error),
    ...options,
  });
  return { receiver, events, unknown, errors, store, logger };
}

const unsigned = (body: string, headers: Record<string, string> = { 'content-type': 'application/json' }): SignedDelivery => ({
  headers,
  rawBody: Buffer.from(body),
});

function withoutSignature(delivery: SignedDelivery): SignedDelivery {
  const headers = { ...delivery.headers };
  delete headers['x-8x8-signature'];
  return { headers, rawBody: delivery.rawBody };
}

describe('WebhookReceiver', () => {
  describe('#handle()', () => {
    describe('200', () => {
      it('should dispatch a verified event once with its meta and answer processed', async () => {
        const { receiver, events } = setup();
        const response = await receiver.handle(await signer.sign(MESSAGE, { eventId: 'e-1', retry: 1 }));
        expect(response).toEqual({ status: 200, body: { ok: true, result: 'processed' } });
        expect(events).toEqual([
          { event: MESSAGE, meta: { tenantId: 'vccC8ProdChecksUS', customerId: 'vccC8ProdChecksUS', eventId: 'e-1', retry: 1, transmissionTime: NOW } },
        ]);
      });

      it('should answer duplicate without dispatching an event id seen before', async () => {
        const { receiver, events } = setup();
        await receiver.handle(await signer.sign(MESSAGE, { eventId: 'e-dup' }));
        const again = await receiver.handle(await signer.sign(MESSAGE, { eventId: 'e-dup', retry: 1 }));
        expect(again).toEqual({ status: 200, body: { ok: true, result: 'duplicate' } });
        expect(events).toHaveLength(1);
      });

      it('should treat the same event id of two tenants as two events', async () => {
        const { receiver, events } = setup();
        await receiver.handle(await signer.sign(MESSAGE, { eventId: 'e-same', tenantId: 't1' }));
        await receiver.handle(await signer.sign(MESSAGE, { eventId: 'e-same', tenantId: 't2' }));
        expect(events.map((e) => e.meta.tenantId)).toEqual(['t1', 't2']);
      });

      it('should report an unknown event type through onUnknownEvent and answer 200', async () => {
        const { receiver, events, unknown } = setup();
        const body = { eventType: 'SOMETHING_NEW', conversationId: 'c-1', data: { x: 1 } };
        const response = await receiver.handle(await signer.sign(body));
        expect(response).toEqual({ status: 200, body: { ok: true, result: 'unknown_event' } });
        expect(unknown).toEqual([{ eventType: 'SOMETHING_NEW', body }]);
        expect(events).toEqual([]);
      });

      it('should still answer 200 when onUnknownEvent throws, and report the error', async () => {
        const { receiver, errors } = setup({ onUnknownEvent: () => Promise.reject(new Error('hook broke')) });
        const response = await receiver.handle(await signer.sign({ eventType: 'NEW_THING' }));
        expect(response.status).toBe(200);
        expect(errors).toEqual([new Error('hook broke')]);
      });

      it('should answer a signed WEB_HOOK_VERIFY with 200 without dispatching or touching the store', async () => {
        const { receiver, events, store } = setup();
        const response = await receiver.handle(await signer.sign({ notificationVersion: 'Chat Gateway v1.0', eventType: 'WEB_HOOK_VERIFY' }));
        expect(response).toEqual({ status: 200, body: { ok: true, result: 'verified' } });
        expect(events).toEqual([]);
        expect(store.calls).toEqual([]);
      });

      it('should answer an UNSIGNED request that is exactly a WEB_HOOK_VERIFY ping with 200 and no side effect', async () => {
        const { receiver, events, store } = setup();
        const before = signer.fetches.length;
        const response = await receiver.handle(unsigned('{"notificationVersion":"Chat Gateway v1.0","eventType":"WEB_HOOK_VERIFY"}'));
        expect(response).toEqual({ status: 200, body: { ok: true, result: 'verified' } });
        expect(events).toEqual([]);
        expect(store.calls).toEqual([]);
        expect(signer.fetches.length).toBe(before);
      });

      it.each(['application/json', 'application/json; charset=utf-8', 'Application/JSON;charset=UTF-8', 'application/vnd.8x8+json'])(
        'should accept content type %p',
        async (contentType) => {
          const { receiver } = setup();
          expect((await receiver.handle(await signer.sign(MESSAGE, { contentType }))).status).toBe(200);
        },
      );

      it('should accept a delivery without a content type', async () => {
        const { receiver } = setup();
        expect((await receiver.handle(await signer.sign(MESSAGE, { contentType: null }))).status).toBe(200);
      });
    });

    describe('401', () => {
      it.each([
        ['a ping with an extra field', '{"eventType":"WEB_HOOK_VERIFY","conversationId":"c-1"}'],
        ['a ping padded past 256 bytes', `{"eventType":"WEB_HOOK_VERIFY"${' '.repeat(300)}}`],
        ['a conversation event', JSON.stringify(MESSAGE)],
        ['malformed JSON', '{"eventType":'],
      ])('should refuse an unsigned request carrying %s', async (_name, body) => {
        const { receiver, events, store } = setup();
        const response = await receiver.handle(unsigned(body));
        expect(response).toEqual({ status: 401, body: { ok: false, error: 'missing_header' } });
        expect(events).toEqual([]);
        expect(store.calls).toEqual([]);
      });

      it('should refuse a bad signature before parsing the body or touching the store', async () => {
        const { receiver, events, store } = setup();
        const delivery = await signer.sign('{"this is": not json');
        const tampered = { headers: { ...delivery.headers, 'x-8x8-event-id': 'forged' }, rawBody: delivery.rawBody };
        const response = await receiver.handle(tampered);
        expect(response).toEqual({ status: 401, body: { ok: false, error: 'bad_signature' } });
        expect(events).toEqual([]);
        expect(store.calls).toEqual([]);
      });

      it('should refuse a stale delivery', async () => {
        const { receiver } = setup();
        const response = await receiver.handle(await signer.sign(MESSAGE, { transmissionTime: NOW - 301_000 }));
        expect(response).toEqual({ status: 401, body: { ok: false, error: 'stale' } });
      });

      it('should refuse a signed WEB_HOOK_VERIFY whose signature does not match', async () => {
        const { receiver } = setup();
        const delivery = await signer.sign('{"eventType":"WEB_HOOK_VERIFY"}');
        const response = await receiver.handle({ headers: { ...delivery.headers, 'x-8x8-retry': '3' }, rawBody: delivery.rawBody });
        expect(response.status).toBe(401);
      });
    });

    describe('400', () => {
      it.each([
        ['malformed JSON', '{"eventType":"MESSAGE",', 'malformed_json'],
        ['invalid UTF-8', Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x7d]), 'malformed_json'],
        ['a JSON array', '[1,2]', 'invalid_event'],
        ['no eventType', '{"conversationId":"c-1"}', 'invalid_event'],
        ['a MEMBERS_CHANGED whose acted-on memberType is not a string', '{"eventType":"MEMBERS_CHANGED","conversationId":"c-1","data":{"memberType":7,"change":"left"}}', 'invalid_event'],
        ['a MESSAGE without conversationId', '{"eventType":"MESSAGE","data":{}}', 'invalid_event'],
      ])('should answer 400 to a validly signed body that is %s', async (_name, body, error) => {
        const { receiver, events, store } = setup();
        const response = await receiver.handle(await signer.sign(body));
        expect(response).toEqual({ status: 400, body: { ok: false, error } });
        expect(events).toEqual([]);
        expect(store.calls).toEqual([]);
      });
    });

    describe('413 and 415', () => {
      it('should answer 413 above maxBodyBytes', async () => {
        const { receiver } = setup({ maxBodyBytes: 1_000 });
        const big = { ...MESSAGE, data: { ...MESSAGE.data, text: 'x'.repeat(1_000) } };
        expect(await receiver.handle(await signer.sign(big))).toEqual({ status: 413, body: { ok: false, error: 'payload_too_large' } });
        expect((await receiver.handle(await signer.sign(MESSAGE))).status).toBe(200);
      });

      it.each([
        [{ contentType: 'text/plain' }],
        [{ contentType: 'application/x-www-form-urlencoded' }],
        [{ contentType: 'application/jsonp' }],
      ])('should answer 415 to %p', async (options) => {
        const { receiver, events } = setup();
        expect(await receiver.handle(await signer.sign(MESSAGE, options))).toEqual({ status: 415, body: { ok: false, error: 'unsupported_media_type' } });
        expect(events).toEqual([]);
      });

      it('should answer 415 to a compressed body', async () => {
        const { receiver } = setup();
        const delivery = await signer.sign(MESSAGE);
        const response = await receiver.handle({ headers: { ...delivery.headers, 'content-encoding': 'gzip' }, rawBody: delivery.rawBody });
        expect(response.status).toBe(415);
      });
    });

    describe('503', () => {
      it('should answer 503 when onEvent fails, release the claim, and process the retry', async () => {
        let fail = true;
        const dispatched: string[] = [];
        const { receiver, errors } = setup({
          onEvent: async (_event, meta) => {
            if (fail) throw new Error('storage down');
            dispatched.push(`${meta.eventId}#${meta.retry}`);
          },
        });
        const first = await receiver.handle(await signer.sign(MESSAGE, { eventId: 'e-fail', retry: 0 }));
        expect(first).toEqual({ status: 503, body: { ok: false, error: 'event_handler_failed' } });
        expect(errors).toEqual([new Error('storage down')]);
        fail = false;
        const retry = await receiver.handle(await signer.sign(MESSAGE, { eventId: 'e-fail', retry: 1 }));
        expect(retry).toEqual({ status: 200, body: { ok: true, result: 'processed' } });
        expect(dispatched).toEqual(['e-fail#1']);
      });

      it('should answer 503 when the dedupe store fails, without dispatching', async () => {
        const { receiver, store, events, errors } = setup();
        store.failWith = new Error('redis down');
        expect(await receiver.handle(await signer.sign(MESSAGE))).toEqual({ status: 503, body: { ok: false, error: 'dedupe_unavailable' } });
        expect(events).toEqual([]);
        expect(errors).toEqual([new Error('redis down')]);
      });

      it('should answer 503 when the key endpoint is down, so 8x8 retries', async () => {
        const { receiver } = setup();
        signer.failWithStatus = 500;
        try {
          expect(await receiver.handle(await signer.sign(MESSAGE))).toEqual({ status: 503, body: { ok: false, error: 'key_unavailable' } });
        } finally {
          signer.failWithStatus = undefined;
        }
      });

      it('should answer 503 while another instance holds the claim, then duplicate once it completed', async () => {
        const shared = new RecordingDedupeStore();
        let finish: (() => void) | undefined;
        const a = setup({ dedupe: shared, onEvent: () => new Promise<void>((resolve) => (finish = resolve)) });
        const b = setup({ dedupe: shared });
        const first = a.receiver.handle(await signer.sign(MESSAGE, { eventId: 'e-x' }));
        await until(() => finish !== undefined, 'instance A to claim the event and run onEvent');
        expect(await b.receiver.handle(await signer.sign(MESSAGE, { eventId: 'e-x', retry: 1 }))).toEqual({
          status: 503,
          body: { ok: false, error: 'in_progress' },
        });
        finish!();
        expect((await first).status).toBe(200);
        expect((await b.receiver.handle(await signer.sign(MESSAGE, { eventId: 'e-x', retry: 2 }))).body.result).toBe('duplicate');
        expect(b.events).toEqual([]);
      });
      it('should let the claim of an instance that died mid-event lapse within 10 s by default, so a retry of 8x8 records it', async () => {
        let storeNow = NOW;
        const shared = new MemoryDedupeStore({ ttlMs: 86_400_000, clock: () => storeNow });
        // A claims the event and never finishes (its process was killed between the claim and the record).
        const a = setup({ dedupe: shared, onEvent: () => new Promise<void>(() => undefined) });
        const b = setup({ dedupe: shared });
        void a.receiver.handle(await signer.sign(MESSAGE, { eventId: 'e-dead' }));
        await until(() => shared.size > 0, 'instance A to claim the event');
        storeNow += 9_000;
        expect((await b.receiver.handle(await signer.sign(MESSAGE, { eventId: 'e-dead', retry: 1 }))).body).toEqual({ ok: false, error: 'in_progress' });
        storeNow += 1_001;
        expect((await b.receiver.handle(await signer.sign(MESSAGE, { eventId: 'e-dead', retry: 2 }))).body.result).toBe('processed');
        expect(b.events.map((e) => e.meta.eventId)).toEqual(['e-dead']);
      });
    });

    describe('500', () => {
      it('should answer 500 only for a bug, and report it', async () => {
        const { receiver, errors } = setup();
        const headers = new Proxy({}, { get: () => { throw new Error('bug in a framework'); }, ownKeys: () => { throw new Error('bug'); } });
        expect(await receiver.handle({ headers, rawBody: Buffer.from('{}') })).toEqual({ status: 500, body: { ok: false, error: 'internal_error' } });
        expect(errors).toHaveLength(1);
      });
    });
  });

  describe('logging', () => {
    it('should never log the signature or message text at info level or above', async () => {
      const { receiver, logger } = setup({ onEvent: () => Promise.reject(new Error('down')) , onError: undefined });
      const good = await signer.sign(MESSAGE);
      const signature = good.headers['x-8x8-signature']!;
      await receiver.handle(good);
      await receiver.handle({ headers: { ...good.headers, 'x-8x8-retry': '7' }, rawBody: good.rawBody });
      await receiver.handle(await signer.sign({ eventType: 'NEW', data: { text: 'the secret message text' } }));
      await receiver.handle(await signer.sign({ eventType: 'MESSAGE', data: { text: 'the secret message text' } }));
      const logged = logger.infoAndAbove();
      expect(logged).toContain('signature check failed');
      expect(logged).not.toContain(signature.split('..')[1]!);
      expect(logged).not.toContain('secret message text');
    });
  });

  describe('insecureSkipSignatureVerification', () => {
    it('should warn at construction and accept unsigned deliveries that carry the 8x8 headers', async () => {
      const { receiver, logger, events } = setup({ insecureSkipSignatureVerification: true });
      expect(logger.lines.filter((l) => l.level === 'warn').map((l) => l.msg)).toEqual([expect.stringContaining('NOT verified')]);
      expect((await receiver.handle(withoutSignature(await signer.sign(MESSAGE)))).status).toBe(200);
      expect(events).toHaveLength(1);
      expect(await receiver.handle(unsigned(JSON.stringify(MESSAGE)))).toEqual({ status: 401, body: { ok: false, error: 'missing_header' } });
    });
  });

  describe('constructor', () => {
    it.each([
      [{ onEvent: undefined }, 'onEvent'],
      [{ maxBodyBytes: 0 }, 'maxBodyBytes'],
      [{ toleranceMs: -5 }, 'toleranceMs'],
      [{ dedupeTtlMs: Number.NaN }, 'dedupeTtlMs'],
      [{ baseUrl: 'not a url' }, 'baseUrl'],
      [{ onUnknownEvent: 'yes' }, 'onUnknownEvent'],
    ])('should reject %p with a ConfigurationError naming the option', (options, option) => {
      const build = () => new WebhookReceiver({ onEvent: async () => {}, logger: silentLogger, ...(options as object) } as WebhookReceiverOptions);
      expect(build).toThrow(ConfigurationError);
      expect(build).toThrow(`\`${option}\``);
    });
  });
});
