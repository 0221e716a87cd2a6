/**
 * The emulator's fidelity profiles (issue 10) over real HTTP: one scripted conversation per
 * profile, its webhook bodies as a real receiver got them; the console switch; the preSignedUrl TTL.
 */
import { startEmulator, FIDELITY_PROFILES, type Emulator, type FidelityProfile } from '../../src/emulator';
import { ConfigurationError } from '../../src/errors';
import { parseGatewayEvent } from '../../src/webhook/events';
import { until } from '../support/fake-time';
import { call } from './support/http';
import { startReceiver, type Received, type Receiver } from './support/receiver';

type Body = Record<string, unknown> & { data?: Record<string, unknown> };

let receiver: Receiver;
beforeAll(async () => {
  receiver = await startReceiver();
});
afterAll(() => receiver.close());

/** Runs one scripted conversation (create, accept, typing, text, file, leave) and returns its bodies in arrival order. */
async function scriptedConversation(emulator: Emulator): Promise<Body[]> {
  const res = await call(emulator, 'POST', 'conversations', { body: { channelId: emulator.channelId, user: { name: 'Jo', timezoneOffset: 60, additionalProperties: [{ key: 'Tier', value: 'gold' }] } } });
  const id = (res.body as { conversationId: string }).conversationId;
  const agent = emulator.agent('agent-1');
  await emulator.waitForConversation((c) => c.id === id && c.status === 'queued');
  await agent.accept(id);
  await agent.typing(true);
  await agent.say('plain text');
  await agent.say('with a file', { attachments: [{ filename: 'a.txt', data: Buffer.from('hello') }] });
  await agent.leave(id);
  const forId = (r: Received) => r.body.conversationId === id;
  // The last event of the flow is the idle update (whatever the profile reorders before it).
  await receiver.waitFor((r) => forId(r) && r.body.eventType === 'CONVERSATION_UPDATE' && (r.body.data as Body | undefined)?.state === 'idle');
  // Then every event the emulator logged for it (repeats and reordered ones too) has arrived.
  const logged = () => emulator.deliveries.filter((d) => d.conversationId === id);
  await until(() => logged().every((d) => d.status !== 'pending') && receiver.received.filter(forId).length === logged().length, 'every logged event received');
  return receiver.received.filter(forId).map((r) => r.body as Body);
}

async function run(profile: FidelityProfile): Promise<Body[]> {
  const emulator = await startEmulator({ port: 0, webhookUrl: receiver.url, fidelity: profile, delivery: { retries: 0 } });
  try {
    return await scriptedConversation(emulator);
  } finally {
    await emulator.close();
  }
}

const types = (bodies: Body[]) => bodies.map((b) => b.eventType);
const messages = (bodies: Body[]) => bodies.filter((b) => b.eventType === 'MESSAGE' && !b.data?.isEcho);

describe('emulator fidelity profiles', () => {
  it('should deliver only events the receiver parses, under every profile', async () => {
    for (const profile of FIDELITY_PROFILES) {
      const bodies = await run(profile);
      expect({ profile, unparsed: bodies.filter((b) => parseGatewayEvent(b).kind !== 'event') }).toEqual({ profile, unparsed: [] });
    }
  });

  it('standard: v1.0 forms with typed fields and pre-signed files', async () => {
    const bodies = await run('standard');
    expect(types(bodies)).toEqual(['CONVERSATION_UPDATE', 'CONVERSATION_UPDATE', 'QUEUED', 'MEMBERS_CHANGED', 'CONVERSATION_UPDATE', 'ACTIVITY', 'MESSAGE', 'MESSAGE', 'MEMBERS_CHANGED', 'CONVERSATION_UPDATE']);
    const [, withFile] = messages(bodies);
    expect(withFile!.data).toMatchObject({ sender: { id: 'agent-1', type: 'agent' }, attachments: [{ id: expect.any(String), fileName: 'a.txt', preSignedUrl: expect.stringContaining('/files/') }] });
  });

  it('blank-sender: agent messages and typing with sender type ""', async () => {
    const bodies = await run('blank-sender');
    expect(messages(bodies).map((b) => (b.data!.sender as Body).type)).toEqual(['', '']);
    const typing = bodies.find((b) => b.eventType === 'ACTIVITY')!;
    expect(typing.data).toEqual({ name: 'typing', value: { users: [{ id: 'agent-1', type: '' }] } });
  });

  it('id-only-files: attachments as { id } only', async () => {
    const [, withFile] = messages(await run('id-only-files'));
    expect(withFile!.data!.attachments).toEqual([{ id: expect.any(String) }]);
  });

  it('legacy: AGENT_JOINED / AGENT_LEFT, TEXT for plain agent messages, flat QUEUED', async () => {
    const bodies = await run('legacy');
    expect(types(bodies)).toEqual(['CONVERSATION_UPDATE', 'CONVERSATION_UPDATE', 'QUEUED', 'AGENT_JOINED', 'CONVERSATION_UPDATE', 'ACTIVITY', 'TEXT', 'MESSAGE', 'AGENT_LEFT', 'CONVERSATION_UPDATE']);
    expect(bodies.find((b) => b.eventType === 'TEXT')).toMatchObject({ messageType: 'AGENT', agentId: 'agent-1', message: 'plain text' });
    expect(bodies.find((b) => b.eventType === 'QUEUED')).toMatchObject({ messageType: 'SYSTEM', queueId: 'support', queueName: 'Support' });
    expect(bodies.find((b) => b.eventType === 'QUEUED')!.data).toBeUndefined();
  });

  it('loose-types: string timestamps and timezoneOffset, non-string property values, extra fields, an unknown change', async () => {
    const bodies = await run('loose-types');
    expect(bodies.every((b) => typeof b.timestamp === 'string' && b.x8x8Trace !== undefined)).toBe(true);
    const update = bodies.find((b) => b.eventType === 'CONVERSATION_UPDATE')!;
    expect(update.data!.user).toMatchObject({ timezoneOffset: '60', additionalProperties: expect.arrayContaining([{ key: 'visits', value: 3 }, { key: 'vip', value: false }]) });
    expect(bodies.filter((b) => b.eventType === 'MEMBERS_CHANGED').map((b) => b.data!.change)).toEqual(['joined', 'updated', 'left', 'updated']);
  });

  it('reordered: the update after the QUEUED or join it goes with, idle before the agent left, updates repeated', async () => {
    const bodies = await run('reordered');
    const sequence = bodies.map((b) => `${String(b.eventType)}${b.data?.state ? `:${String(b.data.state)}` : ''}${b.data?.change ? `:${String(b.data.change)}` : ''}`);
    expect(sequence).toEqual([
      'CONVERSATION_UPDATE:created', 'CONVERSATION_UPDATE:created',
      'QUEUED', 'QUEUED', 'CONVERSATION_UPDATE:active', 'CONVERSATION_UPDATE:active',
      'CONVERSATION_UPDATE:active', 'CONVERSATION_UPDATE:active', 'MEMBERS_CHANGED:joined',
      'ACTIVITY', 'MESSAGE', 'MESSAGE',
      'CONVERSATION_UPDATE:idle', 'CONVERSATION_UPDATE:idle', 'MEMBERS_CHANGED:left',
    ]);
  });

  it('should refuse an unknown profile at start-up and at runtime, naming the option', async () => {
    await expect(startEmulator({ port: 0, fidelity: 'strict' as FidelityProfile })).rejects.toThrow(ConfigurationError);
    const emulator = await startEmulator({ port: 0 });
    try {
      expect(() => {
        emulator.fidelity = 'strict' as FidelityProfile;
      }).toThrow(/fidelity/);
      expect(emulator.fidelity).toBe('standard');
    } finally {
      await emulator.close();
    }
  });
});

describe('console fidelity switch (/console/api/fidelity)', () => {
  it('should report and switch the profile of the events delivered next, and refuse unknown ones with 400', async () => {
    const emulator = await startEmulator({ port: 0, webhookUrl: receiver.url });
    try {
      const api = `${emulator.url}/console/api/fidelity`;
      expect(await (await fetch(api)).json()).toEqual({ profile: 'standard', profiles: [...FIDELITY_PROFILES] });
      const switched = await fetch(api, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ profile: 'legacy' }) });
      expect(switched.status).toBe(200);
      expect(emulator.fidelity).toBe('legacy');
      const refused = await fetch(api, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ profile: 'nope' }) });
      expect(refused.status).toBe(400);
      expect(emulator.fidelity).toBe('legacy');
      const bodies = await scriptedConversation(emulator);
      expect(types(bodies)).toContain('AGENT_JOINED');
    } finally {
      await emulator.close();
    }
  });
});

describe('preSignedUrl TTL (fileLinkTtlMs)', () => {
  it('should serve a file link until the TTL and answer 403 after it', async () => {
    let now = 1_800_000_000_000;
    const emulator = await startEmulator({ port: 0, webhookUrl: receiver.url, fileLinkTtlMs: 60_000, clock: { now: () => now } });
    try {
      const bodies = await scriptedConversation(emulator);
      const url = ((messages(bodies)[1]!.data!.attachments as Body[])[0]!.preSignedUrl) as string;
      expect(url).toContain(`expires=${String(now + 60_000)}`);
      const fresh = await fetch(url);
      expect([fresh.status, await fresh.text()]).toEqual([200, 'hello']);
      now += 60_001;
      expect((await fetch(url)).status).toBe(403);
    } finally {
      await emulator.close();
    }
  });

  it('should refuse a non-positive TTL naming fileLinkTtlMs', async () => {
    await expect(startEmulator({ port: 0, fileLinkTtlMs: 0 })).rejects.toThrow(/fileLinkTtlMs/);
  });
});
