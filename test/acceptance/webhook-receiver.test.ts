/**
 * Acceptance (black box): WebhookReceiver against REFERENCE.md sections 4-5, issue 2 and
 * RELIABILITY.md S1-S5, D1, D6, with deliveries signed by this suite's own signer.
 */
import { WebhookReceiver, parseGatewayEvent, silentLogger, webhookChecksum, type WebhookReceiverOptions } from 'botbuilder-8x8-handoff';
import { crc32Unsigned, JwkServer, payloadJson, TestSigner } from './support/signer';

const WORKED_EXAMPLE = '{"eventType":"AGENT_JOINED","messageType":"SYSTEM","conversationId":"Aka5NMHU8MtIG7lUQOxI0DTOvM4","agentId":"cmalutan","agentName":"Cosmin,Malutan","timestamp":1629804577002}';

const event = (extra: Record<string, unknown> = {}) => JSON.stringify({
  eventType: 'MESSAGE', conversationId: 'conv-1', timestamp: 1713100000000,
  data: { isEcho: false, sender: { id: 'agent-1', type: 'agent' }, text: 'Hello', attachments: [], cards: [] }, ...extra,
});

let signer: TestSigner;
let otherSigner: TestSigner;
let jwks: JwkServer;

beforeAll(async () => {
  signer = await TestSigner.create('kid-main');
  otherSigner = await TestSigner.create('kid-not-served');
  jwks = await JwkServer.start([signer.publicJwk]);
});
afterAll(async () => {
  await jwks.close();
});

function receiver(extra: Partial<WebhookReceiverOptions> = {}) {
  const dispatched: Array<{ event: { eventType: string; conversationId?: string }; meta: unknown }> = [];
  const unknown: string[] = [];
  const r = new WebhookReceiver({
    baseUrl: jwks.url,
    logger: silentLogger,
    onEvent: async (e, meta) => void dispatched.push({ event: e as never, meta }),
    onUnknownEvent: (type) => void unknown.push(type),
    ...extra,
  });
  return { r, dispatched, unknown };
}

describe('WebhookReceiver (acceptance)', () => {
  describe('checksum', () => {
    it('should give 1564621066 for the worked example of REFERENCE.md section 5', () => {
      expect(crc32Unsigned(WORKED_EXAMPLE)).toBe(1564621066);
      expect(webhookChecksum(WORKED_EXAMPLE)).toBe(1564621066);
      expect(webhookChecksum(Buffer.from(WORKED_EXAMPLE))).toBe(1564621066);
    });
  });

  describe('#handle() with a valid signature', () => {
    it('should answer 200 and dispatch the event once when the delivery is signed as 8x8 does', async () => {
      const { r, dispatched } = receiver();
      const body = event();
      const res = await r.handle({ headers: await signer.headers(body), rawBody: body });
      expect(res.status).toBe(200);
      expect(dispatched).toHaveLength(1);
      expect(dispatched[0].event.eventType).toBe('MESSAGE');
      expect(dispatched[0].event.conversationId).toBe('conv-1');
    });

    it('should accept the body as a Buffer and headers in any case', async () => {
      const { r, dispatched } = receiver();
      const body = Buffer.from(event());
      const headers = Object.fromEntries(Object.entries(await signer.headers(body)).map(([k, v]) => [k.toUpperCase(), v]));
      const res = await r.handle({ headers, rawBody: body });
      expect(res.status).toBe(200);
      expect(dispatched).toHaveLength(1);
    });

    it('should verify pretty-printed, \\u-escaped and reordered bodies exactly as sent', async () => {
      const { r, dispatched } = receiver();
      const bodies = [
        JSON.stringify(JSON.parse(event()), null, 2),
        event().replace('Hello', '\\u0048ello \\u00e9'),
        '{"timestamp":1713100000000,"data":{"text":"x","sender":{"type":"agent","id":"a"},"isEcho":false},"conversationId":"c","eventType":"MESSAGE"}',
      ];
      for (const body of bodies) {
        const res = await r.handle({ headers: await signer.headers(body), rawBody: body });
        expect(res.status).toBe(200);
      }
      expect(dispatched).toHaveLength(3);
    });

    it('should verify a body whose CRC32 is at or above 2^31', async () => {
      let body = '';
      for (let i = 0; ; i += 1) {
        body = event({ pad: i });
        if (crc32Unsigned(body) >= 2 ** 31) break;
      }
      expect(payloadJson(body, { tenantId: 't', customerId: 'c', eventId: 'e', retry: 0, transmissionTime: 1 })).not.toContain('"checksum":-');
      const { r } = receiver();
      const res = await r.handle({ headers: await signer.headers(body), rawBody: body });
      expect(res.status).toBe(200);
    });

    it('should verify the worked example body (legacy AGENT_JOINED) and dispatch it', async () => {
      const { r, dispatched } = receiver();
      const res = await r.handle({ headers: await signer.headers(WORKED_EXAMPLE), rawBody: WORKED_EXAMPLE });
      expect(res.status).toBe(200);
      expect(dispatched.map((d) => d.event.eventType)).toEqual(['AGENT_JOINED']);
    });
  });

  describe('#handle() with a bad signature', () => {
    const tamperHeader = (name: string, value: string) => async (h: Record<string, string>) => ({ ...h, [name]: value });
    const cases: Array<[string, (h: Record<string, string>, body: string) => Promise<Record<string, string>> | Record<string, string>]> = [
      ['x-8x8-tenant-id changed', tamperHeader('x-8x8-tenant-id', 'tenant-b')],
      ['x-8x8-customer-id changed', tamperHeader('x-8x8-customer-id', 'customer-b')],
      ['x-8x8-event-id changed', tamperHeader('x-8x8-event-id', 'other-event')],
      ['x-8x8-retry changed', tamperHeader('x-8x8-retry', '1')],
      ['x-8x8-transmission-time changed', async (h) => ({ ...h, 'x-8x8-transmission-time': String(Number(h['x-8x8-transmission-time']) + 1) })],
      ['signature missing', (h) => { const c = { ...h }; delete c['x-8x8-signature']; return c; }],
      ['signature truncated', (h) => ({ ...h, 'x-8x8-signature': h['x-8x8-signature'].slice(0, -10) })],
      ['signature garbage', (h) => ({ ...h, 'x-8x8-signature': 'abc..def' })],
      ['signature attached (payload not empty)', (h, body) => {
        const [p, , s] = h['x-8x8-signature'].split('.');
        return { ...h, 'x-8x8-signature': `${p}.${Buffer.from(body).toString('base64url')}.${s}` };
      }],
      ['alg none', (h) => {
        const header = Buffer.from(JSON.stringify({ alg: 'none', kid: 'kid-main', b64: false, crit: ['b64'] })).toString('base64url');
        return { ...h, 'x-8x8-signature': `${header}..` };
      }],
      ['alg HS256', (h) => {
        const header = Buffer.from(JSON.stringify({ alg: 'HS256', kid: 'kid-main', b64: false, crit: ['b64'] })).toString('base64url');
        return { ...h, 'x-8x8-signature': `${header}..${h['x-8x8-signature'].split('.')[2]}` };
      }],
    ];

    it.each(cases)('should answer 401 and dispatch nothing when %s', async (_name, tamper) => {
      const { r, dispatched } = receiver();
      const body = event();
      const headers = await tamper(await signer.headers(body), body);
      const res = await r.handle({ headers, rawBody: body });
      expect(res.status).toBe(401);
      expect(dispatched).toHaveLength(0);
    });

    it('should answer 401 when one byte of the body changed', async () => {
      const { r, dispatched } = receiver();
      const body = event();
      const headers = await signer.headers(body);
      const res = await r.handle({ headers, rawBody: body.replace('Hello', 'Hellp') });
      expect(res.status).toBe(401);
      expect(dispatched).toHaveLength(0);
    });

    it('should answer 401 when the checksum was computed over a re-serialised body', async () => {
      const { r } = receiver();
      const body = JSON.stringify(JSON.parse(event()), null, 1);
      const headers = await signer.headers(JSON.stringify(JSON.parse(body)), { eventId: 'e-reser' });
      const res = await r.handle({ headers, rawBody: body });
      expect(res.status).toBe(401);
    });

    it('should answer 401 when the kid is not served by the key endpoint', async () => {
      const { r } = receiver();
      const body = event();
      const res = await r.handle({ headers: await otherSigner.headers(body), rawBody: body });
      expect(res.status).toBe(401);
    });

    it('should answer 401 when crit does not name b64', async () => {
      const { r } = receiver();
      const body = event();
      const f = { tenantId: 't', customerId: 'c', eventId: 'e-crit', retry: 0, transmissionTime: Date.now() };
      const headers = await signer.headers(body, f);
      // A b64:true JWS (payload base64url-encoded) over the same payload is a different scheme.
      const { CompactSign } = await import('jose');
      const compact = await new CompactSign(new TextEncoder().encode(payloadJson(body, f)))
        .setProtectedHeader({ alg: 'RS256', kid: 'kid-main' }).sign(signer.privateKey);
      const [p, , s] = compact.split('.');
      const res = await r.handle({ headers: { ...headers, 'x-8x8-signature': `${p}..${s}` }, rawBody: body });
      expect(res.status).toBe(401);
    });

    it('should answer 401 when the transmission time is older than the freshness window', async () => {
      const { r, dispatched } = receiver();
      const body = event();
      const res = await r.handle({ headers: await signer.headers(body, { transmissionTime: Date.now() - 10 * 60_000 }), rawBody: body });
      expect(res.status).toBe(401);
      expect(dispatched).toHaveLength(0);
    });

    it('should accept an old transmission time when the window is widened by toleranceMs', async () => {
      const { r } = receiver({ toleranceMs: 60 * 60_000 });
      const body = event();
      const res = await r.handle({ headers: await signer.headers(body, { transmissionTime: Date.now() - 10 * 60_000 }), rawBody: body });
      expect(res.status).toBe(200);
    });

    it('should check the signature before parsing JSON (401, not 400, for an unsigned malformed body)', async () => {
      const { r } = receiver();
      const body = '{not json';
      const headers = await signer.headers(body);
      const res = await r.handle({ headers: { ...headers, 'x-8x8-signature': 'bad..sig' }, rawBody: body });
      expect(res.status).toBe(401);
    });
  });

  describe('#handle() input checks', () => {
    it('should answer 400 for malformed JSON with a valid signature', async () => {
      const { r, dispatched } = receiver();
      const body = '{"eventType":"MESSAGE",';
      const res = await r.handle({ headers: await signer.headers(body), rawBody: body });
      expect(res.status).toBe(400);
      expect(dispatched).toHaveLength(0);
    });

    it.each(['{}', '[1,2]', '"MESSAGE"', '{"conversationId":"c"}'])('should answer 400 for a signed body with no event envelope: %s', async (body) => {
      const { r } = receiver();
      const res = await r.handle({ headers: await signer.headers(body), rawBody: body });
      expect(res.status).toBe(400);
    });

    it.each(['text/plain', 'application/x-www-form-urlencoded', 'text/html; charset=utf-8'])('should answer 415 for content type %s', async (ct) => {
      const { r } = receiver();
      const body = event();
      const res = await r.handle({ headers: { ...(await signer.headers(body)), 'content-type': ct }, rawBody: body });
      expect(res.status).toBe(415);
    });

    it('should accept application/json with a charset parameter', async () => {
      const { r } = receiver();
      const body = event();
      const res = await r.handle({ headers: { ...(await signer.headers(body)), 'content-type': 'application/json; charset=utf-8' }, rawBody: body });
      expect(res.status).toBe(200);
    });

    it('should answer 413 for a signed body over 1 MiB', async () => {
      const { r, dispatched } = receiver();
      const body = event({ pad: 'x'.repeat(1024 * 1024) });
      const res = await r.handle({ headers: await signer.headers(body), rawBody: body });
      expect(res.status).toBe(413);
      expect(dispatched).toHaveLength(0);
    });

    it('should answer 200 for a body just under 1 MiB', async () => {
      const { r } = receiver();
      const base = event({ pad: '' });
      const body = event({ pad: 'x'.repeat(1024 * 1024 - Buffer.byteLength(base) - 10) });
      expect(Buffer.byteLength(body)).toBeLessThan(1024 * 1024);
      const res = await r.handle({ headers: await signer.headers(body), rawBody: body });
      expect(res.status).toBe(200);
    });
  });

  describe('#handle() event types', () => {
    it('should answer 200 and report an unknown eventType through onUnknownEvent without dispatching it', async () => {
      const { r, dispatched, unknown } = receiver();
      const body = JSON.stringify({ eventType: 'SOMETHING_NEW', conversationId: 'c', timestamp: 1, data: {} });
      const res = await r.handle({ headers: await signer.headers(body), rawBody: body });
      expect(res.status).toBe(200);
      expect(unknown).toEqual(['SOMETHING_NEW']);
      expect(dispatched).toHaveLength(0);
    });

    it('should answer 200 to a signed WEB_HOOK_VERIFY (no conversationId)', async () => {
      const { r } = receiver();
      const body = '{"notificationVersion":"Chat Gateway v1.0","eventType":"WEB_HOOK_VERIFY"}';
      const res = await r.handle({ headers: await signer.headers(body), rawBody: body });
      expect(res.status).toBe(200);
    });

    const v1 = {
      CONVERSATION_UPDATE: { eventType: 'CONVERSATION_UPDATE', conversationId: 'ID-0', timestamp: 1713100000000, data: { state: 'active', assignment: { type: 'agent', id: 'agent-abc-123', resourceId: 'resource-123' }, user: { name: 'John Doe', email: 'john@example.com', language: 'en', additionalProperties: [{ key: 'department', value: 'support' }] }, msisdn: '+1234567890', channel: 'WhatsApp' } },
      QUEUED: { eventType: 'QUEUED', conversationId: 'ID-0', timestamp: 1713100000000, data: { queueId: 'queue-abc-123', queueName: 'Customer Support' } },
      MEMBERS_CHANGED: { eventType: 'MEMBERS_CHANGED', conversationId: 'ID-0', timestamp: 1713100000000, data: { memberType: 'agent', change: 'joined', id: 'agent-abc-123' } },
      TRANSFER: { eventType: 'TRANSFER', conversationId: 'ID-0', timestamp: 1713100000000 },
      MESSAGE: { eventType: 'MESSAGE', conversationId: 'ID-0', timestamp: 1713100000000, data: { isEcho: false, sender: { id: 'agent-abc-123', type: 'agent' }, text: 'Hello, how can I help you?', attachments: [{ id: 'att-001', type: 'image', preSignedUrl: 'https://storage.example.com/x', fileName: 'screenshot.png' }], cards: [{ contentType: 'application/vnd.microsoft.card.adaptive', content: {} }] } },
      ACTIVITY_typing: { eventType: 'ACTIVITY', conversationId: 'ID-0', timestamp: 1713100000000, data: { name: 'typing', value: { users: [{ type: 'agent', id: 'agent-abc-123' }] } } },
      ACTIVITY_card: { eventType: 'ACTIVITY', conversationId: 'ID-0', timestamp: 1713100000000, data: { name: 'adaptiveCard/action', value: { type: 'Action.Submit', data: { a: 1 } } } },
      ACTIVITY_quickReply: { eventType: 'ACTIVITY', conversationId: 'ID-0', timestamp: 1713100000000, data: { name: 'quickReply/action', value: { type: 'postback', data: { title: 'Yes', payload: '1' } } } },
      ACTIVITY_readReceipts: { eventType: 'ACTIVITY', conversationId: 'ID-0', timestamp: 1713100000000, data: { name: 'read-receipts', value: [{ timestamp: 1, users: [{ id: 'u', type: 'user' }] }] } },
      ACTIVITY_interactive: { eventType: 'ACTIVITY', conversationId: 'ID-0', timestamp: 1713100000000, data: { name: 'interactive/reply', value: { type: 'button_reply', button_reply: { id: 'btn-1', title: 'Yes' } } } },
      LEGACY_AGENT_JOINED: JSON.parse(WORKED_EXAMPLE),
      LEGACY_AGENT_LEFT: { eventType: 'AGENT_LEFT', messageType: 'SYSTEM', conversationId: 'c1', agentId: 'a1', agentName: 'Ann', timestamp: 1 },
      LEGACY_TEXT: { eventType: 'TEXT', messageType: 'AGENT', conversationId: 'c1', agentId: 'a1', agentName: 'Ann', message: 'hi there', timestamp: 1 },
      LEGACY_QUEUED: { eventType: 'QUEUED', messageType: 'SYSTEM', conversationId: 'c1', queueId: 'q1', queueName: 'Support', timestamp: 1 },
    };

    it.each(Object.entries(v1))('should parse and dispatch the documented %s example', async (_name, body) => {
      const parsed = parseGatewayEvent(body);
      expect(parsed.kind).toBe('event');
      const { r, dispatched, unknown } = receiver();
      const raw = JSON.stringify(body);
      const res = await r.handle({ headers: await signer.headers(raw), rawBody: raw });
      expect(res.status).toBe(200);
      expect(unknown).toEqual([]);
      expect(dispatched.map((d) => d.event.eventType)).toEqual([body.eventType]);
    });
  });

  describe('#handle() de-duplication and retries', () => {
    it('should dispatch once when the same event id is delivered 5 times with retry 0..4', async () => {
      const { r, dispatched } = receiver();
      const body = event();
      const statuses: number[] = [];
      for (let retry = 0; retry < 5; retry += 1) {
        const res = await r.handle({ headers: await signer.headers(body, { eventId: 'dup-1', retry, transmissionTime: Date.now() + retry }), rawBody: body });
        statuses.push(res.status);
      }
      expect(statuses).toEqual([200, 200, 200, 200, 200]);
      expect(dispatched).toHaveLength(1);
    });

    it('should dispatch once when two identical deliveries race', async () => {
      const { r, dispatched } = receiver();
      const body = event();
      const headers = await signer.headers(body, { eventId: 'race-1' });
      const results = await Promise.all([r.handle({ headers, rawBody: body }), r.handle({ headers, rawBody: body })]);
      expect(results.map((x) => x.status).every((s) => s === 200 || s === 503)).toBe(true);
      expect(dispatched).toHaveLength(1);
    });

    it('should treat the same event id from two tenants as two events', async () => {
      const { r, dispatched } = receiver();
      const body = event();
      await r.handle({ headers: await signer.headers(body, { eventId: 'same', tenantId: 't1' }), rawBody: body });
      await r.handle({ headers: await signer.headers(body, { eventId: 'same', tenantId: 't2' }), rawBody: body });
      expect(dispatched).toHaveLength(2);
    });

    it('should answer 503 when dispatch fails, then process the retry', async () => {
      let calls = 0;
      const { r } = receiver({
        onError: () => undefined,
        onEvent: async () => {
          calls += 1;
          if (calls === 1) throw new Error('storage down');
        },
      });
      const body = event();
      const first = await r.handle({ headers: await signer.headers(body, { eventId: 'fail-1', retry: 0 }), rawBody: body });
      expect(first.status).toBe(503);
      const second = await r.handle({ headers: await signer.headers(body, { eventId: 'fail-1', retry: 1 }), rawBody: body });
      expect(second.status).toBe(200);
      expect(calls).toBe(2);
      const third = await r.handle({ headers: await signer.headers(body, { eventId: 'fail-1', retry: 2 }), rawBody: body });
      expect(third.status).toBe(200);
      expect(calls).toBe(2);
    });

    it('should not record the event id of a delivery that failed verification', async () => {
      const { r, dispatched } = receiver();
      const body = event();
      const good = await signer.headers(body, { eventId: 'forged-first' });
      await r.handle({ headers: { ...good, 'x-8x8-signature': 'x..y' }, rawBody: body });
      const res = await r.handle({ headers: good, rawBody: body });
      expect(res.status).toBe(200);
      expect(dispatched).toHaveLength(1);
    });
  });

  describe('key fetching', () => {
    it('should fetch the key of a kid once for many events', async () => {
      const before = jwks.fetches.length;
      const { r } = receiver();
      for (let i = 0; i < 5; i += 1) {
        const body = event({ i });
        expect((await r.handle({ headers: await signer.headers(body), rawBody: body })).status).toBe(200);
      }
      expect(jwks.fetches.length - before).toBe(1);
      expect(jwks.fetches[before]).toBe('/chat-gateway/v1/jwk/kid-main/public');
    });

    it('should refetch an unknown kid at most once a minute', async () => {
      let now = Date.now();
      const before = jwks.fetches.length;
      const { r } = receiver({ clock: () => now });
      for (let i = 0; i < 4; i += 1) {
        const body = event({ i });
        expect((await r.handle({ headers: await otherSigner.headers(body, { transmissionTime: now }), rawBody: body })).status).toBe(401);
      }
      expect(jwks.fetches.length - before).toBe(1);
      now += 61_000;
      const body = event({ later: true });
      await r.handle({ headers: await otherSigner.headers(body, { transmissionTime: now }), rawBody: body });
      expect(jwks.fetches.length - before).toBe(2);
    });
  });

  describe('construction', () => {
    it('should throw naming onEvent when it is missing', () => {
      expect(() => new WebhookReceiver({} as WebhookReceiverOptions)).toThrow(/onEvent/);
    });
  });
});
