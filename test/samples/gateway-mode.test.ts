/**
 * The sample in "real 8x8" mode: EIGHTX8_* point at a Chat Gateway (here a separately started
 * emulator standing in for api.8x8.com), the setup CLI's logic registers the sample's webhook and
 * channel, and a handoff works with signatures checked against that gateway's JWK.
 */
import { silentLogger } from '../../src/logger';
import { startEmulator, type Emulator } from '../../src/emulator';
import { ChatGatewaySetupClient } from '../../src/gateway/setup-client';
import { runSetup } from '../../src/cli/run-setup';
import { startSample, type RunningSample } from '../../samples/echo-to-agent/src/start-sample';
import { TestDirectLine } from './support/directline-client';
import { freePort } from './support/free-port';

const API_KEY = 'tenant-key-0123456789abcdef';

let gateway: Emulator;
let sample: RunningSample | undefined;
let client: ChatGatewaySetupClient;

beforeAll(async () => {
  gateway = await startEmulator({ port: 0, apiKey: API_KEY, tenantId: 'acme', queues: [{ id: 'tier1', name: 'Tier 1' }] });
  client = new ChatGatewaySetupClient({ apiKey: API_KEY, tenantId: 'acme', baseUrl: gateway.url, retry: { retries: 0 } });
});

afterAll(async () => {
  client.close();
  await sample?.close();
  await gateway.close();
});

describe('#startSample() with EIGHTX8_* set', () => {
  it('should start no emulator, pass setup verification and hand over to the configured gateway', async () => {
    const port = await freePort();
    const webhookUrl = `http://127.0.0.1:${port}/api/8x8/webhook`;
    const lines: string[] = [];
    const setupArgs = { apiKey: API_KEY, webhookUrl, queueId: 'tier1', tenant: 'acme', baseUrl: gateway.url, name: 'echo-to-agent', dryRun: false, showKey: false };

    // First run: creates both, but verification fails because the bot is not running yet.
    expect(await runSetup(setupArgs, { client, out: (l) => lines.push(l) })).toBe(1);
    const channelLine = lines.find((l) => l.startsWith('EIGHTX8_CHANNEL_ID='))!;
    const env = { EIGHTX8_API_KEY: API_KEY, EIGHTX8_CHANNEL_ID: channelLine.split('=')[1], EIGHTX8_QUEUE_ID: 'tier1', EIGHTX8_TENANT: 'acme', EIGHTX8_BASE_URL: gateway.url };
    const banner: string[] = [];
    sample = await startSample({ env, port, logger: silentLogger, out: (l) => banner.push(l) });
    expect(sample.emulator).toBeUndefined();
    expect(banner.join('\n')).toContain(`8x8 Chat Gateway: ${gateway.url}`);
    expect(banner.join('\n')).not.toContain('Agent console');

    // Second run: reuses both and 8x8's WEB_HOOK_VERIFY reaches the running sample.
    const second: string[] = [];
    expect(await runSetup(setupArgs, { client, out: (l) => second.push(l) })).toBe(0);
    expect(second.join('\n')).toMatch(/Webhook: reusing[\s\S]*Channel: reusing[\s\S]*Verify: 8x8 reached/);

    const dl = await TestDirectLine.start(`http://127.0.0.1:${port}/v3/directline`, 'tenant-user');
    await dl.say('representative please');
    const conversation = await gateway.waitForConversation((c) => c.messages.some((m) => m.text === 'representative please'));
    expect(conversation).toMatchObject({ channelId: env.EIGHTX8_CHANNEL_ID, queueId: 'tier1' });
    const agent = gateway.agent('agent-1');
    await agent.accept(conversation.id);
    await agent.say('Tier 1 here, hello!');
    await dl.botSays('Tier 1 here, hello!');
  });
});
