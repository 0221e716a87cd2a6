/**
 * AgentRelay after a failed proactive send (RELIABILITY O7, O8): the error, shaped like
 * botbuilder's, decides who retries. A 429 without Retry-After (which botbuilder does not retry)
 * is retried on our own timer with full jitter, at most 5 tries; a 4xx other than 408/429 is
 * dropped at once and reported with its status; anything botbuilder already retried waits for the
 * next drain, with no timer of ours, at most 3 tries. Timers are jest's fake ones.
 */
import { RelayDroppedError } from '../../src/handoff/send-failure';
import { connectorError, networkError } from './connector-errors';
import { relayRig, textItem, BOT_KEY } from './relay-rig';

const twoItems = () => [textItem('first'), textItem('second')];
const dropped = (errors: Array<{ error: unknown }>) => errors.map((e) => e.error).filter((e): e is RelayDroppedError => e instanceof RelayDroppedError);

describe('AgentRelay', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  describe('#drain() when the connector throttles without Retry-After', () => {
    it('should retry on its own timer after a full-jitter pause and keep the order', async () => {
      const { adapter, errors, relay, left } = await relayRig(twoItems(), {}, { random: () => 0.5 });
      adapter.failures.push(connectorError(429), connectorError(429));
      await relay.drain(BOT_KEY);
      expect(adapter.texts()).toEqual([]);
      expect((await left()).map((i) => i.attempts ?? 0)).toEqual([1, 0]);
      // Full jitter: 0.5 of min(30 s, 1 s * 2^0), then 0.5 of 2 s.
      await jest.advanceTimersByTimeAsync(499);
      expect(adapter.failures).toHaveLength(1);
      await jest.advanceTimersByTimeAsync(1);
      expect(adapter.failures).toHaveLength(0);
      await jest.advanceTimersByTimeAsync(999);
      expect(adapter.texts()).toEqual([]);
      await jest.advanceTimersByTimeAsync(1);
      expect(adapter.texts()).toEqual(['first', 'second']);
      expect(await left()).toEqual([]);
      expect(errors.map((e) => [e.where, (e.error as { statusCode?: number }).statusCode])).toEqual([['relay', 429], ['relay', 429]]);
      relay.dispose();
    });

    it('should give up after 5 tries, report a RelayDroppedError with the status, and deliver the next item', async () => {
      const { adapter, errors, relay } = await relayRig(twoItems(), {}, { random: () => 1 });
      adapter.failures.push(...Array.from({ length: 5 }, () => connectorError(429)));
      await relay.drain(BOT_KEY);
      for (const pause of [1_000, 2_000, 4_000, 8_000]) await jest.advanceTimersByTimeAsync(pause);
      expect(adapter.texts()).toEqual(['second']);
      expect(dropped(errors)).toEqual([expect.objectContaining({ code: 'E_RELAY_DROPPED', status: 429, failure: 'throttled', tries: 5 })]);
      expect(errors).toHaveLength(5); // four kept tries and the drop
      expect(jest.getTimerCount()).toBe(0);
    });
  });

  describe('#drain() when the connector refuses for good', () => {
    it.each([400, 401, 403, 404])('should drop the item at once on %i, report it with the status, and deliver the next one', async (status) => {
      const { adapter, errors, relay, left } = await relayRig(twoItems());
      adapter.failures.push(connectorError(status));
      await relay.drain(BOT_KEY);
      expect(adapter.texts()).toEqual(['second']);
      expect(await left()).toEqual([]);
      expect(errors).toHaveLength(1);
      expect(errors[0]!.where).toBe('relay');
      expect(errors[0]!.error).toBeInstanceOf(RelayDroppedError);
      expect(errors[0]!.error).toMatchObject({ status, failure: 'permanent', tries: 1, cause: expect.objectContaining({ statusCode: status }) });
      expect(jest.getTimerCount()).toBe(0);
    });
  });

  describe('#drain() when botbuilder already retried the send', () => {
    it.each([
      ['a 503', connectorError(503)],
      ['a 500', connectorError(500)],
      ['a 408', connectorError(408)],
      ['a network error', networkError()],
      ['a 429 with Retry-After', connectorError(429, { 'retry-after': '1' })],
      ['a 429 with retry-after-ms', connectorError(429, { 'retry-after-ms': '200' })],
    ])('should keep the item after %s but schedule no timer of its own, and send it on the next drain', async (_what, error) => {
      const { adapter, errors, relay, left } = await relayRig(twoItems());
      adapter.failures.push(error);
      await relay.drain(BOT_KEY);
      expect(jest.getTimerCount()).toBe(0);
      await jest.advanceTimersByTimeAsync(300_000);
      expect(adapter.texts()).toEqual([]);
      expect((await left()).map((i) => [i.id, i.attempts])).toEqual([['first', 1], ['second', undefined]]);
      expect(errors.map((e) => e.error)).toEqual([error]);
      await relay.drain(BOT_KEY); // the next event or turn
      expect(adapter.texts()).toEqual(['first', 'second']);
    });

    it('should give up after 3 such tries, report it, and deliver the next item', async () => {
      const { adapter, errors, relay } = await relayRig(twoItems());
      adapter.failures.push(connectorError(502), networkError(), connectorError(503));
      for (let i = 0; i < 3; i++) await relay.drain(BOT_KEY);
      expect(adapter.texts()).toEqual(['second']);
      expect(dropped(errors)).toEqual([expect.objectContaining({ status: 503, failure: 'transient', tries: 3 })]);
      expect(errors).toHaveLength(3);
    });
  });
});
