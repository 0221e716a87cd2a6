import fc from 'fast-check';
import { silentLogger } from '../../src/logger';
import { StaticJwkSource } from '../../src/webhook/jwk-source';
import { WebhookReceiver } from '../../src/webhook/receiver';
import { WebhookSigner } from '../support/webhook-signer';

const NOW = 1_713_100_000_000;
const ALLOWED = [200, 400, 401, 413, 415, 503];
const EVENT_TYPES = ['CONVERSATION_UPDATE', 'QUEUED', 'MEMBERS_CHANGED', 'TRANSFER', 'MESSAGE', 'ACTIVITY', 'WEB_HOOK_VERIFY', 'AGENT_JOINED', 'AGENT_LEFT', 'TEXT', 'NEW_TYPE'];
const RUN = { numRuns: 300, interruptAfterTimeLimit: 10_000 };

let signer: WebhookSigner;
let receiver: WebhookReceiver;
let dispatched = 0;
const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown): void => void unhandled.push(reason);

beforeAll(async () => {
  process.on('unhandledRejection', onUnhandled);
  signer = await WebhookSigner.start({ clock: () => NOW });
  receiver = new WebhookReceiver({
    keySource: new StaticJwkSource({ [signer.kid]: signer.publicKey }),
    clock: () => NOW,
    logger: silentLogger,
    maxBodyBytes: 4_096,
    onEvent: async () => void dispatched++,
    onError: () => {},
  });
});

afterAll(async () => {
  process.off('unhandledRejection', onUnhandled);
  await signer.close();
});

afterEach(() => expect(unhandled).toEqual([]));

const headerValue = fc.oneof(fc.string(), fc.constantFrom('0', '-1', '1.5', String(NOW), 'application/json', 'text/plain', '..', 'eyJhbGciOiJub25lIn0..'));
const headers = fc.dictionary(
  fc.oneof(fc.constantFrom('x-8x8-tenant-id', 'x-8x8-customer-id', 'x-8x8-event-id', 'x-8x8-retry', 'x-8x8-transmission-time', 'x-8x8-signature', 'content-type', 'content-encoding', 'X-8X8-SIGNATURE'), fc.string()),
  fc.oneof(headerValue, fc.array(headerValue, { maxLength: 3 })),
);
const eventLike = fc.record(
  {
    eventType: fc.oneof(fc.constantFrom(...EVENT_TYPES), fc.string(), fc.integer()),
    conversationId: fc.oneof(fc.string(), fc.constant(null)),
    timestamp: fc.oneof(fc.integer(), fc.string()),
    data: fc.oneof(fc.jsonValue(), fc.record({ memberType: fc.string(), change: fc.constantFrom('joined', 'left', 'x'), text: fc.string(), name: fc.string() }, { requiredKeys: [] })),
    notificationVersion: fc.string(),
  },
  { requiredKeys: [] },
);
const body = fc.oneof(
  fc.uint8Array({ maxLength: 600 }).map((bytes) => Buffer.from(bytes)),
  fc.string({ maxLength: 600 }).map((text) => Buffer.from(text)),
  fc.jsonValue().map((value) => Buffer.from(JSON.stringify(value) ?? 'null')),
  eventLike.map((value) => Buffer.from(JSON.stringify(value))),
  fc.nat({ max: 6_000 }).map((n) => Buffer.from(`{"eventType":"MESSAGE","conversationId":"c","data":{"text":"${'x'.repeat(n)}"}}`)),
);

describe('WebhookReceiver #handle() under fuzzing', () => {
  it('should never throw and only answer allowed statuses for random headers and bodies', async () => {
    await fc.assert(
      fc.asyncProperty(headers, body, async (h, rawBody) => {
        const response = await receiver.handle({ headers: h, rawBody });
        expect(ALLOWED).toContain(response.status);
        expect(typeof response.body.ok).toBe('boolean');
      }),
      RUN,
    );
  });

  it('should map validly signed random bodies to 200, 400, 413 or 415 and dispatch only on processed', async () => {
    await fc.assert(
      fc.asyncProperty(body, fc.constantFrom('application/json', 'application/cloudevents+json; charset=utf-8', 'text/json', null), async (rawBody, contentType) => {
        const before = dispatched;
        const response = await receiver.handle(await signer.sign(rawBody, { contentType }));
        expect([200, 400, 413, 415]).toContain(response.status);
        expect(dispatched - before).toBe(response.body.result === 'processed' ? 1 : 0);
      }),
      RUN,
    );
  });

  it('should answer 401 to random bodies carrying a signature that belongs to another body', async () => {
    const signed = await signer.sign('{"eventType":"TRANSFER","conversationId":"c"}');
    await fc.assert(
      fc.asyncProperty(body, async (rawBody) => {
        fc.pre(!rawBody.equals(signed.rawBody));
        const before = dispatched;
        const response = await receiver.handle({ headers: signed.headers, rawBody });
        expect([401, 413]).toContain(response.status);
        expect(dispatched).toBe(before);
      }),
      RUN,
    );
  });
});
