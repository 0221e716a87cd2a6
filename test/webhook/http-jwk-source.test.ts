import { ConfigurationError } from '../../src/errors';
import { HttpJwkSource } from '../../src/webhook/http-jwk-source';
import { JwkUnavailableError, StaticJwkSource } from '../../src/webhook/jwk-source';
import { verifyWebhookSignature } from '../../src/webhook/verify';
import { WebhookSigner } from '../support/webhook-signer';

let signer: WebhookSigner;

beforeAll(async () => {
  signer = await WebhookSigner.start();
});

afterAll(() => signer.close());

beforeEach(() => {
  signer.fetches.length = 0;
  signer.failWithStatus = undefined;
});

function fakeClock(start = 1_000_000): { now: () => number; advance: (ms: number) => void } {
  let t = start;
  return { now: () => t, advance: (ms) => void (t += ms) };
}

describe('HttpJwkSource', () => {
  describe('#getKey()', () => {
    it('should fetch a kid at most once over 10k verified events', async () => {
      const source = new HttpJwkSource({ baseUrl: signer.baseUrl });
      const deliveries = await Promise.all(Array.from({ length: 20 }, (_, i) => signer.sign({ eventType: 'TRANSFER', conversationId: `c${i}` })));
      for (let round = 0; round < 500; round++) {
        for (const delivery of deliveries) {
          const result = await verifyWebhookSignature(delivery, { keySource: source });
          expect(result.ok).toBe(true);
        }
      }
      expect(signer.fetchCount()).toBe(1);
    });

    it('should share one fetch between concurrent first requests for a kid', async () => {
      const source = new HttpJwkSource({ baseUrl: signer.baseUrl });
      const keys = await Promise.all(Array.from({ length: 25 }, () => source.getKey(signer.kid)));
      expect(new Set(keys).size).toBe(1);
      expect(keys[0]).toBeDefined();
      expect(signer.fetchCount()).toBe(1);
    });

    it('should refetch an unknown kid at most once per 60 s', async () => {
      const clock = fakeClock();
      const source = new HttpJwkSource({ baseUrl: signer.baseUrl, clock: clock.now });
      for (let i = 0; i < 10; i++) expect(await source.getKey('rotated-kid')).toBeUndefined();
      expect(signer.fetchCount('rotated-kid')).toBe(1);
      clock.advance(59_999);
      expect(await source.getKey('rotated-kid')).toBeUndefined();
      expect(signer.fetchCount('rotated-kid')).toBe(1);
      clock.advance(1);
      await signer.addKey('rotated-kid');
      expect(await source.getKey('rotated-kid')).toBeDefined();
      expect(signer.fetchCount('rotated-kid')).toBe(2);
    });

    it('should fetch at most 10 uncached kids per 60 s across all kids, then fetch a real new kid once the window has room', async () => {
      const clock = fakeClock();
      const source = new HttpJwkSource({ baseUrl: signer.baseUrl, clock: clock.now });
      for (let i = 0; i < 200; i++) expect(await source.getKey(`forged-${i}`)).toBeUndefined();
      expect(signer.fetches.filter((kid) => kid.startsWith('forged-'))).toHaveLength(10);
      await signer.addKey('next-kid');
      expect(await source.getKey('next-kid')).toBeUndefined(); // over budget: not fetched, not remembered
      expect(signer.fetchCount('next-kid')).toBe(0);
      clock.advance(60_001);
      expect(await source.getKey('next-kid')).toBeDefined();
      expect(signer.fetchCount('next-kid')).toBe(1);
    });

    it('should report an outage as JwkUnavailableError and retry it at most once per 60 s', async () => {
      const clock = fakeClock();
      const source = new HttpJwkSource({ baseUrl: signer.baseUrl, clock: clock.now, unknownKidRefetchMs: 60_000 });
      signer.failWithStatus = 503;
      await expect(source.getKey(signer.kid)).rejects.toBeInstanceOf(JwkUnavailableError);
      await expect(source.getKey(signer.kid)).rejects.toBeInstanceOf(JwkUnavailableError);
      expect(signer.fetchCount()).toBe(1);
      signer.failWithStatus = undefined;
      clock.advance(60_000);
      expect(await source.getKey(signer.kid)).toBeDefined();
      expect(signer.fetchCount()).toBe(2);
    });

    it('should report an unreachable host as JwkUnavailableError', async () => {
      const source = new HttpJwkSource({ baseUrl: 'http://127.0.0.1:1', timeoutMs: 2_000 });
      await expect(source.getKey('k')).rejects.toBeInstanceOf(JwkUnavailableError);
    });

    it('should never put an implausible kid into a URL', async () => {
      const source = new HttpJwkSource({ baseUrl: signer.baseUrl });
      for (const kid of ['..', '../../admin', 'a/b', '', 'x'.repeat(500), 'k?x=1']) {
        expect(await source.getKey(kid)).toBeUndefined();
      }
      expect(signer.fetches).toEqual([]);
    });

    it('should refuse a served key that is not an RSA public key', async () => {
      const source = new HttpJwkSource({
        baseUrl: signer.baseUrl,
        fetchJwk: async () => ({ kty: 'oct', k: 'c2VjcmV0' }),
      });
      await expect(source.getKey('k')).rejects.toBeInstanceOf(JwkUnavailableError);
    });

    it('should use the configured host and path', async () => {
      const urls: string[] = [];
      const source = new HttpJwkSource({
        baseUrl: 'https://keys.example.test/',
        fetchJwk: async (url) => {
          urls.push(url);
          return signer.publicJwk;
        },
      });
      expect(await source.getKey('EXaiWfZe20eSjklZ70074w')).toBeDefined();
      expect(urls).toEqual(['https://keys.example.test/chat-gateway/v1/jwk/EXaiWfZe20eSjklZ70074w/public']);
    });
  });

  describe('constructor', () => {
    it.each([
      [{ baseUrl: 'ftp://x' }, 'baseUrl'],
      [{ unknownKidRefetchMs: 0 }, 'unknownKidRefetchMs'],
      [{ timeoutMs: -1 }, 'timeoutMs'],
    ])('should reject %p naming the option', (options, option) => {
      expect(() => new HttpJwkSource(options)).toThrow(ConfigurationError);
      expect(() => new HttpJwkSource(options)).toThrow(option);
    });
  });
});

describe('StaticJwkSource', () => {
  describe('.fromJwks()', () => {
    it('should serve the given keys by kid and nothing else', async () => {
      const source = await StaticJwkSource.fromJwks([signer.publicJwk]);
      expect(await source.getKey(signer.kid)).toBeDefined();
      expect(await source.getKey('nope')).toBeUndefined();
    });

    it('should refuse a private JWK', async () => {
      await expect(StaticJwkSource.fromJwks([{ ...signer.publicJwk, d: 'secret' }])).rejects.toThrow('not an RSA public JWK');
    });
  });
});
