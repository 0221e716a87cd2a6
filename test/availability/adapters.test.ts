/**
 * The Tenant Schedule and real-time queue statistics adapters over real HTTP, against a local
 * server answering in each form 8x8's pages and public code show.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { ConfigurationError } from '../../src/errors';
import { queueStatsAvailability, tenantScheduleAvailability, type AvailabilityErrorReport } from '../../src/availability';

interface Seen { method: string; url: string; headers: http.IncomingHttpHeaders; body: string }

/** A local server whose answer per path the test sets; it records every request. */
async function fake8x8(): Promise<{ url: string; seen: Seen[]; answer: (path: string, status: number, body: unknown, type?: string) => void; close: () => Promise<void> }> {
  const answers = new Map<string, { status: number; body: unknown; type: string }>();
  const seen: Seen[] = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
      const a = answers.get((req.url ?? '').split('?')[0]!);
      if (!a) return void res.writeHead(404).end();
      res.writeHead(a.status, { 'content-type': a.type }).end(typeof a.body === 'string' ? a.body : JSON.stringify(a.body));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    seen,
    answer: (path, status, body, type = 'application/json') => void answers.set(path, { status, body, type }),
    close: () => new Promise((r) => server.close(() => r())),
  };
}

describe('tenantScheduleAvailability', () => {
  let api: Awaited<ReturnType<typeof fake8x8>>;
  let now = 0;
  beforeEach(async () => { api = await fake8x8(); now = 1_000_000; });
  afterEach(() => api.close());
  const STATUS = '/api/provisioning/schedules/122/status.json';
  const base = () => ({ scheduleId: 122, tenant: 'acme', dataRequestToken: 'drt', baseUrl: api.url, clock: () => now });

  it('asks the documented status endpoint with Basic tenant:token and reads status 0 as open', async () => {
    api.answer(STATUS, 200, { 'schedule-status': { status: 0 } });
    expect(await tenantScheduleAvailability(base())({ queueId: 'q', now })).toEqual({ open: true });
    expect(api.seen[0]!.headers.authorization).toBe(`Basic ${Buffer.from('acme:drt').toString('base64')}`);
    expect(api.seen[0]!.headers.accept).toBe('application/json');
  });

  it.each([
    ['-1 (closed)', { 'schedule-status': { status: -1 } }, false],
    ['"0" as a string', { 'schedule-status': { status: '0' } }, true],
    ['"Choice #2"', { 'schedule-status': { status: 'Choice #2' } }, false],
    ['XML', '<schedule-status><status>0</status></schedule-status>', true],
    ['XML closed', '<?xml version="1.0"?><schedule-status><status>-1</status></schedule-status>', false],
  ])('reads status %s', async (_name, body, open) => {
    api.answer(STATUS, 200, body, typeof body === 'string' ? 'application/xml' : 'application/json');
    expect((await tenantScheduleAvailability(base())({ queueId: 'q', now })).open).toBe(open);
  });

  it('counts configured choices as open', async () => {
    api.answer(STATUS, 200, { 'schedule-status': { status: 'Choice #1' } });
    expect((await tenantScheduleAvailability({ ...base(), alsoOpen: ['Choice #1'] })({ queueId: 'q', now })).open).toBe(true);
  });

  it('caches the answer for cacheSeconds and shares one request between concurrent checks', async () => {
    api.answer(STATUS, 200, { 'schedule-status': { status: 0 } });
    const check = tenantScheduleAvailability({ ...base(), cacheSeconds: 30 });
    await Promise.all([check({ queueId: 'a', now }), check({ queueId: 'b', now })]);
    now += 29_000;
    api.answer(STATUS, 200, { 'schedule-status': { status: -1 } });
    expect((await check({ queueId: 'a', now })).open).toBe(true);
    expect(api.seen).toHaveLength(1);
    now += 2_000;
    expect((await check({ queueId: 'a', now })).open).toBe(false);
    expect(api.seen).toHaveLength(2);
  });

  it.each([['open', true], ['closed', false]] as const)('follows whenUnreachable=%s on a 503 and reports the error', async (whenUnreachable, open) => {
    api.answer(STATUS, 503, { error: 'down' });
    const reports: AvailabilityErrorReport[] = [];
    const verdict = await tenantScheduleAvailability({ ...base(), whenUnreachable, onError: (r) => reports.push(r) })({ queueId: 'q', now });
    expect(verdict.open).toBe(open);
    expect(reports).toHaveLength(1);
    expect(reports[0]!.source).toBe('tenantSchedule');
    expect(String(reports[0]!.error)).toMatch(/503/);
  });

  it('does not cache a failure: the next check asks again', async () => {
    api.answer(STATUS, 500, 'x', 'text/plain');
    const check = tenantScheduleAvailability({ ...base(), onError: () => undefined });
    await check({ queueId: 'q', now });
    api.answer(STATUS, 200, { 'schedule-status': { status: -1 } });
    expect((await check({ queueId: 'q', now })).open).toBe(false);
  });

  it('treats an answer without a status as unreachable', async () => {
    api.answer(STATUS, 200, { something: 'else' });
    const reports: AvailabilityErrorReport[] = [];
    expect((await tenantScheduleAvailability({ ...base(), whenUnreachable: 'closed', onError: (r) => reports.push(r) })({ queueId: 'q', now })).open).toBe(false);
    expect(String(reports[0]!.error)).toMatch(/without a status/);
  });

  it('uses the gateway form with an Admin Console key', async () => {
    api.answer('/cc/v1/schedules/122/status', 200, { 'schedule-status': { status: 0 } });
    await tenantScheduleAvailability({ scheduleId: 122, tenant: 'acme', apiKey: 'k', baseUrl: api.url })({ queueId: 'q', now });
    expect(api.seen[0]!.headers['x-api-key']).toBe('k');
    expect(api.seen[0]!.headers['x-8x8-tenant']).toBe('acme');
  });

  it('fails at construction without credentials or platform', () => {
    expect(() => tenantScheduleAvailability({ scheduleId: 1, tenant: 'acme' })).toThrow(/availability\.tenantSchedule\.dataRequestToken/);
    expect(() => tenantScheduleAvailability({ scheduleId: 1, tenant: 'acme', dataRequestToken: 'x' })).toThrow(/availability\.tenantSchedule\.platform.*na4/);
    expect(() => tenantScheduleAvailability({ scheduleId: '', tenant: 'acme', apiKey: 'k' })).toThrow(ConfigurationError);
  });
});

describe('queueStatsAvailability', () => {
  let api: Awaited<ReturnType<typeof fake8x8>>;
  let now = 0;
  beforeEach(async () => {
    api = await fake8x8();
    now = 5_000_000;
    api.answer('/oauth/v2/token', 200, { access_token: 'tok-1', expires_in: '1799', issued_at: now });
  });
  afterEach(() => api.close());
  const base = () => ({ apiKey: 'key', apiSecret: 'secret', baseUrl: api.url, clock: () => now, tenantId: 'acme' });
  const Q = '/analytics/cc/v5/realtime-metrics/queues/103';

  it('gets a token with client credentials, then the queue metrics with it, and supplies position and wait', async () => {
    api.answer(Q, 200, [{ id: '103', name: 'Support', metrics: [
      { key: 'enabled.rt', value: 3 }, { key: 'interactionsWaitInQueue.rt', value: '4' }, { key: 'interactionsAvgWaitTime.int-15m', value: 90_000 },
    ] }]);
    expect(await queueStatsAvailability(base())({ queueId: '103', now })).toEqual({ open: true, position: 5, estimatedWaitSeconds: 90 });
    const [token, metrics] = api.seen;
    expect(token!.method).toBe('POST');
    expect(token!.body).toBe('grant_type=client_credentials');
    expect(token!.headers.authorization).toBe(`Basic ${Buffer.from('key:secret').toString('base64')}`);
    expect(metrics!.headers.authorization).toBe('Bearer tok-1');
    expect(metrics!.headers['x-tenant-info']).toBe('acme');
    expect(metrics!.url).toContain('metrics=enabled.rt');
  });

  it('refuses with noAgents when nobody is logged in (bare-object form)', async () => {
    api.answer(Q, 200, { id: '103', metrics: [{ key: 'enabled.rt', value: '0' }] });
    expect(await queueStatsAvailability(base())({ queueId: '103', now })).toEqual({ open: false, reason: 'noAgents' });
  });

  it('reuses the token until a minute before it expires', async () => {
    api.answer(Q, 200, [{ metrics: [{ key: 'enabled.rt', value: 1 }] }]);
    const check = queueStatsAvailability({ ...base(), cacheSeconds: 0 });
    await check({ queueId: '103', now });
    now += 1_000_000;
    await check({ queueId: '103', now });
    expect(api.seen.filter((s) => s.url === '/oauth/v2/token')).toHaveLength(1);
    now += 800_000; // past 1799 - 60 s
    await check({ queueId: '103', now });
    expect(api.seen.filter((s) => s.url === '/oauth/v2/token')).toHaveLength(2);
  });

  it('maps queue ids and uses the regional path', async () => {
    api.answer('/eu/analytics/cc/v5/realtime-metrics/queues/77', 200, [{ metrics: [{ key: 'enabled.rt', value: 1 }] }]);
    expect((await queueStatsAvailability({ ...base(), region: 'eu', queueIdFor: () => '77' })({ queueId: 'support', now })).open).toBe(true);
  });

  it('falls back and reports when the metrics call fails', async () => {
    api.answer(Q, 500, 'boom', 'text/plain');
    const reports: AvailabilityErrorReport[] = [];
    expect(await queueStatsAvailability({ ...base(), onError: (r) => reports.push(r) })({ queueId: '103', now })).toEqual({ open: true });
    expect(reports.map((r) => r.source)).toEqual(['queueStats']);
  });

  it('fails at construction without key or secret', () => {
    expect(() => queueStatsAvailability({ apiKey: '', apiSecret: 's' })).toThrow(/availability\.queueStats\.apiKey/);
    expect(() => queueStatsAvailability({ apiKey: 'k', apiSecret: '' })).toThrow(/availability\.queueStats\.apiSecret/);
  });
});
