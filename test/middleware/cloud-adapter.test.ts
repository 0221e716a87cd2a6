import { startConnectorStub, type ConnectorStub } from '../support/connector-stub';
import { startCloudRig, type CloudRig } from './cloud-rig';
import { eventually } from './harness';

describe('HandoffMiddleware through a real CloudAdapter over HTTP', () => {
  let connector: ConnectorStub;
  let rig: CloudRig;
  let nextId = 0;

  beforeAll(async () => {
    connector = await startConnectorStub();
    // No webhook.baseUrl in the rig: the signing keys are fetched from the gateway client's host (the emulator).
    rig = await startCloudRig(() => connector.url);
  });
  afterAll(async () => {
    await rig.close();
    await connector.close();
  });

  /** Posts a Bot Framework activity from the channel (the connector stub is its serviceUrl). */
  const userSays = (text: string) => rig.userSays('cloud-conv', 'cloud-user', text, `act-${++nextId}`);
  const said = (text: string) => connector.waitFor((p) => p.activity.text === text);

  it('should answer as the bot and escalate, replying through the connector', async () => {
    expect(await userSays('hi')).toBe(200);
    const [echo] = await said('echo: hi');
    expect(echo).toMatchObject({ conversationId: 'cloud-conv', replyToId: 'act-1' });
    expect(await userSays('agent please')).toBe(200);
    await said('Connecting you with a person. Please wait a moment…');
    const conversation = await rig.emulator.waitForConversation((c) => c.user.userId === 'cloud-user');
    expect(conversation.user).toMatchObject({ name: 'Cleo', language: 'en' });
  });

  it('should relay the agent proactively and forward the user to the agent until the agent leaves', async () => {
    const id = rig.emulator.conversations.find((c) => c.user.userId === 'cloud-user')!.id;
    await eventually(() => rig.emulator.conversation(id)?.status === 'queued', 'queued');
    const agent = rig.emulator.agent('agent-1');
    await agent.accept(id);
    const [joined] = await said('An agent joined the conversation.');
    expect(joined).toMatchObject({ conversationId: 'cloud-conv' });
    await agent.say('Hello from the agent');
    const [agentMessage] = await said('Hello from the agent');
    // A proactive message answers nothing the channel saw: no replyToId (Web Chat would hold it).
    expect(agentMessage!.activity.replyToId).toBeUndefined();
    expect(agentMessage!.replyToId).toBeUndefined();
    await userSays('thanks, agent');
    await agent.waitForMessage(id, (m) => m.text === 'thanks, agent');
    await agent.leave(id);
    await said('The agent left the conversation. You are chatting with the bot again.');
    await userSays('bot again?');
    await said('echo: bot again?');
    expect(rig.bot.heard).toEqual(['hi', 'bot again?']);
    expect(rig.errors).toEqual([]);
  });
});
