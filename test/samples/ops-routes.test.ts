/**
 * The sample's `/metrics` and `/healthz` over real HTTP: the running sample, and the readiness
 * checks failing one at a time (a Storage that errors or hangs, an open 8x8 breaker).
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { MemoryStorage, type Storage } from 'botbuilder';
import { startSample, type RunningSample } from '../../samples/echo-to-agent/src/start-sample';
import { opsRoutes } from '../../samples/echo-to-agent/src/ops-routes';
import { createHandoffMetrics } from '../../src/observability';
import { silentLogger } from '../../src/logger';

describe('the running sample', () => {
  let sample: RunningSample;
  beforeAll(async () => {
    sample = await startSample({ env: {}, port: 0, emulatorPort: 0, logger: silentLogger, out: () => undefined });
  });
  afterAll(async () => sample?.close());

  it('should serve the handoff metrics in Prometheus text format on /metrics', async () => {
    const res = await fetch(`${sample.url.replace('localhost', '127.0.0.1')}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/text\/plain/);
    const text = await res.text();
    for (const name of ['handoff_started_total', 'handoff_failed_total', 'handoff_completed_total', 'handoff_queue_wait_seconds', 'handoff_time_to_agent_seconds',
      'handoff_webhook_responses_total', 'handoff_relay_latency_seconds', 'handoff_gateway_errors_total', 'handoff_outbox_depth', 'handoff_process_resident_memory_bytes']) {
      expect(text).toContain(`# TYPE ${name}`);
    }
    expect(text).toContain('handoff_gateway_breaker_state{state="closed"} 1');
  });

  it('should answer /healthz with 200 when the storage answers and the breaker is closed', async () => {
    const res = await fetch(`${sample.url.replace('localhost', '127.0.0.1')}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok', checks: { storage: { ok: true }, gateway: { ok: true, breaker: 'closed' } } });
  });
});

describe('the running sample with METRICS_TOKEN', () => {
  const token = 'scrape-token-0123456789abcdef';
  let sample: RunningSample;
  beforeAll(async () => {
    sample = await startSample({ env: { METRICS_TOKEN: token }, port: 0, emulatorPort: 0, logger: silentLogger, out: () => undefined });
  });
  afterAll(async () => sample?.close());
  const get = (path: string, authorization?: string) => fetch(`${sample.url.replace('localhost', '127.0.0.1')}${path}`, { headers: authorization ? { authorization } : {} });

  it('should answer /metrics only with the bearer token, and 401 saying what it expects otherwise', async () => {
    for (const authorization of [undefined, 'Bearer wrong-token-0123456789abcdef', `Basic ${Buffer.from(`x:${token}`).toString('base64')}`, `Bearer ${token}x`, `Bearer ${token.slice(0, -1)}`]) {
      const res = await get('/metrics', authorization);
      expect(res.status).toBe(401);
      expect(res.headers.get('www-authenticate')).toBe('Bearer realm="metrics"');
      const body = await res.text();
      expect(body).toContain('METRICS_TOKEN');
      expect(body).not.toContain('handoff_started_total');
    }
    const ok = await get('/metrics', `Bearer ${token}`);
    expect(ok.status).toBe(200);
    expect(await ok.text()).toContain('# TYPE handoff_started_total');
  });

  it('should leave /healthz open (load balancers probe without credentials)', async () => {
    expect((await get('/healthz')).status).toBe(200);
  });
});

describe('opsRoutes() readiness', () => {
  async function probe(storage: Storage, breakerState: string): Promise<{ status: number; body: { checks: Record<string, { ok: boolean; error?: string }> } }> {
    const app = express().use(opsRoutes({ metrics: createHandoffMetrics({ processMetrics: false }), storage, gateway: { breakerState }, storageTimeoutMs: 200 }));
    const server = http.createServer(app);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const res = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/healthz`);
      return { status: res.status, body: await res.json() };
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  }

  const failing: Storage = { read: () => Promise.reject(new Error('connection refused')), write: async () => undefined, delete: async () => undefined };
  const hanging: Storage = { read: () => new Promise(() => undefined), write: async () => undefined, delete: async () => undefined };

  it('should answer 503 naming the storage when a read fails', async () => {
    const res = await probe(failing, 'closed');
    expect(res.status).toBe(503);
    expect(res.body.checks.storage).toEqual({ ok: false, error: 'connection refused' });
  });

  it('should answer 503 when the storage does not answer in time', async () => {
    const res = await probe(hanging, 'closed');
    expect(res.status).toBe(503);
    expect(res.body.checks.storage.error).toMatch(/no answer in 200 ms/);
  });

  it('should answer 503 while the 8x8 breaker is open and 200 while it is half-open', async () => {
    expect((await probe(new MemoryStorage(), 'open')).status).toBe(503);
    expect((await probe(new MemoryStorage(), 'half-open')).status).toBe(200);
  });
});
