import fc from 'fast-check';
import {
  ChatGatewayApiError, ChatGatewayNetworkError, ChatGatewayThrottledError, CircuitBreaker, classifyOutcome,
  describeTransition, type BreakerPermit, type CallOutcome, type CircuitBreakerSettings,
} from '../../src/gateway';

const DEFAULTS: CircuitBreakerSettings = { windowMs: 10_000, minimumCalls: 20, failureRatio: 0.5, openMs: 30_000 };

/** A breaker on a fake clock. */
function make(settings: Partial<CircuitBreakerSettings> = {}) {
  const clock = { t: 1_000 };
  const breaker = new CircuitBreaker({ ...DEFAULTS, ...settings }, () => clock.t);
  const call = (outcome: CallOutcome) => {
    const admission = breaker.admit();
    if (!admission.admitted) throw new Error('expected the call to be admitted');
    return breaker.record(admission.permit, outcome);
  };
  return { clock, breaker, call };
}

function permitOf(breaker: CircuitBreaker): BreakerPermit {
  const admission = breaker.admit();
  if (!admission.admitted) throw new Error('expected the call to be admitted');
  return admission.permit;
}

const call = { method: 'GET', path: '/chat-gateway/v1/conversations/c1' };

describe('CircuitBreaker', () => {
  describe('#record()', () => {
    it('should open when 10 of 20 calls in the window failed', () => {
      const { breaker, call: run } = make();
      for (let i = 0; i < 19; i += 1) run(i % 2 === 0 ? 'failure' : 'success');
      expect(breaker.state).toBe('closed'); // 10 of 19, but fewer than minimumCalls
      expect(run('success')).toEqual({ from: 'closed', to: 'open', reason: 'failure-ratio', calls: 20, failures: 10 });
      expect(breaker.state).toBe('open');
    });

    it('should stay closed when 9 of 20 calls failed', () => {
      const { breaker, call: run } = make();
      for (let i = 0; i < 20; i += 1) run(i < 9 ? 'failure' : 'success');
      expect(breaker.state).toBe('closed');
    });

    it('should forget outcomes older than windowMs', () => {
      const { breaker, clock, call: run } = make();
      for (let i = 0; i < 19; i += 1) run('failure');
      clock.t += 10_000;
      expect(run('failure')).toBeUndefined(); // the 19 earlier failures left the window
      expect(breaker.state).toBe('closed');
    });

    it('should open at once when a call meets a configuration error', () => {
      const { breaker, call: run } = make();
      expect(run('config-error')).toMatchObject({ from: 'closed', to: 'open', reason: 'config-error' });
      expect(breaker.state).toBe('open');
    });

    it('should ignore the outcome of a call admitted before the breaker opened', () => {
      const { breaker, clock, call: run } = make({ minimumCalls: 1 });
      const early = permitOf(breaker);
      run('failure');
      clock.t += 30_000;
      const probe = permitOf(breaker);
      expect(breaker.record(early, 'success')).toBeUndefined();
      expect(breaker.state).toBe('half-open');
      expect(breaker.record(probe, 'success')).toMatchObject({ to: 'closed', reason: 'probe-succeeded' });
    });
  });

  describe('#admit()', () => {
    it('should refuse calls with the wait until the probe while open', () => {
      const { breaker, clock, call: run } = make();
      run('config-error');
      clock.t += 12_000;
      expect(breaker.admit()).toEqual({ admitted: false, retryAfterMs: 18_000 });
    });

    it('should let exactly one probe through after openMs and close when it succeeds', () => {
      const { breaker, clock, call: run } = make();
      run('config-error');
      clock.t += 30_000;
      expect(breaker.state).toBe('half-open');
      const probe = permitOf(breaker);
      expect(probe.probe).toBe(true);
      expect(breaker.admit()).toEqual({ admitted: false, retryAfterMs: 0 });
      expect(breaker.record(probe, 'success')).toMatchObject({ from: 'half-open', to: 'closed' });
      expect(breaker.admit()).toMatchObject({ admitted: true, permit: { probe: false } });
    });

    it('should reopen for another openMs when the probe fails', () => {
      const { breaker, clock, call: run } = make();
      run('config-error');
      clock.t += 30_000;
      expect(breaker.record(permitOf(breaker), 'failure')).toMatchObject({ from: 'half-open', to: 'open', reason: 'probe-failed' });
      clock.t += 29_999;
      expect(breaker.admit()).toEqual({ admitted: false, retryAfterMs: 1 });
      clock.t += 1;
      expect(breaker.state).toBe('half-open');
    });
  });

  describe('properties', () => {
    type Step = { kind: 'admit' } | { kind: 'finish'; pick: number; outcome: CallOutcome } | { kind: 'wait'; ms: number };
    const outcome = fc.constantFrom<CallOutcome>('success', 'failure', 'config-error');
    const step: fc.Arbitrary<Step> = fc.oneof(
      fc.constant({ kind: 'admit' as const }),
      fc.record({ kind: fc.constant('finish' as const), pick: fc.nat(), outcome }),
      fc.record({ kind: fc.constant('wait' as const), ms: fc.integer({ min: 0, max: 40_000 }) }),
    );

    it('should never let more than one probe through while half-open, whatever the interleaving', () => {
      fc.assert(
        fc.property(fc.array(step, { maxLength: 200 }), fc.integer({ min: 1, max: 5 }), (steps, minimumCalls) => {
          const { breaker, clock } = make({ minimumCalls, openMs: 30_000 });
          const inFlight: BreakerPermit[] = [];
          for (const s of steps) {
            if (s.kind === 'wait') clock.t += s.ms;
            else if (s.kind === 'admit') {
              const state = breaker.state;
              const admission = breaker.admit();
              if (admission.admitted) inFlight.push(admission.permit);
              if (state === 'open') expect(admission.admitted).toBe(false);
            } else if (inFlight.length > 0) {
              breaker.record(inFlight.splice(s.pick % inFlight.length, 1)[0], s.outcome);
            }
            expect(inFlight.filter((p) => p.probe).length).toBeLessThanOrEqual(1);
          }
        }),
        { numRuns: 300 },
      );
    });

    it('should open exactly when the window holds >= minimumCalls calls with failures/calls >= failureRatio', () => {
      const settings = fc.record({
        // Coarse steps and round ratios so calls land exactly on the window edge and on the ratio.
        windowMs: fc.integer({ min: 1, max: 50 }).map((n) => n * 100),
        minimumCalls: fc.integer({ min: 1, max: 10 }),
        failureRatio: fc.oneof(fc.constantFrom(0.25, 1 / 3, 0.5, 0.75, 1), fc.double({ min: 0.05, max: 1, noNaN: true })),
      });
      const dt = fc.integer({ min: 0, max: 15 }).map((n) => n * 100);
      const calls = fc.array(fc.record({ dt, failed: fc.boolean() }), { maxLength: 80 });
      fc.assert(
        fc.property(settings, calls, (s, sequence) => {
          const { breaker, clock, call: run } = make({ ...s, openMs: 1e9 });
          const model: { at: number; failed: boolean }[] = [];
          for (const { dt, failed } of sequence) {
            clock.t += dt;
            run(failed ? 'failure' : 'success');
            model.push({ at: clock.t, failed });
            const inWindow = model.filter((m) => m.at > clock.t - s.windowMs);
            const failures = inWindow.filter((m) => m.failed).length;
            const shouldOpen = inWindow.length >= s.minimumCalls && failures / inWindow.length >= s.failureRatio;
            expect(breaker.state).toBe(shouldOpen ? 'open' : 'closed');
            if (shouldOpen) return;
          }
        }),
        { numRuns: 300 },
      );
    });
  });
});

describe('#classifyOutcome()', () => {
  it.each([
    [500, 'failure'], [502, 'failure'], [503, 'failure'], [408, 'failure'], [302, 'failure'],
    [400, 'success'], [404, 'success'], [409, 'success'], [422, 'success'],
    [401, 'config-error'], [403, 'config-error'],
  ])('should classify an 8x8 answer %d as %s', (status, expected) => {
    expect(classifyOutcome(new ChatGatewayApiError(status, call, {}))).toBe(expected);
  });

  it('should count throttling, network errors, timeouts and unknown errors as failures', () => {
    expect(classifyOutcome(new ChatGatewayThrottledError(429, call, {}, 1_000))).toBe('failure');
    expect(classifyOutcome(new ChatGatewayNetworkError('timeout', call, 'timed out'))).toBe('failure');
    expect(classifyOutcome(new ChatGatewayNetworkError('deadline', call, 'deadline'))).toBe('failure');
    expect(classifyOutcome(new TypeError('boom'))).toBe('failure');
  });
});

describe('#describeTransition()', () => {
  it('should log an error naming the tenant as the likely cause when 8x8 answers 403', () => {
    const t = { from: 'closed' as const, to: 'open' as const, reason: 'config-error' as const, calls: 0, failures: 0 };
    const log = describeTransition(t, DEFAULTS, new ChatGatewayApiError(403, call, { referenceId: 'r1' }));
    expect(log.level).toBe('error');
    expect(log.message).toMatch(/403.*tenantId/);
    expect(log.context).toMatchObject({ status: 403, referenceId: 'r1', breaker: 'open' });
  });
});
