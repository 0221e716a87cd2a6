/**
 * Acceptance (black box): random and malformed deliveries never throw out of handle() and always
 * map to a documented status (issue 2 property tests, RELIABILITY.md S5).
 */
import fc from 'fast-check';
import { silentLogger, WebhookReceiver } from 'botbuilder-8x8-handoff';
import { JwkServer, TestSigner } from './support/signer';

let signer: TestSigner;
let jwks: JwkServer;
beforeAll(async () => {
  signer = await TestSigner.create('kid-fuzz');
  jwks = await JwkServer.start([signer.publicJwk]);
});
afterAll(async () => jwks.close());

const receiver = () => new WebhookReceiver({ baseUrl: jwks.url, logger: silentLogger, onEvent: async () => undefined, onError: () => undefined });

describe('WebhookReceiver#handle() fuzz (acceptance)', () => {
  it('should answer 401 to any unsigned or forged delivery whatever the body and headers', async () => {
    const r = receiver();
    await fc.assert(fc.asyncProperty(
      fc.uint8Array({ maxLength: 300 }),
      fc.dictionary(fc.constantFrom('x-8x8-tenant-id', 'x-8x8-customer-id', 'x-8x8-event-id', 'x-8x8-retry', 'x-8x8-transmission-time', 'x-8x8-signature'), fc.string({ maxLength: 40 })),
      async (body, headers) => {
        // An unsigned WEB_HOOK_VERIFY ping may get 200; random bytes never form one.
        const res = await r.handle({ headers: { ...headers, 'content-type': 'application/json' }, rawBody: body });
        expect(res.status).toBe(401);
      },
    ), { numRuns: 150 });
  });

  it('should map any validly signed body to 200, 400 or 415 and never throw', async () => {
    const r = receiver();
    const bodies = fc.oneof(
      fc.string({ maxLength: 200 }),
      fc.json({ maxDepth: 3 }),
      fc.record({ eventType: fc.constantFrom('MESSAGE', 'QUEUED', 'TRANSFER', 'ACTIVITY', 'MEMBERS_CHANGED', 'CONVERSATION_UPDATE', 'WHATEVER'), conversationId: fc.string({ maxLength: 10 }), timestamp: fc.integer(), data: fc.anything({ maxDepth: 2 }) }).map((o) => JSON.stringify(o)),
    );
    await fc.assert(fc.asyncProperty(bodies, fc.constantFrom('application/json', 'text/plain'), async (body, ct) => {
      const headers = { ...(await signer.headers(body)), 'content-type': ct };
      const res = await r.handle({ headers, rawBody: body });
      if (ct === 'text/plain') expect(res.status).toBe(415);
      else expect([200, 400]).toContain(res.status);
    }), { numRuns: 120 });
  });
});
