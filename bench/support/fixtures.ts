/**
 * Realistic webhook bodies and 8x8's signing side for the benchmarks: an RS256 2048 key, an
 * `HttpJwkSource` whose fetch is answered in-process (so its cache is the production one and
 * fetches can be counted), and pools of signed deliveries made before any timed loop.
 */
import { exportJWK, generateKeyPair, type JWK, type KeyLike } from 'jose';
import { HttpJwkSource } from '../../src/webhook/http-jwk-source';
import { signWebhook } from '../../src/webhook/signature';

/** One request ready to send: its headers (content-type included) and exact body bytes. */
export interface Shot {
  headers: Record<string, string>;
  body: Buffer;
}

/** An agent `MESSAGE` event, compact JSON, about 332 bytes with the default text. */
export function messageBody(conversationId: string, seq: number, text = 'Hello, I am looking at your order #A-1042 now. It shipped yesterday; the tracking link is on its way. One moment please!'): Buffer {
  const event = {
    eventType: 'MESSAGE',
    conversationId,
    timestamp: 1713100000000 + seq,
    data: { isEcho: false, sender: { id: 'agent-abc-123', type: 'agent', name: 'Alex' }, text, messageId: `msg-${seq}`, id: `m-${String(seq).padStart(8, '0')}` },
  };
  return Buffer.from(JSON.stringify(event), 'utf8');
}

/** A `CONVERSATION_UPDATE` with user details and additional properties, about 3.6 KB. */
export function largeBody(): Buffer {
  const additionalProperties = Array.from({ length: 38 }, (_, i) => ({ key: `property-${i}`, value: `value of property number ${i} with some text`, id: `p${i}` }));
  const event = {
    eventType: 'CONVERSATION_UPDATE',
    conversationId: 'ID-5f1b2c3d-4e5f-6071-8293-a4b5c6d7e8f9',
    timestamp: 1713100000000,
    data: {
      state: 'active',
      assignment: { type: 'agent', id: 'agent-abc-123', resourceId: 'res-1' },
      user: { name: 'Jane Customer', userId: 'u-42', email: 'jane@example.com', phone: '+15550100', language: 'en', additionalProperties },
      channel: 'chat-api',
    },
  };
  return Buffer.from(JSON.stringify(event), 'utf8');
}

/** The benchmark's 8x8 key pair and a key source that counts fetches. */
export interface BenchKeys {
  kid: string;
  privateKey: KeyLike;
  publicJwk: JWK;
  keySource: HttpJwkSource;
  /** Kids fetched through the key source, in order (known or not). */
  fetches: string[];
}

/** Generates the RS256 2048 key pair and its key source (base URL is never contacted). */
export async function createBenchKeys(kid = 'EXaiWfZe20eSjklZ70074w'): Promise<BenchKeys> {
  const { privateKey, publicKey } = await generateKeyPair('RS256', { modulusLength: 2048 });
  const publicJwk: JWK = { ...(await exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' };
  const fetches: string[] = [];
  const keySource = new HttpJwkSource({
    baseUrl: 'http://127.0.0.1:9',
    fetchJwk: async (url) => {
      const requested = decodeURIComponent(/\/jwk\/([^/]+)\/public$/.exec(url)?.[1] ?? '');
      fetches.push(requested);
      return requested === kid ? publicJwk : undefined;
    },
  });
  await keySource.getKey(kid); // warm the cache: the timed paths never fetch.
  return { kid, privateKey, publicJwk, keySource, fetches };
}

/** Overrides for {@link signShots}. */
export interface SignShotsOptions {
  tenantId?: string;
  /** Event ids are `${eventIdPrefix}-${index}` so every shot is a new event. */
  eventIdPrefix: string;
  /** Signing key id. Default the bench key's kid. */
  kid?: string;
}

/** Signs each body as one new event (first attempt, current time), as 8x8 would send it. */
export async function signShots(keys: BenchKeys, bodies: readonly Buffer[], options: SignShotsOptions): Promise<Shot[]> {
  const shots: Shot[] = [];
  for (let i = 0; i < bodies.length; i++) {
    const body = bodies[i]!;
    const headers = await signWebhook({
      rawBody: body,
      tenantId: options.tenantId ?? 'vccBenchTenant',
      customerId: options.tenantId ?? 'vccBenchTenant',
      eventId: `${options.eventIdPrefix}-${i}`,
      retry: 0,
      transmissionTime: Date.now(),
      kid: options.kid ?? keys.kid,
      privateKey: keys.privateKey,
    });
    shots.push({ headers: { ...headers, 'content-type': 'application/json' }, body });
  }
  return shots;
}
