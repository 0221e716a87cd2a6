/**
 * The stored record format (issue 9): records carry a version, are migrated when read, and a
 * record written by this release (test/fixtures/record-v2.json, produced by the inputs below when
 * the fixture was made) still reads and continues. If a change to the reducer changes what it
 * stores, the first test fails: bump RECORD_VERSION and add a migration (record-version.ts) rather
 * than regenerate the fixture.
 */
import fixture from '../fixtures/record-v2.json';
import { HandoffError } from '../../src/errors';
import type { HandoffInput } from '../../src/handoff/inputs';
import { migrateRecord, RECORD_VERSION } from '../../src/handoff/record-version';
import { reduce, type CoreConfig } from '../../src/handoff/reduce';
import { emptyRecord, type HandoffRecord } from '../../src/handoff/types';

const t0 = Date.UTC(2026, 11, 2, 10, 0, 0);

function config(): CoreConfig {
  let n = 0;
  return { owner: 'instance-a', leaseTtlMs: 30_000, newId: () => `id-${++n}`, deadlines: { onMaxWait: 'offer', remindAfterMs: 120_000, endAfterMs: 180_000 }, reopenWindowMs: 86_400_000, hasBot: true };
}

/** The inputs that produced the fixture: a turn, an escalation, a held message, the create result, 8x8's queue, join and a message. */
const inputs: HandoffInput[] = [
  { type: 'turn', now: t0, reference: { channelId: 'webchat', serviceUrl: 'https://example.invalid/', conversation: { id: 'conv-1' } as never, user: { id: 'user-1', name: 'Ada' }, bot: { id: 'bot', name: 'Bot' } }, locale: 'en-GB', consecutiveFallbacks: 1, transcriptMoved: true },
  { type: 'lifecycle', now: t0 + 1000, inTurn: true, event: { type: 'escalate', start: { handoffId: 'handoff-1', request: { trigger: 'keyword', reason: 'asked for an agent', queueId: 'queue-1' }, now: t0 + 1000 } } },
  { type: 'hold', now: t0 + 1500, activity: { type: 'message', text: 'are you there?' } },
  { type: 'lifecycle', now: t0 + 2000, event: { type: 'createSucceeded', handoffId: 'handoff-1', gatewayConversationId: 'gw-1' } },
  { type: 'lifecycle', now: t0 + 3000, event: { type: 'queued', gatewayConversationId: 'gw-1', key: 'e-queued', queueName: 'Support' } },
  { type: 'lifecycle', now: t0 + 9000, event: { type: 'agentJoined', gatewayConversationId: 'gw-1', key: 'e-joined', agentId: 'agent-7', agentName: 'Alice', at: t0 + 8900 } },
  { type: 'agentMessage', now: t0 + 10_000, key: 'e-msg-1', gatewayConversationId: 'gw-1', activity: { type: 'message', text: 'Hello, I am Alice.' }, lease: {} },
];

describe('the stored record format', () => {
  it('should still write exactly what the fixture holds (a format change needs a new version and a migration)', () => {
    const rules = config();
    const written = inputs.reduce((record, input) => reduce(record, input, rules).record, emptyRecord());
    expect(JSON.parse(JSON.stringify(written))).toEqual(fixture);
    expect(written.v).toBe(RECORD_VERSION);
  });

  it('should read a record written by this release as it is (the same object: an unchanged record is never rewritten)', () => {
    const stored = JSON.parse(JSON.stringify(fixture)) as unknown;
    expect(migrateRecord(stored)).toBe(stored);
  });

  it('should continue a stored handoff: the agent leaves, customer-leave and the end are queued, the link retired, the interaction remembered', () => {
    const stored = migrateRecord(JSON.parse(JSON.stringify(fixture)))!;
    const { record, effects } = reduce(stored, { type: 'lifecycle', now: t0 + 60_000, event: { type: 'agentLeft', gatewayConversationId: 'gw-1', key: 'e-left', agentId: 'agent-7' } }, config());
    expect(record.state).toBe('bot');
    expect(record.endedLink).toBe('gw-1');
    expect(record.lastInteraction).toEqual({ gatewayConversationId: 'gw-1', endedAt: t0 + 60_000, queueId: 'queue-1' });
    expect(record.outbox.slice(-3).map((i) => i.kind)).toEqual(['leave', 'notice', 'status']);
    expect(record.outbox.at(-1)).toMatchObject({ kind: 'status', state: 'completed', reason: 'agentLeft', summary: { agentName: 'Alice', connectedSeconds: 51, waitedSeconds: 8, messagesFromAgent: 1 } });
    expect(effects).toEqual(expect.arrayContaining([{ type: 'retireLink', ended: 'gw-1' }, { type: 'drain' }]));
  });

  it('should give a v1 record the fields an early writer left out, keeping its inline transcript', () => {
    const v1 = { v: 1, state: 'bot', transcript: [{ direction: 'in', type: 'message', text: 'old' }] };
    const read = migrateRecord(v1)!;
    expect(read).toMatchObject({ v: 1, state: 'bot', pendingTransfers: 0, leftAgents: [], seen: [], consecutiveFallbacks: 0, held: [], outbox: [] });
    expect(read.transcript).toEqual(v1.transcript);
    // A complete v1 record is read as it is.
    const complete = { ...read } as HandoffRecord;
    expect(migrateRecord(complete)).toBe(complete);
  });

  it('should move a v1 record to v2 on the first turn that moves its transcript to its own key', () => {
    const v1 = migrateRecord({ v: 1, state: 'bot', transcript: [{ direction: 'in', type: 'message', text: 'old' }] })!;
    const { record } = reduce(v1, { type: 'turn', now: t0, reference: { conversation: { id: 'c' } as never }, transcriptMoved: true }, config());
    expect(record.v).toBe(2);
    expect(record.transcript).toBeUndefined();
  });

  it('should refuse a record of a newer release, and something that is no record, with a code and the fix', () => {
    expect(() => migrateRecord({ ...fixture, v: 3 })).toThrow(expect.objectContaining({ code: 'E_RECORD_VERSION', message: expect.stringContaining('upgrade every instance') }));
    expect(() => migrateRecord('text')).toThrow(HandoffError);
    expect(() => migrateRecord([1])).toThrow(expect.objectContaining({ code: 'E_RECORD_FORMAT', message: expect.stringContaining('namespace') }));
    expect(migrateRecord(undefined)).toBeUndefined();
  });
});
