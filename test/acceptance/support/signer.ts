/**
 * An independent 8x8 webhook signer written from REFERENCE.md section 5 only (it does not use the
 * package's signWebhook), so a misreading of the scheme in the product shows up as a failure.
 *
 * - payload: compact JSON {"checksum","cid","eid","retry","tid","tt"} in that order;
 * - checksum: unsigned CRC32 (IEEE) of the raw body bytes;
 * - signature header: BASE64URL(protected) + ".." + BASE64URL(sig), RS256, b64:false, crit ["b64"].
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import CRC32 from 'crc-32';
import { exportJWK, FlattenedSign, generateKeyPair, type JWK, type KeyLike } from 'jose';

/** Unsigned CRC32 of raw bytes, as Java's java.util.zip.CRC32 would give. */
export function crc32Unsigned(body: Buffer | string): number {
  const bytes = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
  return CRC32.buf(bytes) >>> 0;
}

/** The header values a delivery carries, besides the signature. */
export interface DeliveryFields {
  tenantId: string;
  customerId: string;
  eventId: string;
  retry: number;
  transmissionTime: number;
}

/** The exact "data to be signed" of REFERENCE.md section 5. */
export function payloadJson(body: Buffer | string, f: DeliveryFields): string {
  return `{"checksum":${crc32Unsigned(body)},"cid":${JSON.stringify(f.customerId)},"eid":${JSON.stringify(f.eventId)},`
    + `"retry":${f.retry},"tid":${JSON.stringify(f.tenantId)},"tt":${f.transmissionTime}}`;
}

/** An RSA key pair with a kid, and a signer for it. */
export class TestSigner {
  private constructor(readonly kid: string, readonly privateKey: KeyLike, readonly publicJwk: Record<string, unknown>) {}

  static async create(kid = 'test-kid-1'): Promise<TestSigner> {
    const { privateKey, publicKey } = await generateKeyPair('RS256', { modulusLength: 2048 });
    const jwk = await exportJWK(publicKey);
    return new TestSigner(kid, privateKey, { ...jwk, kid });
  }

  /** The detached, unencoded-payload JWS over `payload` (a string signed as is). */
  async signPayload(payload: string, header: Record<string, unknown> = {}): Promise<string> {
    const jws = await new FlattenedSign(new TextEncoder().encode(payload))
      .setProtectedHeader({ alg: 'RS256', kid: this.kid, b64: false, crit: ['b64'], ...header })
      .sign(this.privateKey);
    return `${jws.protected}..${jws.signature}`;
  }

  /** The six webhook headers (plus content-type) for a body. */
  async headers(body: Buffer | string, fields: Partial<DeliveryFields> = {}): Promise<Record<string, string>> {
    const f: DeliveryFields = {
      tenantId: 'tenant-a', customerId: 'customer-a', eventId: `evt-${Math.random().toString(36).slice(2)}`,
      retry: 0, transmissionTime: Date.now(), ...fields,
    };
    return {
      'content-type': 'application/json',
      'x-8x8-tenant-id': f.tenantId,
      'x-8x8-customer-id': f.customerId,
      'x-8x8-event-id': f.eventId,
      'x-8x8-retry': String(f.retry),
      'x-8x8-transmission-time': String(f.transmissionTime),
      'x-8x8-signature': await this.signPayload(payloadJson(body, f)),
    };
  }
}

/** A local HTTP server serving public JWKs at /chat-gateway/v1/jwk/{kid}/public, counting fetches. */
export class JwkServer {
  readonly fetches: string[] = [];
  private constructor(private readonly server: http.Server, readonly url: string) {}

  static async start(keys: Array<Record<string, unknown>>): Promise<JwkServer> {
    const box: { self?: JwkServer } = {};
    const server = http.createServer((req, res) => {
      box.self?.fetches.push(req.url ?? '');
      const m = /^\/chat-gateway\/v1\/jwk\/([^/]+)\/public$/.exec(req.url ?? '');
      const key = m ? keys.find((k) => k.kid === decodeURIComponent(m[1])) : undefined;
      if (!key) {
        res.writeHead(404, { 'content-type': 'application/problem+json' });
        return void res.end(JSON.stringify({ message: 'not found', errors: ['no such key'] }));
      }
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(key));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const created = new JwkServer(server, `http://127.0.0.1:${port}`);
    box.self = created;
    return created;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

/** Verifies a delivery with this file's own reading of the scheme (used on emulator webhooks). */
export async function verifyDelivery(headers: Record<string, string | string[] | undefined>, body: Buffer, jwk: Record<string, unknown>): Promise<boolean> {
  const { importJWK, flattenedVerify } = await import('jose');
  const h = (name: string) => String(headers[name]);
  const [protectedB64, empty, signature] = h('x-8x8-signature').split('.');
  if (empty !== '') return false;
  const header = JSON.parse(Buffer.from(protectedB64, 'base64url').toString('utf8')) as Record<string, unknown>;
  if (header.alg !== 'RS256' || header.b64 !== false || header.kid !== jwk.kid) return false;
  const payload = payloadJson(body, {
    tenantId: h('x-8x8-tenant-id'), customerId: h('x-8x8-customer-id'), eventId: h('x-8x8-event-id'),
    retry: Number(h('x-8x8-retry')), transmissionTime: Number(h('x-8x8-transmission-time')),
  });
  try {
    await flattenedVerify({ protected: protectedB64, payload, signature }, await importJWK(jwk as unknown as JWK, 'RS256'));
    return true;
  } catch {
    return false;
  }
}
