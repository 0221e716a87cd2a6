/**
 * `runSetup` against the real emulator over HTTP, with a real webhook endpoint on 127.0.0.1 that
 * answers 8x8's WEB_HOOK_VERIFY.
 */
import { once } from 'node:events';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { startEmulator, type Emulator } from '../../src/emulator';
import { ChatGatewaySetupClient } from '../../src/gateway/setup-client';
import { runSetup } from '../../src/cli/run-setup';
import type { SetupArgs } from '../../src/cli/setup-args';

const API_KEY = 'cli-test-key-0123456789';

let emulator: Emulator;
let hook: Server;
let hookUrl: string;
let failingHookUrl: string;
const received: Array<{ path: string; eventType?: string }> = [];
const clients: ChatGatewaySetupClient[] = [];

beforeAll(async () => {
  const app = express();
  app.post('/api/8x8/webhook', express.json(), (req, res) => {
    received.push({ path: req.path, eventType: (req.body as { eventType?: string }).eventType });
    res.status(200).end();
  });
  app.post('/broken', (_req, res) => void res.status(500).end());
  hook = app.listen(0, '127.0.0.1');
  await once(hook, 'listening');
  const port = (hook.address() as AddressInfo).port;
  hookUrl = `http://127.0.0.1:${port}/api/8x8/webhook`;
  failingHookUrl = `http://127.0.0.1:${port}/broken`;
  emulator = await startEmulator({
    port: 0, apiKey: API_KEY, tenantId: 'acme', queues: [{ id: 'q-support', name: 'Support' }, { id: 'q-sales', name: 'Sales' }],
    delivery: { retries: 0, timeoutMs: 2000 },
  });
});

afterAll(async () => {
  for (const c of clients) c.close();
  await emulator.close();
  hook.closeAllConnections();
  await new Promise((resolve) => hook.close(resolve));
});

function client(overrides: { apiKey?: string; tenantId?: string; baseUrl?: string } = {}): ChatGatewaySetupClient {
  const c = new ChatGatewaySetupClient({ apiKey: API_KEY, baseUrl: emulator.url, retry: { retries: 0 }, ...overrides });
  clients.push(c);
  return c;
}

function args(overrides: Partial<SetupArgs> = {}): SetupArgs {
  return { apiKey: API_KEY, webhookUrl: hookUrl, queueId: 'q-support', baseUrl: emulator.url, name: 'my-bot', dryRun: false, showKey: false, ...overrides };
}

async function run(a: SetupArgs, c = client({ apiKey: a.apiKey, tenantId: a.tenant, baseUrl: a.baseUrl })): Promise<{ code: number; lines: string[]; text: string }> {
  const lines: string[] = [];
  const code = await runSetup(a, { client: c, out: (line) => lines.push(line) });
  return { code, lines, text: lines.join('\n') };
}

async function inventory() {
  const c = client();
  return { webhooks: (await c.listWebhooks({ size: 100 }))._embedded.webhooks, channels: (await c.listChannels({ size: 100 }))._embedded.channels };
}

describe('#runSetup()', () => {
  it('should create the webhook and the channel, verify, and print the env lines when none exist', async () => {
    const { code, lines, text } = await run(args());
    const { webhooks, channels } = await inventory();
    const webhook = webhooks.find((w) => w.uri === hookUrl)!;
    const channel = channels.find((c) => c.webHookId === webhook.id)!;
    expect(code).toBe(0);
    expect(webhook).toMatchObject({ name: 'my-bot', version: 'Chat Gateway v1.0' });
    expect(channel).toMatchObject({ type: 'ChatAPI', routingOptions: { type: 'queue', id: 'q-support' } });
    expect(text).toContain(`Webhook: created ${webhook.id}`);
    expect(text).toContain(`Channel: created ${channel.id}`);
    expect(received.some((r) => r.eventType === 'WEB_HOOK_VERIFY')).toBe(true);
    expect(lines).toEqual(expect.arrayContaining([
      'EIGHTX8_API_KEY=cli-*****************89', `EIGHTX8_CHANNEL_ID=${channel.id}`, 'EIGHTX8_QUEUE_ID=q-support', `EIGHTX8_BASE_URL=${emulator.url}`,
    ]));
    expect(text).not.toContain(API_KEY);
  });

  it('should reuse the webhook and channel and create nothing when run a second time', async () => {
    const before = await inventory();
    const { code, text } = await run(args({ showKey: true }));
    expect(code).toBe(0);
    expect(await inventory()).toEqual(before);
    expect(text).toMatch(/Webhook: reusing/);
    expect(text).toMatch(/Channel: reusing/);
    expect(text).toContain(`EIGHTX8_API_KEY=${API_KEY}`);
  });

  it('should create a second channel on the same webhook when the queue differs', async () => {
    const { code, text } = await run(args({ queueId: 'q-sales' }));
    const { channels } = await inventory();
    expect(code).toBe(0);
    expect(text).toMatch(/Webhook: reusing/);
    expect(text).toMatch(/uses this webhook but routes to queue q-support/);
    expect(channels.filter((c) => c.routingOptions.id === 'q-sales')).toHaveLength(1);
  });

  it('should show the plan and write nothing when --dry-run is set', async () => {
    const before = await inventory();
    const verifiesBefore = received.length;
    const { code, text } = await run(args({ dryRun: true, webhookUrl: 'https://bot.example.com/api/8x8/webhook' }));
    expect(code).toBe(0);
    expect(await inventory()).toEqual(before);
    expect(received).toHaveLength(verifiesBefore);
    expect(text).toMatch(/Dry run/);
    expect(text).toMatch(/Webhook: would create "my-bot" -> https:\/\/bot\.example\.com\/api\/8x8\/webhook/);
    expect(text).toMatch(/Channel: would create .*queue q-support/);
    expect(text).toContain('EIGHTX8_CHANNEL_ID=<the new channel id>');
  });

  it('should print the lines but exit 1 and explain when the webhook does not answer the verify call', async () => {
    const { code, text } = await run(args({ webhookUrl: failingHookUrl }));
    expect(code).toBe(1);
    expect(text).toMatch(/Verify: failed/);
    expect(text).toMatch(/webhook_verification_failed|did not answer WEB_HOOK_VERIFY/);
    expect(text).toMatch(/EIGHTX8_CHANNEL_ID=\S+/);
  });

  it('should say the key lacks the Chat Gateway product when 8x8 answers 401', async () => {
    const { code, text } = await run(args({ apiKey: 'wrong-key-000000000' }));
    expect(code).toBe(1);
    expect(text).toMatch(/rejected the API key \(401/);
    expect(text).toMatch(/"Chat Gateway" API product/);
    expect(text).toMatch(/reference id .*: \S+/);
    expect(text).not.toMatch(/EIGHTX8_/);
  });

  it('should suggest --tenant when 8x8 answers 403 for a tenant mismatch', async () => {
    const { code, text } = await run(args({ tenant: 'not-acme' }));
    expect(code).toBe(1);
    expect(text).toMatch(/tenant does not match/);
    expect(text).toMatch(/Check --tenant not-acme/);
  });

  it("should pass on 8x8's message when 8x8 answers 400", async () => {
    const { code, text } = await run(args({ queueId: 'no-such-queue', webhookUrl: `${hookUrl}?v=2` }));
    expect(code).toBe(1);
    expect(text).toMatch(/rejected the request \(400 Bad Request\) on POST \/chat-gateway\/v1\/channels: .*Queue ID no-such-queue is invalid/);
  });

  it('should tell to check --base-url when the gateway cannot be reached', async () => {
    const closed = express().listen(0, '127.0.0.1');
    await once(closed, 'listening');
    const url = `http://127.0.0.1:${(closed.address() as AddressInfo).port}`;
    await new Promise((resolve) => closed.close(resolve));
    const { code, text } = await run(args({ baseUrl: url }));
    expect(code).toBe(1);
    expect(text).toMatch(new RegExp(`Could not reach the Chat Gateway at ${url} \\(refused`));
    expect(text).toMatch(/Check --base-url/);
  });

  it('should not reuse a webhook with the same URL whose version is not Chat Gateway, and create a Chat Gateway one', async () => {
    const legacyHook = { id: 'legacy-1', name: 'old chat api', uri: hookUrl, version: 'v2.0' };
    const own = await startEmulator({ port: 0, apiKey: API_KEY, queues: [{ id: 'q-support', name: 'Support' }], webhooks: [legacyHook], delivery: { retries: 0, timeoutMs: 2000 } });
    try {
      const { code, text } = await run(args({ baseUrl: own.url }));
      const ownClient = client({ baseUrl: own.url });
      const webhooks = (await ownClient.listWebhooks({ size: 100 }))._embedded.webhooks;
      const channels = (await ownClient.listChannels({ size: 100 }))._embedded.channels;
      const created = webhooks.find((w) => w.id !== 'legacy-1')!;
      expect(code).toBe(0);
      expect(text).toContain('Webhook: legacy-1 "old chat api"');
      expect(text).toContain('is version "v2.0", not Chat Gateway v1.0; leaving it as is');
      expect(text).not.toMatch(/Webhook: reusing/);
      expect(created).toMatchObject({ uri: hookUrl, version: 'Chat Gateway v1.0' });
      expect(webhooks.find((w) => w.id === 'legacy-1')).toMatchObject({ version: 'v2.0' });
      expect(channels.map((c) => c.webHookId)).toEqual([created.id]);
    } finally {
      await own.close();
    }
  });
});
