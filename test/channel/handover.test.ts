/**
 * Handover in place: an escalation in an 8x8-native conversation re-routes that same
 * conversation to the queue (PATCH), with the user's details and properties for the screen pop;
 * the agent sees everything said so far; the bot stays silent while the agent is there, and takes
 * the conversation back when the agent leaves.
 */
import { DEFAULT_MESSAGES } from '../../src/handoff';
import { GREETING, startChannelRig, textsOf, type ChannelRig } from './rig';

const CONNECTING = DEFAULT_MESSAGES.connecting as string;

describe('ChatGatewayAdapter with HandoffMiddleware: handover in place', () => {
  let rig: ChannelRig;
  beforeAll(async () => {
    rig = await startChannelRig();
  });
  afterAll(async () => {
    await rig.close();
  });

  it('should re-route the conversation to the queue on a keyword, keep the bot silent with the agent, and resume after the agent left', async () => {
    const id = await rig.open('Wendy');
    await rig.until(id, (c) => textsOf(c, 'bot').includes(GREETING));
    await rig.widget(id, 'messages', { text: 'my order is late' });
    await rig.until(id, (c) => textsOf(c, 'bot').includes('You said: my order is late'));
    await rig.widget(id, 'messages', { text: 'I want an agent' });
    const queued = await rig.until(id, (c) => c.status === 'queued');
    // The same conversation, no new one: the agent sees everything said so far.
    expect(rig.emulator.conversations.filter((c) => c.user.name === 'Wendy')).toHaveLength(1);
    expect(queued.queueId).toBe('support');
    expect(textsOf(queued, 'user')).toEqual(['my order is late', 'I want an agent']);
    expect(queued.user.name).toBe('Wendy');
    expect(queued.user.email).toBe('wendy@example.com');
    expect(queued.user.additionalProperties).toEqual(expect.arrayContaining([expect.objectContaining({ key: 'plan', value: 'gold' })]));
    const connecting = await rig.until(id, (c) => textsOf(c, 'bot').includes(CONNECTING));
    // The keyword turn is the escalation's: the bot does not echo it.
    expect(textsOf(connecting, 'bot')).not.toContain('You said: I want an agent');

    const agent = rig.emulator.agent('agent-1');
    await agent.accept(id);
    await agent.say('Hi Wendy, Alice here.');
    await rig.widget(id, 'messages', { text: 'where is my parcel?' });
    await agent.say('Let me check.');
    const talking = await rig.until(id, (c) => textsOf(c, 'agent').includes('Let me check.') && textsOf(c, 'user').includes('where is my parcel?'));
    await rig.handoff.whenIdle();
    const botWhileAgent = textsOf(talking, 'bot');
    // Nothing relayed (8x8 shows both sides) and no answer from the bot while the agent is there.
    expect(botWhileAgent.filter((t) => t.includes('parcel') || t.includes('Alice') || t.includes('Let me check'))).toEqual([]);

    await agent.leave();
    // Without a post-agent assignment the conversation ends at 8x8; the next message comes back to the bot.
    await rig.until(id, (c) => c.status === 'ended');
    await rig.handoff.whenIdle();
    await rig.widget(id, 'messages', { text: 'thanks, bye' });
    const back = await rig.until(id, (c) => textsOf(c, 'bot').includes('You said: thanks, bye'));
    expect(back.status).toBe('bot');
    expect(rig.errors).toEqual([]);
  });

  it('should re-route on handoff.initiate with the event\'s routing hints as screen-pop properties', async () => {
    const id = await rig.open('Xena');
    await rig.widget(id, 'messages', { text: 'help me' });
    const queued = await rig.until(id, (c) => c.status === 'queued');
    const props = Object.fromEntries((queued.user.additionalProperties ?? []).map((p) => [p.key, p.value]));
    expect(props).toEqual(expect.objectContaining({ plan: 'gold', orderId: 'A-17', tier: 'vip' }));
    expect(queued.user.name).toBe('Xena');
    expect(textsOf(queued, 'user')).toEqual(['help me']);
  });
});

describe('handover in place with a post-agent assignment', () => {
  let rig: ChannelRig;
  beforeAll(async () => {
    rig = await startChannelRig({ adapter: { afterAgent: { postAgentAssignment: { webhookId: 'emulator-webhook' } } } });
  });
  afterAll(async () => {
    await rig.close();
  });

  it('should hand the conversation back to the bot when the agent leaves, without the customer writing first', async () => {
    const id = await rig.open('Yves');
    await rig.widget(id, 'messages', { text: 'human please' });
    await rig.until(id, (c) => c.status === 'queued');
    // The post-agent assignment follows the re-route: let it land before the agent acts.
    await rig.handoff.whenIdle();
    const agent = rig.emulator.agent('agent-2');
    await agent.accept(id);
    await agent.say('Done, anything else?');
    await agent.leave();
    // 8x8 routes it back to the bot's webhook instead of ending it.
    const back = await rig.until(id, (c) => c.status === 'bot' && textsOf(c, 'bot').some((t) => /agent/i.test(t) && t !== GREETING && t !== CONNECTING));
    expect(back.state).toBe('active');
    await rig.widget(id, 'messages', { text: 'one more thing' });
    await rig.until(id, (c) => textsOf(c, 'bot').includes('You said: one more thing'));
    expect(rig.errors).toEqual([]);
  });
});

describe('handover in place when 8x8 delivers every event twice and lifecycle updates late', () => {
  let rig: ChannelRig;
  beforeAll(async () => {
    rig = await startChannelRig();
    // Every event a second time under the same id, and CONVERSATION_UPDATE after the QUEUED / MEMBERS_CHANGED it goes with.
    rig.emulator.faults = { delivery: { duplicate: true } };
    rig.emulator.fidelity = 'reordered';
  });
  afterAll(async () => {
    await rig.close();
  });

  it('should greet, answer, hand over, stay silent and resume exactly once each', async () => {
    const id = await rig.open('Zoe');
    await rig.widget(id, 'messages', { text: 'first' });
    await rig.until(id, (c) => textsOf(c, 'bot').includes('You said: first'));
    await rig.widget(id, 'messages', { text: 'agent please' });
    await rig.until(id, (c) => c.status === 'queued' && textsOf(c, 'bot').includes(CONNECTING));
    const agent = rig.emulator.agent('agent-1');
    await agent.accept(id);
    await agent.say('Hello Zoe.');
    await rig.widget(id, 'messages', { text: 'hi agent' });
    await agent.leave();
    await rig.until(id, (c) => c.status === 'ended');
    await rig.handoff.whenIdle();
    await rig.widget(id, 'messages', { text: 'last' });
    const c = await rig.until(id, (x) => textsOf(x, 'bot').includes('You said: last'));
    await rig.handoff.whenIdle();
    const bot = textsOf(rig.emulator.conversation(id)!, 'bot');
    // Whatever notices the handoff sends (connecting, agent gone), none twice, and no answer to what the agent got.
    expect(bot.filter((t) => t.startsWith('You said'))).toEqual(['You said: first', 'You said: last']);
    expect(bot.filter((t) => t === GREETING)).toHaveLength(1);
    expect(bot.filter((t) => t === CONNECTING)).toHaveLength(1);
    expect(new Set(bot).size).toBe(bot.length);
    expect(textsOf(c, 'agent')).toEqual(['Hello Zoe.']);
    // The faults were in force: copies of this conversation's events reached the webhook too.
    expect(rig.emulator.deliveries.filter((d) => d.conversationId === id && d.duplicate && d.status === 'delivered').length).toBeGreaterThan(5);
    expect(rig.errors).toEqual([]);
  });
});
