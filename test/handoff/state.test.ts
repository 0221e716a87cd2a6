import { transition } from '../../src/handoff/state';
import { emptyRecord, type HandoffRecord, type LifecycleEvent } from '../../src/handoff/types';

const GW = 'gw-1';
const request = { trigger: 'keyword', reason: 'keyword "agent"', queueId: 'q1' };

function run(record: HandoffRecord, ...events: LifecycleEvent[]): { record: HandoffRecord; effects: string[] } {
  const effects: string[] = [];
  for (const event of events) {
    const result = transition(record, event);
    record = result.record;
    for (const e of result.effects) {
      if (e.type === 'notify') effects.push(`notify:${e.key}`);
      else if (e.type === 'status') effects.push(`status:${e.state}`);
      else if (e.type !== 'ignored') effects.push(e.type);
    }
  }
  return { record, effects };
}

const escalate = (handoffId = 'h1', now = 1000): LifecycleEvent => ({ type: 'escalate', start: { handoffId, request, now } });
const created = (handoffId = 'h1'): LifecycleEvent => ({ type: 'createSucceeded', handoffId, gatewayConversationId: GW });
const joined = (agentId: string, key = `j-${agentId}`, at?: number): LifecycleEvent => ({ type: 'agentJoined', gatewayConversationId: GW, key, agentId, at });
const left = (agentId: string | undefined, key = `l-${agentId}`): LifecycleEvent => ({ type: 'agentLeft', gatewayConversationId: GW, key, agentId });
const transfer = (key = 't1'): LifecycleEvent => ({ type: 'transfer', gatewayConversationId: GW, key });
const queued = (key = 'q'): LifecycleEvent => ({ type: 'queued', gatewayConversationId: GW, key, queueName: 'Support' });

function queuedRecord(): HandoffRecord {
  return run(emptyRecord(), escalate(), created()).record;
}

describe('transition()', () => {
  it('should start an escalation, tell the user and ask for the create call when in bot state', () => {
    const { record, effects } = run(emptyRecord(), escalate());
    expect(record.state).toBe('escalating');
    expect(effects).toEqual(['notify:connecting', 'createConversation']);
  });

  it('should refuse a second escalation when a handoff is already active', () => {
    const { record, effects } = run(emptyRecord(), escalate('h1'), escalate('h2'));
    expect(record.handoffId).toBe('h1');
    expect(effects).toEqual(['notify:connecting', 'createConversation']);
  });

  it('should hand back the held messages and report accepted when the create call succeeds', () => {
    const escalating = { ...run(emptyRecord(), escalate()).record, held: [{ type: 'message', text: 'hello?' }] };
    const result = transition(escalating, created());
    expect(result.record.state).toBe('queued');
    expect(result.record.held).toEqual([]);
    expect(result.effects[0]).toEqual({ type: 'flushHeld', gatewayConversationId: GW, activities: [{ type: 'message', text: 'hello?' }] });
    expect(result.effects[1]).toMatchObject({ type: 'status', state: 'accepted' });
  });

  it('should give the held messages back after the failed status when the create call fails', () => {
    const escalating = { ...run(emptyRecord(), escalate()).record, held: [{ type: 'message', text: 'a' }, { type: 'message', text: 'b' }] };
    const result = transition(escalating, { type: 'createFailed', handoffId: 'h1', reason: '500', now: 2000, cooldownMs: 0 });
    expect(result.record.held).toEqual([]);
    expect(result.effects.map((e) => e.type)).toEqual(['notify', 'status', 'returnHeld']);
    expect(result.effects[2]).toEqual({ type: 'returnHeld', activities: [{ type: 'message', text: 'a' }, { type: 'message', text: 'b' }] });
  });

  it('should end the handoff without removeUser, tell the user and report failed when 8x8 lost the conversation', () => {
    const connected = run(queuedRecord(), joined('a1')).record;
    const { record, effects } = run(connected, { type: 'gatewayLost', gatewayConversationId: GW, reason: '404' });
    expect(record).toMatchObject({ state: 'bot', gatewayConversationId: undefined, agentId: undefined });
    expect(effects).toEqual(['notify:conversationLost', 'status:failed']);
  });

  it('should end the handoff without removeUser when 8x8 removes the customer, even with a transfer pending, and ignore a duplicate', () => {
    const removed: LifecycleEvent = { type: 'userRemoved', gatewayConversationId: GW, key: 'u-left' };
    const transferring = run(queuedRecord(), joined('a1'), transfer()).record;
    const { record, effects } = run(transferring, removed, removed, left('a1'));
    expect(record).toMatchObject({ state: 'bot', gatewayConversationId: undefined, pendingTransfers: 0 });
    expect(effects).toEqual(['notify:userRemoved', 'status:completed']);
  });

  it('should ignore a lost conversation that is not the current one', () => {
    const connected = run(queuedRecord(), joined('a1')).record;
    expect(transition(connected, { type: 'gatewayLost', gatewayConversationId: 'gw-old', reason: '404' }).record).toBe(connected);
    expect(transition(emptyRecord(), { type: 'gatewayLost', gatewayConversationId: GW, reason: '404' }).effects).toEqual([{ type: 'ignored', why: 'not the current 8x8 conversation' }]);
  });

  it('should go back to the bot with a cooldown and report failed when the create call fails', () => {
    const { record, effects } = run(emptyRecord(), escalate(), { type: 'createFailed', handoffId: 'h1', reason: '500', now: 2000, cooldownMs: 30_000 });
    expect(record.state).toBe('bot');
    expect(record.cooldownUntil).toBe(32_000);
    expect(effects.slice(2)).toEqual(['notify:failed', 'status:failed']);
    expect(run(record, escalate('h2', 10_000)).effects).toEqual(['notify:cooldown']);
    expect(run(record, escalate('h3', 40_000)).record.state).toBe('escalating');
  });

  it('should leave a conversation created for an abandoned escalation when the user cancelled meanwhile', () => {
    const { record, effects } = run(emptyRecord(), escalate(), { type: 'userEnded', reason: 'cancelPhrase' }, created());
    expect(record.state).toBe('bot');
    expect(effects).toEqual(['notify:connecting', 'createConversation', 'notify:userCancelled', 'status:completed', 'removeUser']);
  });

  it('should report queued once and connect when an agent joins', () => {
    const { record, effects } = run(queuedRecord(), queued(), queued('q-again'), joined('a1'));
    expect(record).toMatchObject({ state: 'connected', agentId: 'a1' });
    expect(effects).toEqual(['status:queued', 'notify:agentJoined', 'status:agentJoined']);
  });

  it('should use the agent name in the notice when the event carries one', () => {
    const result = transition(queuedRecord(), { type: 'agentJoined', gatewayConversationId: GW, key: 'k', agentId: 'a1', agentName: 'Ada' });
    expect(result.effects[0]).toEqual({ type: 'notify', key: 'agentJoinedNamed', params: { agentName: 'Ada' } });
  });

  it('should connect when the agent joins before QUEUED and not regress on the late QUEUED', () => {
    const { record, effects } = run(queuedRecord(), joined('a1'), queued());
    expect(record.state).toBe('connected');
    expect(effects).toEqual(['notify:agentJoined', 'status:agentJoined']);
  });

  it('should end with a notice and completed when the agent leaves with no transfer pending', () => {
    const { record, effects } = run(queuedRecord(), joined('a1'), left('a1'));
    expect(record.state).toBe('bot');
    expect(record.gatewayConversationId).toBeUndefined();
    expect(effects.slice(-2)).toEqual(['notify:agentLeft', 'status:completed']);
  });

  it('should not end when the agent leaves after a TRANSFER and connect the next agent', () => {
    const mid = run(queuedRecord(), joined('a1'), transfer(), left('a1'));
    expect(mid.record.state).toBe('transferring');
    expect(mid.effects.slice(-2)).toEqual(['notify:transferring', 'status:transferred']);
    const after = run(mid.record, joined('a2'));
    expect(after.record).toMatchObject({ state: 'connected', agentId: 'a2', pendingTransfers: 0 });
    expect(run(after.record, left('a2')).record.state).toBe('bot');
  });

  it('should not end on idle between a transfer\'s agent-left and the next agent joining', () => {
    const idle: LifecycleEvent = { type: 'idle', gatewayConversationId: GW, key: 'idle-1' };
    const mid = run(queuedRecord(), joined('a1'), transfer(), left('a1'), idle);
    expect(mid.record.state).toBe('transferring');
    expect(mid.effects).not.toContain('status:completed');
    expect(run(mid.record, joined('a2')).record).toMatchObject({ state: 'connected', agentId: 'a2' });
  });

  it('should end on a legacy AGENT_LEFT without an agent id when no transfer is pending', () => {
    expect(run(queuedRecord(), joined('a1'), left(undefined, 'legacy')).record.state).toBe('bot');
  });

  it('should change nothing when an event is delivered twice', () => {
    const once = run(queuedRecord(), joined('a1'), transfer());
    const twice = run(once.record, transfer(), joined('a1'));
    expect(twice.record.pendingTransfers).toBe(1);
    expect(twice.effects).toEqual([]);
  });

  it('should ignore events of an ended handoff and of another 8x8 conversation', () => {
    const ended = run(queuedRecord(), joined('a1'), left('a1')).record;
    expect(run(ended, joined('a2', 'late')).record).toBe(ended);
    const live = queuedRecord();
    const stale = transition(live, { type: 'agentJoined', gatewayConversationId: 'gw-old', key: 'x', agentId: 'a9' });
    expect(stale.record).toBe(live);
  });

  it('should not let an earlier agent take over again when its join arrives late', () => {
    const { record } = run(queuedRecord(), joined('a2', 'j2', 50), joined('a1', 'j1', 10), transfer(), left('a1'));
    expect(record).toMatchObject({ state: 'connected', agentId: 'a2' });
  });

  it('should end on idle while queued and ignore idle while a transfer is pending', () => {
    const idle: LifecycleEvent = { type: 'idle', gatewayConversationId: GW, key: 'idle' };
    expect(run(queuedRecord(), idle).record.state).toBe('bot');
    expect(run(queuedRecord(), joined('a1'), transfer(), idle).record.state).toBe('connected');
  });

  it('should remove the user and notify when the user ends a connected handoff', () => {
    const { record, effects } = run(queuedRecord(), joined('a1'), { type: 'userEnded', reason: 'userLeft' });
    expect(record.state).toBe('bot');
    expect(effects.slice(-3)).toEqual(['removeUser', 'notify:userEnded', 'status:completed']);
  });
});
