import { createSign } from 'node:crypto';
import { FlattenedSign } from 'jose';
import { StaticJwkSource, JwkUnavailableError, type JwkSource } from '../../src/webhook/jwk-source';
import { signedPayload, webhookChecksum } from '../../src/webhook/signature';
import { verifyWebhookSignature, type VerifyDeps } from '../../src/webhook/verify';
import { WebhookSigner, type SignedDelivery } from '../support/webhook-signer';

const NOW = 1_713_100_000_000;
const BODY = '{"eventType":"MEMBERS_CHANGED","conversationId":"c-1","timestamp":1713100000000,"data":{"memberType":"agent","change":"joined","id":"a-1"}}';

let signer: WebhookSigner;
let deps: VerifyDeps;

beforeAll(async () => {
  signer = await WebhookSigner.start({ clock: () => NOW });
  await signer.addKey('other-kid');
  deps = { keySource: new StaticJwkSource({ [signer.kid]: signer.publicKey }), clock: () => NOW };
});

afterAll(() => signer.close());

const b64url = (value: string | Buffer): string => Buffer.from(value).toString('base64url');

/** A detached JWS over the delivery's real payload, with any protected header, signed RS256 by hand. */
function handSigned(delivery: SignedDelivery, header: Record<string, unknown>, rs256 = true): string {
  const h = delivery.headers;
  const payload = signedPayload({
    checksum: webhookChecksum(delivery.rawBody),
    cid: h['x-8x8-customer-id']!,
    eid: h['x-8x8-event-id']!,
    retry: Number(h['x-8x8-retry']),
    tid: h['x-8x8-tenant-id']!,
    tt: Number(h['x-8x8-transmission-time']),
  });
  const protectedPart = b64url(JSON.stringify(header));
  if (!rs256) return `${protectedPart}..`;
  const signature = createSign('RSA-SHA256').update(`${protectedPart}.${payload}`).sign(signer.privateKey as never);
  return `${protectedPart}..${b64url(signature)}`;
}

async function verify(delivery: SignedDelivery, overrides: Partial<VerifyDeps> = {}) {
  return verifyWebhookSignature(delivery, { ...deps, ...overrides });
}

function withHeader(delivery: SignedDelivery, name: string, value: string | undefined): SignedDelivery {
  const headers = { ...delivery.headers };
  if (value === undefined) delete headers[name];
  else headers[name] = value;
  return { headers, rawBody: delivery.rawBody };
}

describe('verifyWebhookSignature()', () => {
  it('should accept a delivery signed by 8x8 as documented', async () => {
    const result = await verify(await signer.sign(BODY, { eventId: 'e-1', retry: 2 }));
    expect(result).toEqual({
      ok: true,
      kid: signer.kid,
      meta: { tenantId: 'vccC8ProdChecksUS', customerId: 'vccC8ProdChecksUS', eventId: 'e-1', retry: 2, transmissionTime: NOW },
    });
  });

  it.each([
    ['x-8x8-customer-id', 'someone-else'],
    ['x-8x8-event-id', 'another-event'],
    ['x-8x8-retry', '1'],
    ['x-8x8-tenant-id', 'other-tenant'],
    ['x-8x8-transmission-time', String(NOW + 1)],
  ])('should reject with bad_signature when %s is tampered with', async (name, value) => {
    const result = await verify(withHeader(await signer.sign(BODY), name, value));
    expect(result).toMatchObject({ ok: false, reason: 'bad_signature' });
  });

  it('should reject with bad_signature when one body byte changes', async () => {
    const delivery = await signer.sign(BODY);
    const rawBody = Buffer.from(delivery.rawBody);
    rawBody[rawBody.indexOf('joined')] = 'J'.charCodeAt(0);
    expect(await verify({ headers: delivery.headers, rawBody })).toMatchObject({ ok: false, reason: 'bad_signature' });
  });

  describe('raw bytes, not a re-serialised body', () => {
    const reordered = '{"timestamp":1713100000000,"data":{"text":"hi"},"conversationId":"c-1","eventType":"MESSAGE"}';
    const cases: Array<[string, string, string]> = [
      ['pretty-printed', JSON.stringify(JSON.parse(BODY), null, 2), JSON.stringify(JSON.parse(BODY))],
      ['\\u-escaped', '{"eventType":"MESSAGE","conversationId":"c-1","data":{"text":"caf\\u00e9 \\u2013 ok"}}', JSON.stringify(JSON.parse('{"eventType":"MESSAGE","conversationId":"c-1","data":{"text":"caf\\u00e9 \\u2013 ok"}}'))],
      ['reordered', reordered, JSON.stringify({ eventType: 'MESSAGE', conversationId: 'c-1', timestamp: 1713100000000, data: { text: 'hi' } })],
    ];

    it.each(cases)('should accept a %s body signed as-is', async (_name, signedBody) => {
      expect(await verify(await signer.sign(signedBody))).toMatchObject({ ok: true });
    });

    it.each(cases)('should reject the re-serialisation of a %s body', async (_name, signedBody, reserialised) => {
      expect(reserialised).not.toBe(signedBody);
      const delivery = await signer.sign(signedBody);
      const result = await verify({ headers: delivery.headers, rawBody: Buffer.from(reserialised) });
      expect(result).toMatchObject({ ok: false, reason: 'bad_signature' });
    });
  });

  it('should reject with bad_signature when the signature is truncated', async () => {
    const delivery = await signer.sign(BODY);
    const sig = delivery.headers['x-8x8-signature']!;
    expect(await verify(withHeader(delivery, 'x-8x8-signature', sig.slice(0, -12)))).toMatchObject({ ok: false, reason: 'bad_signature' });
  });

  it.each([
    ['garbage', 'not a jws'],
    ['an attached payload', 'eyJhbGciOiJSUzI1NiJ9.cGF5bG9hZA.c2ln'],
    ['a header that is not JSON', `${b64url('{oops')}..c2ln`],
    ['no kid', `${b64url(JSON.stringify({ alg: 'RS256', b64: false, crit: ['b64'] }))}..c2ln`],
  ])('should reject with malformed_signature when the signature is %s', async (_name, value) => {
    const result = await verify(withHeader(await signer.sign(BODY), 'x-8x8-signature', value));
    expect(result).toMatchObject({ ok: false, reason: 'malformed_signature' });
  });

  it('should reject a valid-looking garbage signature with bad_signature', async () => {
    const delivery = await signer.sign(BODY);
    const [protectedPart] = delivery.headers['x-8x8-signature']!.split('.');
    const result = await verify(withHeader(delivery, 'x-8x8-signature', `${protectedPart}..${b64url(Buffer.alloc(256, 7))}`));
    expect(result).toMatchObject({ ok: false, reason: 'bad_signature' });
  });

  it('should reject alg none with unsupported_alg', async () => {
    const delivery = await signer.sign(BODY);
    const sig = handSigned(delivery, { alg: 'none', kid: signer.kid, b64: false, crit: ['b64'] }, false);
    expect(await verify(withHeader(delivery, 'x-8x8-signature', sig))).toMatchObject({ ok: false, reason: 'unsupported_alg' });
  });

  it('should give a header the same verdict every time it is seen (header checks are remembered per header)', async () => {
    const delivery = await signer.sign(BODY);
    const none = handSigned(delivery, { alg: 'none', kid: signer.kid, b64: false, crit: ['b64'] }, false);
    const noCrit = handSigned(delivery, { alg: 'RS256', kid: signer.kid, b64: false });
    for (let i = 0; i < 3; i++) {
      expect(await verify(withHeader(delivery, 'x-8x8-signature', none))).toMatchObject({ ok: false, reason: 'unsupported_alg' });
      expect(await verify(withHeader(delivery, 'x-8x8-signature', noCrit))).toMatchObject({ ok: false, reason: 'unsupported_jws_header' });
      expect(await verify(delivery)).toMatchObject({ ok: true });
    }
    // Many distinct (forged) headers do not evict the answers into wrong ones.
    for (let i = 0; i < 200; i++) {
      const forged = handSigned(delivery, { alg: 'RS256', kid: `forged-${i}`, b64: false, crit: ['b64'] });
      expect(await verify(withHeader(delivery, 'x-8x8-signature', forged))).toMatchObject({ ok: false, reason: 'unknown_kid' });
    }
    expect(await verify(withHeader(delivery, 'x-8x8-signature', none))).toMatchObject({ ok: false, reason: 'unsupported_alg' });
    expect(await verify(delivery)).toMatchObject({ ok: true });
  });

  it('should reject HS256 keyed with the public key (algorithm confusion) with unsupported_alg', async () => {
    const delivery = await signer.sign(BODY);
    const h = delivery.headers;
    const payload = signedPayload({
      checksum: webhookChecksum(delivery.rawBody), cid: h['x-8x8-customer-id']!, eid: h['x-8x8-event-id']!,
      retry: 0, tid: h['x-8x8-tenant-id']!, tt: NOW,
    });
    const jws = await new FlattenedSign(new TextEncoder().encode(payload))
      .setProtectedHeader({ alg: 'HS256', kid: signer.kid, b64: false, crit: ['b64'] })
      .sign(new TextEncoder().encode(JSON.stringify(signer.publicJwk)));
    const result = await verify(withHeader(delivery, 'x-8x8-signature', `${jws.protected}..${jws.signature}`));
    expect(result).toMatchObject({ ok: false, reason: 'unsupported_alg' });
  });

  it('should reject an unknown kid with unknown_kid', async () => {
    const result = await verify(await signer.sign(BODY, { kid: 'other-kid' }));
    expect(result).toMatchObject({ ok: false, reason: 'unknown_kid' });
  });

  it.each([
    ['crit without b64', { alg: 'RS256', crit: ['b64'] }],
    ['b64: false without crit', { alg: 'RS256', b64: false }],
    ['b64: true', { alg: 'RS256', b64: true, crit: ['b64'] }],
    ['an extra crit entry', { alg: 'RS256', b64: false, crit: ['b64', 'exp'] }],
  ])('should reject %s with unsupported_jws_header even when the RSA signature itself is valid', async (_name, header) => {
    const delivery = await signer.sign(BODY);
    const sig = handSigned(delivery, { ...header, kid: signer.kid });
    expect(await verify(withHeader(delivery, 'x-8x8-signature', sig))).toMatchObject({ ok: false, reason: 'unsupported_jws_header' });
  });

  it('should accept a hand-built signature with the documented header, proving the hand signer is sound', async () => {
    const delivery = await signer.sign(BODY);
    const sig = handSigned(delivery, { b64: false, crit: ['b64'], kid: signer.kid, alg: 'RS256' });
    expect(await verify(withHeader(delivery, 'x-8x8-signature', sig))).toMatchObject({ ok: true });
  });

  describe('freshness of x-8x8-transmission-time', () => {
    it.each([
      ['stale', NOW - 300_001],
      ['in the future', NOW + 300_001],
    ])('should reject with stale when tt is %s beyond 300 s', async (_name, tt) => {
      expect(await verify(await signer.sign(BODY, { transmissionTime: tt }))).toMatchObject({ ok: false, reason: 'stale' });
    });

    it.each([NOW - 300_000, NOW - 299_000, NOW + 299_000])('should accept tt %p inside the window', async (tt) => {
      expect(await verify(await signer.sign(BODY, { transmissionTime: tt }))).toMatchObject({ ok: true });
    });

    it('should honour a configured tolerance', async () => {
      const delivery = await signer.sign(BODY, { transmissionTime: NOW - 61_000 });
      expect(await verify(delivery, { toleranceMs: 60_000 })).toMatchObject({ ok: false, reason: 'stale' });
      expect(await verify(delivery, { toleranceMs: 120_000 })).toMatchObject({ ok: true });
    });

    it('should accept a retry with a new tt and a new signature after the first attempt went stale', async () => {
      const first = await signer.sign(BODY, { eventId: 'e-r', retry: 0, transmissionTime: NOW - 400_000 });
      const retry = await signer.sign(BODY, { eventId: 'e-r', retry: 1, transmissionTime: NOW - 1_000 });
      expect(await verify(first)).toMatchObject({ ok: false, reason: 'stale' });
      expect(await verify(retry)).toMatchObject({ ok: true, meta: { eventId: 'e-r', retry: 1 } });
    });
  });

  describe('checksum', () => {
    it('should compute the unsigned CRC32 of a body whose CRC is >= 2^31 and verify it', async () => {
      expect(webhookChecksum(Buffer.from('x0'))).toBe(2162610605);
      expect(await verify(await signer.sign('x0'))).toMatchObject({ ok: true });
    });

    it("should give REFERENCE's worked example body the CRC32 1564621066", () => {
      const body =
        '{"eventType":"AGENT_JOINED","messageType":"SYSTEM","conversationId":"Aka5NMHU8MtIG7lUQOxI0DTOvM4","agentId":"cmalutan","agentName":"Cosmin,Malutan","timestamp":1629804577002}';
      expect(webhookChecksum(Buffer.from(body))).toBe(1564621066);
    });
  });

  describe('headers', () => {
    it.each(['x-8x8-signature', 'x-8x8-tenant-id', 'x-8x8-customer-id', 'x-8x8-event-id', 'x-8x8-retry', 'x-8x8-transmission-time'])(
      'should reject with missing_header when %s is absent',
      async (name) => {
        const result = await verify(withHeader(await signer.sign(BODY), name, undefined));
        expect(result).toMatchObject({ ok: false, reason: 'missing_header' });
      },
    );

    it.each([
      ['x-8x8-retry', '1.0'],
      ['x-8x8-retry', '-1'],
      ['x-8x8-retry', 'abc'],
      ['x-8x8-retry', '01'],
      ['x-8x8-transmission-time', '1.7131e12'],
      ['x-8x8-transmission-time', '99999999999999999999'],
    ])('should reject with malformed_header when %s is %p', async (name, value) => {
      expect(await verify(withHeader(await signer.sign(BODY), name, value))).toMatchObject({ ok: false, reason: 'malformed_header' });
    });

    it('should read headers whatever their case', async () => {
      const delivery = await signer.sign(BODY);
      const upper = Object.fromEntries(Object.entries(delivery.headers).map(([k, v]) => [k.toUpperCase(), v]));
      expect(await verify({ headers: upper, rawBody: delivery.rawBody })).toMatchObject({ ok: true });
    });

    it('should reject a signature header sent twice', async () => {
      const delivery = await signer.sign(BODY);
      const sig = delivery.headers['x-8x8-signature']!;
      const headers = { ...delivery.headers, 'x-8x8-signature': [sig, sig] };
      expect(await verifyWebhookSignature({ headers, rawBody: delivery.rawBody }, deps)).toMatchObject({ ok: false, reason: 'malformed_header' });
    });
  });

  describe('key source failures', () => {
    it('should answer key_unavailable when the key source reports an outage', async () => {
      const keySource: JwkSource = { getKey: async (kid) => Promise.reject(new JwkUnavailableError(kid, 'HTTP 503')) };
      expect(await verify(await signer.sign(BODY), { keySource })).toMatchObject({ ok: false, reason: 'key_unavailable' });
    });

    it('should not throw when the key source throws synchronously', async () => {
      const keySource: JwkSource = {
        getKey: () => {
          throw new TypeError('bug');
        },
      };
      await expect(verify(await signer.sign(BODY), { keySource })).resolves.toMatchObject({ ok: false });
    });
  });
});
