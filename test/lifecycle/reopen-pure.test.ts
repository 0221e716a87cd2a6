/**
 * The pure parts of reopening (issue 11): what the record remembers of the last end, when an
 * escalation may reopen it, which transcript entries are new, and the late ending events of the
 * previous interaction that a reopened conversation ignores until its next agent joins.
 */
import { entriesSince, rememberEnded, reopenable } from '../../src/handoff/reopen';
import { transition } from '../../src/handoff/state';
import { emptyRecord, type HandoffRecord } from '../../src/handoff/types';

const T0 = Date.parse('2026-12-07T10:00:00Z');
const live: HandoffRecord = { ...emptyRecord(), state: 'connected', gatewayConversationId: 'g1', request: { trigger: 't', reason: 'r', queueId: 'support' } };

describe('reopen', () => {
  it('remembers the ended conversation, its queue and when it ended', () => {
    const ended = rememberEnded(live, { ...live, state: 'bot', gatewayConversationId: undefined }, T0);
    expect(ended.lastInteraction).toEqual({ gatewayConversationId: 'g1', endedAt: T0, queueId: 'support' });
    const untouched = { ...live, state: 'queued' as const };
    expect(rememberEnded(live, untouched, T0)).toBe(untouched);
    const inPlace = { ...live, state: 'bot' as const, inPlace: true };
    expect(rememberEnded(live, inPlace, T0).lastInteraction).toBeUndefined();
  });

  it('reopens only within the window, to the same queue, when configured', () => {
    const record = { ...emptyRecord(), lastInteraction: { gatewayConversationId: 'g1', endedAt: T0, queueId: 'support' } };
    expect(reopenable(record, 'support', T0 + 3_600_000, 3_600_000)?.gatewayConversationId).toBe('g1');
    expect(reopenable(record, 'support', T0 + 3_600_001, 3_600_000)).toBeUndefined();
    expect(reopenable(record, 'billing', T0 + 1, 3_600_000)).toBeUndefined();
    expect(reopenable(record, 'support', T0 + 1, undefined)).toBeUndefined();
  });

  it('takes the transcript entries after the last one stamped at or before the end', () => {
    const at = (ms: number) => new Date(ms).toISOString();
    const entries = [
      { direction: 'in' as const, type: 'message', text: 'old', timestamp: at(T0 - 1000) },
      { direction: 'out' as const, type: 'message', text: 'old reply' },
      { direction: 'in' as const, type: 'message', text: 'new', timestamp: at(T0 + 1000) },
      { direction: 'out' as const, type: 'message', text: 'new reply' },
    ];
    expect(entriesSince(entries, T0).map((e) => e.text)).toEqual(['new', 'new reply']);
    expect(entriesSince(entries, T0 - 5000)).toHaveLength(4);
  });

  it('ignores the previous interaction\'s late ending events until the next agent joins', () => {
    let record: HandoffRecord = { ...emptyRecord(), state: 'escalating', handoffId: 'h2' };
    record = transition(record, { type: 'createSucceeded', handoffId: 'h2', gatewayConversationId: 'g1', reopened: true }).record;
    expect(record).toMatchObject({ state: 'queued', reopened: true });
    for (const [type, key] of [['agentLeft', 'k1'], ['idle', 'k2'], ['userRemoved', 'k3']] as const) {
      const result = transition(record, { type, gatewayConversationId: 'g1', key, ...(type === 'agentLeft' ? { agentId: 'agent-1' } : {}) } as never);
      expect(result.record.state).toBe('queued');
      record = result.record;
    }
    record = transition(record, { type: 'agentJoined', gatewayConversationId: 'g1', key: 'k4', agentId: 'agent-2' }).record;
    expect(record.reopened).toBeUndefined();
    expect(transition(record, { type: 'agentLeft', gatewayConversationId: 'g1', key: 'k5', agentId: 'agent-2' }).record.state).toBe('bot');
  });
});
