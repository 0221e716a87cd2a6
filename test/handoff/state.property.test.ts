import fc from 'fast-check';
import { transition } from '../../src/handoff/state';
import { emptyRecord, type HandoffRecord, type LifecycleEvent } from '../../src/handoff/types';

const GW = 'gw-1';

type Ending = 'ended' | 'connected' | 'transferring';

/** The events 8x8 sends for a handoff with `agents` agents (each but the last transferring away), in true order. */
function scenario(agents: number, ending: Ending): { events: LifecycleEvent[]; pairs: Array<[string, string]> } {
  const events: LifecycleEvent[] = [{ type: 'queued', gatewayConversationId: GW, key: 'queued-0', queueName: 'q0' }];
  const pairs: Array<[string, string]> = [];
  let t = 10;
  for (let i = 0; i < agents; i++) {
    const agentId = `agent-${i}`;
    events.push({ type: 'agentJoined', gatewayConversationId: GW, key: `joined-${i}`, agentId, at: (t += 10) });
    events.push({ type: 'assigned', gatewayConversationId: GW, key: `assigned-${i}`, agentId, at: (t += 1) });
    const last = i === agents - 1;
    if (!last || ending === 'transferring') {
      events.push({ type: 'transfer', gatewayConversationId: GW, key: `transfer-${i}` });
      events.push({ type: 'agentLeft', gatewayConversationId: GW, key: `left-${i}`, agentId });
      events.push({ type: 'queued', gatewayConversationId: GW, key: `queued-${i + 1}`, queueName: `q${i + 1}` });
      pairs.push([`transfer-${i}`, `left-${i}`]);
    }
  }
  if (ending === 'ended') {
    events.push({ type: 'agentLeft', gatewayConversationId: GW, key: `left-${agents - 1}`, agentId: `agent-${agents - 1}` });
    events.push({ type: 'idle', gatewayConversationId: GW, key: 'idle' });
  }
  return { events, pairs };
}

function queuedRecord(): HandoffRecord {
  let record = transition(emptyRecord(), { type: 'escalate', start: { handoffId: 'h', request: { trigger: 't', reason: 'r', queueId: 'q0' }, now: 0 } }).record;
  record = transition(record, { type: 'createSucceeded', handoffId: 'h', gatewayConversationId: GW }).record;
  return record;
}

const keyOf = (e: LifecycleEvent): string => ('key' in e ? e.key : e.type);

/** Shuffles by the given priorities, with duplicates, keeping each TRANSFER before the agent-left it excuses. */
function deliver(events: LifecycleEvent[], pairs: Array<[string, string]>, priorities: number[], dupes: Array<[number, number]>): LifecycleEvent[] {
  const items = events.map((event, i) => ({ event, p: priorities[i % priorities.length] + i * 1e-9 }));
  for (const [index, p] of dupes) items.push({ event: events[index % events.length], p });
  const order = items.sort((a, b) => a.p - b.p).map((i) => i.event);
  for (const [transferKey, leftKey] of pairs) {
    const ti = order.findIndex((e) => keyOf(e) === transferKey);
    const li = order.findIndex((e) => keyOf(e) === leftKey);
    if (li < ti) [order[li], order[ti]] = [order[ti], order[li]];
  }
  return order;
}

describe('transition() (property, RELIABILITY D5)', () => {
  it('should reach the right final state for any order and duplication of lifecycle events', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 3 }),
        fc.constantFrom<Ending>('ended', 'connected', 'transferring'),
        fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 20, maxLength: 20 }),
        fc.array(fc.tuple(fc.nat(), fc.double({ min: 0, max: 1, noNaN: true })), { maxLength: 8 }),
        (agents, ending, priorities, dupes) => {
          const { events, pairs } = scenario(agents, ending);
          let record = queuedRecord();
          let completed = 0;
          for (const event of deliver(events, pairs, priorities, dupes)) {
            const result = transition(record, event);
            record = result.record;
            completed += result.effects.filter((e) => e.type === 'status' && e.state === 'completed').length;
          }
          if (ending === 'ended') {
            expect(record.state).toBe('bot');
            expect(completed).toBe(1);
          } else if (ending === 'transferring') {
            expect(record.state).toBe('transferring');
            expect(completed).toBe(0);
          } else {
            expect(record).toMatchObject({ state: 'connected', agentId: `agent-${agents - 1}` });
            expect(completed).toBe(0);
          }
        },
      ),
      { numRuns: 500 },
    );
  });

  it('should make every event idempotent: applying any event twice in a row equals applying it once', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 3 }), fc.constantFrom<Ending>('ended', 'connected', 'transferring'), fc.nat(), (agents, ending, pick) => {
        const { events } = scenario(agents, ending);
        let record = queuedRecord();
        const stop = pick % events.length;
        for (const event of events.slice(0, stop)) record = transition(record, event).record;
        const once = transition(record, events[stop]).record;
        const twice = transition(once, events[stop]);
        expect(twice.record).toEqual(once);
        expect(twice.effects.filter((e) => e.type !== 'ignored')).toEqual([]);
      }),
      { numRuns: 300 },
    );
  });
});
