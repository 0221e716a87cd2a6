import fc from 'fast-check';
import { silentLogger } from '../../src/logger';
import { MemoryDedupeStore, type DedupeStore } from '../../src/webhook/dedupe';
import { StaticJwkSource, type JwkSource } from '../../src/webhook/jwk-source';
import { WebhookReceiver } from '../../src/webhook/receiver';
import { WebhookSigner, type SignedDelivery } from '../support/webhook-signer';

const NOW = 1_713_100_000_000;
const AGENT_MESSAGE = { eventType: 'MESSAGE', conversationId: 'c-1', timestamp: NOW, data: { sender: { type: 'agent' }, text: 'hello' } };

let signer: WebhookSigner;
let keySource: JwkSource;
let retries: SignedDelivery[];

beforeAll(async () => {
  signer = await WebhookSigner.start({ clock: () => NOW });
  keySource = new StaticJwkSource({ [signer.kid]: signer.publicKey });
  // The same event delivered 5 times: retry 0..4, each with a fresh tt and signature.
  retries = await Promise.all([0, 1, 2, 3, 4].map((retry) => signer.sign(AGENT_MESSAGE, { eventId: 'e-race', retry, transmissionTime: NOW - 5_000 + retry * 1_000 })));
});

afterAll(() => signer.close());

describe('WebhookReceiver de-duplication', () => {
  it('should dispatch one event delivered 5 times (retry 0..4, some concurrent) exactly once and answer all with 200', async () => {
    let calls = 0;
    const receiver = new WebhookReceiver({
      baseUrl: signer.baseUrl,
      clock: () => NOW,
      logger: silentLogger,
      onEvent: async () => {
        calls++;
        await new Promise((resolve) => setTimeout(resolve, 20));
      },
    });
    const [r0, r1, r2] = await Promise.all(retries.slice(0, 3).map((d) => receiver.handle(d)));
    const r3 = await receiver.handle(retries[3]!);
    const r4 = await receiver.handle(retries[4]!);
    const statuses = [r0, r1, r2, r3, r4].map((r) => r!.status);
    expect(statuses).toEqual([200, 200, 200, 200, 200]);
    expect([r0, r1, r2, r3, r4].map((r) => r!.body.result).sort()).toEqual(['duplicate', 'duplicate', 'duplicate', 'duplicate', 'processed']);
    expect(calls).toBe(1);
  });

  it('should let the waiting concurrent delivery answer 503 when the first one failed, so 8x8 retries', async () => {
    let calls = 0;
    const receiver = new WebhookReceiver({
      keySource,
      clock: () => NOW,
      logger: silentLogger,
      onError: () => {},
      onEvent: async () => {
        calls++;
        await new Promise((resolve) => setTimeout(resolve, 10));
        throw new Error('down');
      },
    });
    const results = await Promise.all([receiver.handle(retries[0]!), receiver.handle(retries[1]!)]);
    expect(results.map((r) => r.status)).toEqual([503, 503]);
    expect(calls).toBe(1);
  });

  describe('D2: two racing identical deliveries, every interleaving', () => {
    // Each store call runs only when the scheduler lets it, so claims and completes of the two
    // deliveries interleave in every order fast-check picks.
    function scheduled(s: fc.Scheduler, store: DedupeStore): DedupeStore {
      const gate = <T>(run: () => Promise<T>): Promise<T> => s.schedule(Promise.resolve()).then(run);
      return {
        claim: (key, leaseMs) => gate(() => store.claim(key, leaseMs)),
        complete: (key, ttlMs) => gate(() => store.complete(key, ttlMs)),
        release: (key) => gate(() => store.release(key)),
      };
    }

    // RS256 verification runs on libuv's thread pool, outside the scheduler's control, and would
    // serialise the two deliveries; the signature is covered above, the race is what is tested here.
    function receiverFor(s: fc.Scheduler, dedupe: DedupeStore, dispatched: string[]): WebhookReceiver {
      return new WebhookReceiver({
        insecureSkipSignatureVerification: true,
        dedupe,
        clock: () => NOW,
        logger: silentLogger,
        onEvent: (_event, meta) => s.schedule(Promise.resolve()).then(() => void dispatched.push(meta.eventId)),
      });
    }

    it('should dispatch exactly once within one instance, both answered 200', async () => {
      await fc.assert(
        fc.asyncProperty(fc.scheduler(), fc.constantFrom([0, 0], [0, 1], [3, 4]), async (s, [a, b]) => {
          const dispatched: string[] = [];
          const receiver = receiverFor(s, scheduled(s, new MemoryDedupeStore()), dispatched);
          const both = Promise.all([receiver.handle(retries[a]!), receiver.handle(retries[b]!)]);
          const responses = await s.waitFor(both);
          expect(dispatched).toEqual(['e-race']);
          expect(responses.map((r) => r.status)).toEqual([200, 200]);
        }),
        { numRuns: 200 },
      );
    });

    it('should dispatch exactly once across two instances sharing a store; the loser answers 200 or 503', async () => {
      await fc.assert(
        fc.asyncProperty(fc.scheduler(), async (s) => {
          const dispatched: string[] = [];
          const store = scheduled(s, new MemoryDedupeStore());
          const [one, two] = [receiverFor(s, store, dispatched), receiverFor(s, store, dispatched)];
          const responses = await s.waitFor(Promise.all([one.handle(retries[0]!), two.handle(retries[1]!)]));
          expect(dispatched).toEqual(['e-race']);
          expect(responses.map((r) => r.body.result ?? r.body.error).sort()).toEqual(
            expect.arrayContaining(['processed']),
          );
          for (const r of responses) expect([200, 503]).toContain(r.status);
          // 8x8 retries the loser; that retry is acknowledged without a second dispatch.
          const retry = await s.waitFor(two.handle(retries[2]!));
          expect(retry.body.result).toBe('duplicate');
          expect(dispatched).toHaveLength(1);
        }),
        { numRuns: 200 },
      );
    });
  });
});
