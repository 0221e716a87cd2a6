/**
 * Deadlines as data (issue 11), the pure part: which deadlines a record carries after each change,
 * what the user's activity does to them, and what due deadlines do. Plus a property test: no
 * sequence of user, agent and timer inputs leaves a live handoff without a pending deadline, and
 * silence always ends it.
 */
import fc from 'fast-check';
import { fireDue, planDeadlines, userActive, type DeadlinePolicy } from '../../src/handoff/deadlines';
import type { HandoffInput } from '../../src/handoff/inputs';
import { reduce, type CoreConfig } from '../../src/handoff/reduce';
import { transition } from '../../src/handoff/state';
import { emptyRecord, type HandoffRecord, type LifecycleEvent } from '../../src/handoff/types';

const T0 = Date.parse('2026-12-07T10:00:00Z');
const POLICY: DeadlinePolicy = { createTimeoutMs: 120_000, waitingUpdateMs: 60_000, maxWaitMs: 900_000, onMaxWait: 'offer', remindAfterMs: 120_000, endAfterMs: 180_000 };

/** One change as the store makes it: the transition, then the deadlines planned at `now`. */
function step(record: HandoffRecord, event: LifecycleEvent, now: number, policy = POLICY) {
  const result = transition(record, event);
  return { record: result.record === record ? record : planDeadlines(record, result.record, now, policy), effects: result.effects };
}

function queuedRecord(policy = POLICY): HandoffRecord {
  let r = step(emptyRecord(), { type: 'escalate', start: { handoffId: 'h1', request: { trigger: 't', reason: 'r', queueId: 'support' }, now: T0 } }, T0, policy).record;
  r = step(r, { type: 'createSucceeded', handoffId: 'h1', gatewayConversationId: 'g1' }, T0, policy).record;
  return r;
}

describe('planDeadlines', () => {
  it('gives a queued handoff its waiting-room update, maximum wait and inactivity reminder', () => {
    expect(queuedRecord().deadlines).toEqual(
      expect.arrayContaining([
        { kind: 'waitingUpdate', dueAt: T0 + 60_000 },
        { kind: 'maxWait', dueAt: T0 + 900_000 },
        { kind: 'inactivityReminder', dueAt: T0 + 120_000 },
      ]),
    );
  });

  it('drops the waiting deadlines when an agent joins, and restarts the silence count', () => {
    const joinedAt = T0 + 30_000;
    const r = step(queuedRecord(), { type: 'agentJoined', gatewayConversationId: 'g1', key: 'j1', agentId: 'a1', receivedAt: joinedAt }, joinedAt).record;
    expect(r.state).toBe('connected');
    expect(r.deadlines).toEqual([{ kind: 'inactivityReminder', dueAt: joinedAt + 120_000 }]);
  });

  it('clears every deadline when the handoff ends', () => {
    const r = step(queuedRecord(), { type: 'userEnded', reason: 'cancelPhrase' }, T0 + 1).record;
    expect(r.state).toBe('bot');
    expect(r.deadlines).toBeUndefined();
  });

  it('returns the same record when nothing changes (no write)', () => {
    const r = queuedRecord();
    expect(planDeadlines(r, r, T0 + 5_000, POLICY)).toBe(r);
  });

  it('plans nothing without a policy', () => {
    expect(queuedRecord({ onMaxWait: 'offer' }).deadlines).toBeUndefined();
  });
});

describe('userActive', () => {
  it('moves the reminder to now + remindAfter and cancels a pending end', () => {
    let r = queuedRecord();
    r = fireDue(r, T0 + 120_000, POLICY)!.record; // reminder fired: the end is pending
    expect(r.deadlines?.some((d) => d.kind === 'inactivityEnd')).toBe(true);
    const active = userActive(r, T0 + 130_000, POLICY);
    expect(active.deadlines?.filter((d) => d.kind.startsWith('inactivity'))).toEqual([{ kind: 'inactivityReminder', dueAt: T0 + 250_000 }]);
  });

  it('costs no write within the same second', () => {
    const r = userActive(queuedRecord(), T0 + 10_000, POLICY);
    expect(userActive(r, T0 + 10_500, POLICY)).toBe(r);
  });
});

describe('the create timeout', () => {
  const escalating = () => step(emptyRecord(), { type: 'escalate', start: { handoffId: 'h1', request: { trigger: 't', reason: 'r', queueId: 'support' }, now: T0 } }, T0).record;

  it('gives an escalating handoff one deadline, dropped once the create call answered', () => {
    expect(escalating().deadlines).toEqual([{ kind: 'createTimeout', dueAt: T0 + 120_000 }]);
    const queued = step(escalating(), { type: 'createSucceeded', handoffId: 'h1', gatewayConversationId: 'g1' }, T0 + 1_000).record;
    expect(queued.deadlines?.map((d) => d.kind)).not.toContain('createTimeout');
  });

  it('fails the handoff when the create call never answered (its instance stopped), giving the held messages back', () => {
    const held = { ...escalating(), held: [{ type: 'message', text: 'still there?' }] };
    expect(fireDue(held, T0 + 119_999, POLICY)).toBeUndefined();
    const fired = fireDue(held, T0 + 120_000, POLICY)!;
    expect(fired.record.state).toBe('bot');
    expect(fired.effects).toEqual([
      { type: 'notify', key: 'failed' },
      expect.objectContaining({ type: 'status', state: 'failed', reason: 'createFailed' }),
      { type: 'returnHeld', activities: [{ type: 'message', text: 'still there?' }] },
    ]);
  });
});

describe('fireDue', () => {
  it('does nothing before anything is due', () => {
    expect(fireDue(queuedRecord(), T0 + 59_999, POLICY)).toBeUndefined();
  });

  it('sends a waiting-room update with the figures and schedules the next one from now', () => {
    const fired = fireDue(queuedRecord(), T0 + 61_000, POLICY, { position: 3, estimatedWaitSeconds: 240 })!;
    expect(fired.effects).toEqual([{ type: 'notify', key: 'waitingPositionEstimate', params: { position: '3', estimatedWaitMinutes: '4' } }]);
    expect(fired.record.deadlines).toContainEqual({ kind: 'waitingUpdate', dueAt: T0 + 121_000 });
  });

  it('after an outage sends one update, not a burst', () => {
    const policy: DeadlinePolicy = { waitingUpdateMs: 60_000, onMaxWait: 'offer' };
    const fired = fireDue(queuedRecord(policy), T0 + 3_600_000, policy)!;
    expect(fired.effects.filter((e) => e.type === 'notify')).toHaveLength(1);
  });

  it('offers keep-waiting / back-to-bot at the maximum wait, and offers again after another one', () => {
    const policy: DeadlinePolicy = { maxWaitMs: 900_000, onMaxWait: 'offer' };
    const fired = fireDue(queuedRecord(policy), T0 + 900_000, policy)!;
    expect(fired.record.offer).toBe('maxWait');
    expect(fired.effects).toEqual([{ type: 'notify', key: 'maxWaitOffer', actions: ['keepWaitingAction', 'backToBotAction'] }]);
    expect(fired.record.deadlines).toEqual([{ kind: 'maxWait', dueAt: T0 + 1_800_000 }]);
  });

  it('holds the waiting-room updates while the offer is open, and resumes them once the user keeps waiting', () => {
    const policy: DeadlinePolicy = { waitingUpdateMs: 60_000, maxWaitMs: 900_000, onMaxWait: 'offer' };
    const offered = fireDue(queuedRecord(policy), T0 + 900_000, policy)!.record;
    const held = fireDue(offered, T0 + 960_000, policy, { position: 1 })!;
    expect(held.effects).toEqual([]);
    expect(held.record.deadlines).toContainEqual({ kind: 'waitingUpdate', dueAt: T0 + 1_020_000 });
    const kept = step(held.record, { type: 'offerAnswered', answer: 'keepWaiting' }, T0 + 1_000_000, policy).record;
    expect(fireDue(kept, T0 + 1_020_000, policy, { position: 1 })!.effects).toEqual([{ type: 'notify', key: 'waitingPosition', params: { position: '1' } }]);
  });

  it('returns the user at the maximum wait with onMaxWait "return": customer-leave and failed/maxWait', () => {
    const policy: DeadlinePolicy = { maxWaitMs: 900_000, onMaxWait: 'return' };
    const fired = fireDue(queuedRecord(policy), T0 + 900_000, policy)!;
    expect(fired.record.state).toBe('bot');
    expect(fired.effects.map((e) => e.type)).toEqual(['removeUser', 'notify', 'status']);
    expect(fired.effects[2]).toMatchObject({ state: 'failed', reason: 'maxWait' });
  });

  it('reminds, then ends with customer-leave and completed/inactivity', () => {
    const policy: DeadlinePolicy = { onMaxWait: 'offer', remindAfterMs: 120_000, endAfterMs: 180_000 };
    const reminded = fireDue(queuedRecord(policy), T0 + 120_000, policy)!;
    expect(reminded.effects).toEqual([{ type: 'notify', key: 'inactivityReminder', params: { endAfterMinutes: '3' } }]);
    expect(fireDue(reminded.record, T0 + 299_999, policy)).toBeUndefined();
    const ended = fireDue(reminded.record, T0 + 300_000, policy)!;
    expect(ended.record.state).toBe('bot');
    expect(ended.effects).toEqual([
      { type: 'removeUser', gatewayConversationId: 'g1' },
      { type: 'notify', key: 'inactivityEnded' },
      expect.objectContaining({ type: 'status', state: 'completed', reason: 'inactivity' }),
    ]);
  });
});

describe('the lifecycle never strands a live handoff (property)', () => {
  type Input =
    | { kind: 'event'; event: LifecycleEvent }
    | { kind: 'user' }
    | { kind: 'wait'; ms: number };
  const gw = (type: 'queued' | 'agentLeft' | 'transfer' | 'idle' | 'userRemoved') => fc.nat(5).map((n) => ({ kind: 'event' as const, event: { type, gatewayConversationId: 'g1', key: `${type}-${n}` } as LifecycleEvent }));
  const input: fc.Arbitrary<Input> = fc.oneof(
    fc.constantFrom('a1', 'a2').chain((agentId) => fc.nat(9).map((n) => ({ kind: 'event' as const, event: { type: 'agentJoined', gatewayConversationId: 'g1', key: `j-${agentId}-${n}`, agentId } as LifecycleEvent }))),
    gw('queued'), gw('agentLeft'), gw('transfer'), gw('idle'), gw('userRemoved'),
    fc.constantFrom<LifecycleEvent>(
      { type: 'userEnded', reason: 'cancelPhrase' }, { type: 'offerAnswered', answer: 'keepWaiting' }, { type: 'offerAnswered', answer: 'backToBot' },
      // The create call's answer, late or not, and a new escalation once back with the bot.
      { type: 'createSucceeded', handoffId: 'h1', gatewayConversationId: 'g1' },
      { type: 'escalate', start: { handoffId: 'h1', request: { trigger: 't', reason: 'r', queueId: 'support' }, now: T0 } },
    ).map((event) => ({ kind: 'event' as const, event })),
    fc.constant({ kind: 'user' as const }),
    fc.integer({ min: 1, max: 400_000 }).map((ms) => ({ kind: 'wait' as const, ms })),
  );

  it('holds for random inputs under both max-wait modes', () => {
    fc.assert(
      fc.property(fc.array(input, { maxLength: 40 }), fc.constantFrom<'offer' | 'return'>('offer', 'return'), fc.boolean(), (inputs, onMaxWait, whileCreating) => {
        const policy = { ...POLICY, onMaxWait };
        let now = T0;
        // From the create call in flight, or from the queue.
        let record = whileCreating ? step(emptyRecord(), { type: 'escalate', start: { handoffId: 'h1', request: { trigger: 't', reason: 'r', queueId: 'support' }, now: T0 } }, T0, policy).record : queuedRecord(policy);
        // Through the real core: every input is one reducer call, as the store runs it in each write.
        const rules: CoreConfig = { owner: 'me', leaseTtlMs: 30_000, newId: () => 'id', deadlines: policy, hasBot: true };
        const apply = (input: HandoffInput) => (record = reduce(record, input, rules).record);
        for (const i of inputs) {
          if (i.kind === 'wait') {
            now += i.ms;
            apply({ type: 'due', now });
          } else if (i.kind === 'user') {
            apply({ type: 'userActive', now });
          } else {
            apply({ type: 'lifecycle', now, event: i.event });
          }
          const live = record.state !== 'bot';
          // A handoff (escalating included) always has a deadline ahead (or due now); an ended one has none.
          if (live) expect(record.deadlines?.length).toBeGreaterThan(0);
          else expect(record.deadlines).toBeUndefined();
        }
        // Silence ends every live handoff: at most reminder + end (+ a max-wait offer) later.
        for (let i = 0; i < 5 && record.state !== 'bot'; i++) {
          now += 400_000;
          apply({ type: 'due', now });
        }
        expect(record.state).toBe('bot');
      }),
      { numRuns: 300 },
    );
  });
});
