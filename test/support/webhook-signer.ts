/**
 * Test helper playing 8x8's side of webhooks: an RSA key pair with a `kid`, its public JWK served
 * over a real local HTTP server at `/chat-gateway/v1/jwk/{kid}/public`, and signed deliveries
 * (headers + exact body bytes) produced with the package's `signWebhook`.
 *
 * ```ts
 * const signer = await WebhookSigner.start();          // afterAll: await signer.close()
 * const receiver = new WebhookReceiver({ baseUrl: signer.baseUrl, onEvent });
 * const delivery = await signer.sign({ eventType: 'TRANSFER', conversationId: 'c1', timestamp: 1 });
 * await receiver.handle(delivery);
 * ```
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, type JWK, type KeyLike } from 'jose';
import { signWebhook } from '../../src/webhook/signature';

/** One signed delivery: pass it to `receiver.handle()` or send it over HTTP. */
export interface SignedDelivery {
  headers: Record<string, string>;
  rawBody: Buffer;
}

/** Per-delivery overrides of {@link WebhookSigner.sign}. */
export interface SignOptions {
  tenantId?: string;
  customerId?: string;
  eventId?: string;
  retry?: number;
  /** Default: the signer's clock. */
  transmissionTime?: number;
  /** Sign with another key this signer holds (see {@link WebhookSigner.addKey}). */
  kid?: string;
  /** Default `application/json`; `null` leaves the header out. */
  contentType?: string | null;
}

interface KeyPair {
  privateKey: KeyLike;
  publicKey: KeyLike;
  publicJwk: JWK;
}

let eventCounter = 0;

async function newKeyPair(kid: string): Promise<KeyPair> {
  const { privateKey, publicKey } = await generateKeyPair('RS256', { modulusLength: 2048 });
  return { privateKey, publicKey, publicJwk: { ...(await exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' } };
}

/** 8x8's signing side for tests. Create with {@link WebhookSigner.start}; close in `afterAll`. */
export class WebhookSigner {
  /** Every kid requested from the JWK endpoint, in order (served or not). */
  readonly fetches: string[] = [];
  /** When set, the JWK endpoint answers this status for every request (simulates an outage). */
  failWithStatus: number | undefined;
  private readonly keys = new Map<string, KeyPair>();

  private constructor(
    private readonly server: Server,
    /** The default key id. */
    readonly kid: string,
    /** The clock for `x-8x8-transmission-time`. */
    readonly clock: () => number,
  ) {}

  /** Generates a key pair and starts the JWK server on 127.0.0.1, port 0. */
  static async start(options: { kid?: string; clock?: () => number } = {}): Promise<WebhookSigner> {
    const server = createServer();
    const signer = new WebhookSigner(server, options.kid ?? 'EXaiWfZe20eSjklZ70074w', options.clock ?? Date.now);
    server.on('request', (req, res) => {
      const match = /^\/chat-gateway\/v1\/jwk\/([^/]+)\/public$/.exec(req.url ?? '');
      const kid = match ? decodeURIComponent(match[1]!) : undefined;
      if (kid !== undefined) signer.fetches.push(kid);
      const pair = kid === undefined ? undefined : signer.keys.get(kid);
      const status = signer.failWithStatus ?? (req.method === 'GET' && pair ? 200 : 404);
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(status === 200 ? pair!.publicJwk : { status, message: 'Not Found' }));
    });
    await signer.addKey(signer.kid);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return signer;
  }

  /** `http://127.0.0.1:{port}`: pass as the receiver's `baseUrl`. */
  get baseUrl(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** The default key's public JWK (with `kid`). */
  get publicJwk(): JWK {
    return this.keys.get(this.kid)!.publicJwk;
  }

  /** The default key's public key. */
  get publicKey(): KeyLike {
    return this.keys.get(this.kid)!.publicKey;
  }

  /** The default key's private key, for tests that build their own JWS. */
  get privateKey(): KeyLike {
    return this.keys.get(this.kid)!.privateKey;
  }

  /** How many times `kid` (default: the default kid) was requested from the JWK endpoint. */
  fetchCount(kid: string = this.kid): number {
    return this.fetches.filter((k) => k === kid).length;
  }

  /** Adds (or rotates in) another served key. */
  async addKey(kid: string): Promise<void> {
    this.keys.set(kid, await newKeyPair(kid));
  }

  /**
   * Signs one delivery as 8x8 does. `body` is sent byte for byte: a string or Buffer as given,
   * anything else as compact `JSON.stringify`.
   */
  async sign(body: unknown, options: SignOptions = {}): Promise<SignedDelivery> {
    const rawBody = Buffer.isBuffer(body) ? body : Buffer.from(typeof body === 'string' ? body : JSON.stringify(body), 'utf8');
    const kid = options.kid ?? this.kid;
    const pair = this.keys.get(kid);
    if (!pair) throw new Error(`WebhookSigner has no key ${kid}; call addKey first`);
    const headers = await signWebhook({
      rawBody,
      tenantId: options.tenantId ?? 'vccC8ProdChecksUS',
      customerId: options.customerId ?? 'vccC8ProdChecksUS',
      eventId: options.eventId ?? `evt-${++eventCounter}`,
      retry: options.retry ?? 0,
      transmissionTime: options.transmissionTime ?? this.clock(),
      kid,
      privateKey: pair.privateKey,
    });
    const contentType = options.contentType === undefined ? 'application/json' : options.contentType;
    return { headers: contentType === null ? headers : { ...headers, 'content-type': contentType }, rawBody };
  }

  /** Stops the JWK server, dropping keep-alive connections so jest exits cleanly. */
  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve, reject) => this.server.close((error) => (error ? reject(error) : resolve())));
  }
}
