import fc from 'fast-check';
import { decideRetry, fullJitterDelay, isRetryable, parseRetryAfter } from '../../src/gateway/retry';

const settings = { baseDelayMs: 500, maxDelayMs: 8_000, maxRetryAfterMs: 60_000 };

describe('#fullJitterDelay()', () => {
  it('should stay within [0, min(cap, base*2^n)] for any retry index and random value (O4)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 2_000 }),
        fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
        fc.integer({ min: 0, max: 10_000 }),
        fc.integer({ min: 0, max: 100_000 }),
        (n, r, base, cap) => {
          const delay = fullJitterDelay(n, () => r, base, cap);
          const ceiling = Math.min(cap, base * 2 ** Math.min(n, 53));
          return Number.isFinite(delay) && delay >= 0 && delay <= ceiling;
        },
      ),
    );
  });

  it('should have a mean within 5% of half the ceiling over 10k samples when random is uniform', () => {
    for (const n of [0, 2, 5]) {
      let sum = 0;
      for (let i = 0; i < 10_000; i++) sum += fullJitterDelay(n, Math.random, 500, 8_000);
      const expected = Math.min(8_000, 500 * 2 ** n) / 2;
      expect(Math.abs(sum / 10_000 - expected)).toBeLessThan(expected * 0.05);
    }
  });

  it('should use the injected random value when computing the delay', () => {
    expect(fullJitterDelay(1, () => 0.5, 500, 8_000)).toBe(500);
    expect(fullJitterDelay(10, () => 0.999, 500, 8_000)).toBe(7_992);
  });
});

describe('#parseRetryAfter()', () => {
  const now = Date.parse('2026-01-01T00:00:00Z');

  it('should read delay-seconds when the header is an integer', () => {
    expect(parseRetryAfter('1', now)).toBe(1_000);
    expect(parseRetryAfter(' 120 ', now)).toBe(120_000);
  });

  it('should read an HTTP-date relative to now when the header is a date', () => {
    expect(parseRetryAfter('Thu, 01 Jan 2026 00:00:05 GMT', now)).toBe(5_000);
  });

  it('should clamp a date in the past to zero', () => {
    expect(parseRetryAfter('Wed, 31 Dec 2025 23:59:00 GMT', now)).toBe(0);
  });

  it('should return undefined when the header is absent or unreadable', () => {
    expect(parseRetryAfter(undefined, now)).toBeUndefined();
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter('-5', now)).toBeUndefined();
  });
});

describe('#isRetryable()', () => {
  const net = (code: string, reachedServer: boolean) => ({ code, reachedServer });

  it.each([408, 429, 500, 502, 503, 504])('should retry status %d when the call is idempotent', (status) => {
    expect(isRetryable({ status, reachedServer: true }, true)).toBe(true);
  });

  it.each([400, 401, 403, 404, 409, 422])('should never retry status %d', (status) => {
    expect(isRetryable({ status, reachedServer: true }, true)).toBe(false);
    expect(isRetryable({ status, reachedServer: true }, false)).toBe(false);
  });

  it.each([429, 503])('should retry status %d when the call is a non-idempotent POST', (status) => {
    expect(isRetryable({ status, reachedServer: true }, false)).toBe(true);
  });

  it.each([408, 500, 502, 504])('should not retry status %d when the call is a non-idempotent POST (O2)', (status) => {
    expect(isRetryable({ status, reachedServer: true }, false)).toBe(false);
  });

  it('should retry connect-phase failures of a POST and nothing sent after connecting', () => {
    expect(isRetryable(net('ECONNREFUSED', false), false)).toBe(true);
    expect(isRetryable(net('ENOTFOUND', false), false)).toBe(true);
    expect(isRetryable(net('EAI_AGAIN', false), false)).toBe(true);
    expect(isRetryable(net('ECONNABORTED', false), false)).toBe(true); // connect timeout
    expect(isRetryable(net('ECONNABORTED', true), false)).toBe(false); // read timeout
    expect(isRetryable(net('ECONNRESET', true), false)).toBe(false);
  });

  it('should retry any transport failure of an idempotent call but not cancels or size caps', () => {
    expect(isRetryable(net('ECONNRESET', true), true)).toBe(true);
    expect(isRetryable(net('ECONNABORTED', true), true)).toBe(true);
    expect(isRetryable(net('ERR_CANCELED', false), true)).toBe(false);
    expect(isRetryable(net('ERR_BAD_RESPONSE', true), true)).toBe(false);
  });
});

describe('#decideRetry()', () => {
  const ctx = { idempotent: true, n: 0, remainingMs: 30_000, now: 0, random: () => 0.5 };

  it('should wait exactly Retry-After when 8x8 sends one under the cap', () => {
    expect(decideRetry({ status: 429, retryAfter: '2', reachedServer: true }, ctx, settings)).toEqual({ retry: true, delayMs: 2_000 });
  });

  it('should fail fast as throttled when Retry-After exceeds the cap (O3)', () => {
    expect(decideRetry({ status: 429, retryAfter: '61', reachedServer: true }, ctx, settings))
      .toEqual({ retry: false, reason: 'throttled-too-long' });
  });

  it('should stop when the wait would outlast the deadline', () => {
    expect(decideRetry({ status: 503, retryAfter: '10', reachedServer: true }, { ...ctx, remainingMs: 5_000 }, settings))
      .toEqual({ retry: false, reason: 'deadline' });
  });

  it('should use full jitter when there is no Retry-After', () => {
    expect(decideRetry({ status: 500, reachedServer: true }, { ...ctx, n: 2 }, settings)).toEqual({ retry: true, delayMs: 1_000 });
  });
});
