/**
 * The emulator's contact-center APIs, through the package's own availability adapters over real
 * HTTP: the Tenant Schedule switch and hours on the emulator's clock, OAuth plus queue figures, and
 * the console controls.
 */
import { startEmulator, EMULATOR_API_SECRET, EMULATOR_DATA_REQUEST_TOKEN, type Emulator } from '../../src/emulator';
import { queueStatsAvailability, tenantScheduleAvailability } from '../../src/availability';
import { ChatGatewayClient } from '../../src/gateway';
import { silentLogger } from '../../src/logger';

describe('emulated contact center', () => {
  let emulator: Emulator;
  let now = Date.parse('2026-12-07T12:00:00Z'); // a Monday
  beforeAll(async () => {
    emulator = await startEmulator({
      port: 0, webhookUrl: 'http://127.0.0.1:9/unused', delivery: { retries: 0, baseDelayMs: 1 },
      queues: [{ id: 'support', name: 'Support' }, { id: 'billing', name: 'Billing' }],
      agents: [{ id: 'agent-1', name: 'Alice Agent' }, { id: 'agent-2', name: 'Bob Agent', queueIds: ['support'] }],
      clock: { now: () => now },
    });
  });
  afterAll(() => emulator.close());
  afterEach(() => emulator.contactCenter.setOpenMode('open'));

  const schedule = () => tenantScheduleAvailability({ scheduleId: 1, tenant: 'emulator-tenant', dataRequestToken: EMULATOR_DATA_REQUEST_TOKEN, baseUrl: emulator.url, cacheSeconds: 0, onError: (r) => { throw r.error; } });
  const stats = () => queueStatsAvailability({ apiKey: 'emulator-api-key', apiSecret: EMULATOR_API_SECRET, baseUrl: emulator.url, cacheSeconds: 0, clock: () => now, onError: (r) => { throw r.error; } });

  it('answers the Tenant Schedule status from its switch (Basic and /cc/v1 forms)', async () => {
    expect(await schedule()({ queueId: 'support', now })).toEqual({ open: true });
    emulator.contactCenter.setOpenMode('closed');
    expect(await schedule()({ queueId: 'support', now })).toEqual({ open: false, reason: 'closed' });
    const keyed = tenantScheduleAvailability({ scheduleId: 1, tenant: 'emulator-tenant', apiKey: 'emulator-api-key', baseUrl: emulator.url, cacheSeconds: 0 });
    expect((await keyed({ queueId: 'support', now })).open).toBe(false);
  });

  it('refuses a wrong Data Request Token with 401 (the adapter falls back and reports it)', async () => {
    const reports: unknown[] = [];
    const wrong = tenantScheduleAvailability({ scheduleId: 1, tenant: 'emulator-tenant', dataRequestToken: 'nope', baseUrl: emulator.url, whenUnreachable: 'closed', onError: (r) => reports.push(r.error) });
    expect((await wrong({ queueId: 'support', now })).open).toBe(false);
    expect(String(reports[0])).toMatch(/401/);
  });

  it('reports queue figures: waiting count as position, nobody logged in as noAgents', async () => {
    expect(await stats()({ queueId: 'billing', now })).toEqual({ open: true, position: 1 });
    const gateway = new ChatGatewayClient({ apiKey: 'emulator-api-key', baseUrl: emulator.url, logger: silentLogger });
    await gateway.createConversation({ channelId: emulator.channelId, user: { userId: 'u1', name: 'U' }, assignment: { type: 'queue', id: 'billing' } });
    await emulator.waitForConversation((c) => c.user.userId === 'u1' && c.status === 'queued');
    expect(await stats()({ queueId: 'billing', now })).toEqual({ open: true, position: 2 });
    emulator.contactCenter.setPresence('agent-1', false);
    expect(await stats()({ queueId: 'billing', now })).toEqual({ open: false, reason: 'noAgents' });
    expect((await stats()({ queueId: 'support', now })).open).toBe(true); // Bob is still in support
    emulator.contactCenter.setPresence('agent-1', true);
  });

  it('lets the console flip the switch and log agents out', async () => {
    const post = (path: string, body: unknown) => fetch(`${emulator.url}/console/api/contact-center${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    expect((await post('/open', { mode: 'closed' })).status).toBe(200);
    expect(await (await fetch(`${emulator.url}/console/api/contact-center`)).json()).toEqual({ mode: 'closed', open: false });
    expect((await post('/open', { mode: 'sometimes' })).status).toBe(400);
    expect((await post('/open', { mode: 'schedule' })).status).toBe(409); // no hours configured
    expect((await post('/agents/agent-2/presence', { loggedIn: false })).status).toBe(200);
    expect(emulator.contactCenter.isLoggedIn('agent-2')).toBe(false);
    await post('/agents/agent-2/presence', { loggedIn: true });
  });

  it('follows configured opening hours on its own clock', async () => {
    const scheduled = await startEmulator({ port: 0, clock: { now: () => now }, schedule: { timeZone: 'Europe/London', weekly: { mon: [['09:00', '17:00']] } } });
    try {
      const check = tenantScheduleAvailability({ scheduleId: 1, tenant: 'emulator-tenant', dataRequestToken: EMULATOR_DATA_REQUEST_TOKEN, baseUrl: scheduled.url, cacheSeconds: 0 });
      now = Date.parse('2026-12-07T12:00:00Z');
      expect((await check({ queueId: 'support', now })).open).toBe(true);
      now = Date.parse('2026-12-07T18:00:00Z');
      expect((await check({ queueId: 'support', now })).open).toBe(false);
    } finally {
      now = Date.parse('2026-12-07T12:00:00Z');
      await scheduled.close();
    }
  });
});
