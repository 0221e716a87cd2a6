/**
 * What operators scrape and probe: `/metrics` (Prometheus text, from the handoff's metrics; behind
 * a bearer token when `METRICS_TOKEN` is set) and `/healthz` (readiness: 200 only when the handoff
 * Storage answers a read and the 8x8 circuit breaker is not open; 503 with the failing check named
 * otherwise; always open, as load balancers probe without credentials).
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { Router, type RequestHandler } from 'express';
import type { Storage } from 'botbuilder';
import type { HandoffMetrics } from 'botbuilder-8x8-handoff';

/** What the routes check. */
export interface OpsRoutesOptions {
  metrics: HandoffMetrics;
  storage: Storage;
  gateway: { breakerState: string };
  /** How long the storage read may take before the check fails. Default 2000 ms. */
  storageTimeoutMs?: number;
  /** When set, `/metrics` answers only `Authorization: Bearer <metricsToken>` (Prometheus `authorization.credentials`). */
  metricsToken?: string;
}

/** The probe key read by the storage check (never written). */
export const HEALTH_KEY = '8x8-handoff/healthz';

/** Mounts `/metrics` and `/healthz`. */
export function opsRoutes(options: OpsRoutesOptions): Router {
  const router = Router();
  const metrics = options.metrics.handler();
  router.get('/metrics', options.metricsToken ? bearer(options.metricsToken, metrics) : metrics);
  router.get('/healthz', async (_req, res) => {
    const [storage, breaker] = await Promise.all([checkStorage(options.storage, options.storageTimeoutMs ?? 2000), checkBreaker(options.gateway)]);
    const ok = storage.ok && breaker.ok;
    res.status(ok ? 200 : 503).json({ status: ok ? 'ok' : 'unavailable', checks: { storage, gateway: breaker } });
  });
  return router;
}

async function checkStorage(storage: Storage, timeoutMs: number): Promise<{ ok: boolean; error?: string }> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer in ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    await Promise.race([storage.read([HEALTH_KEY]), timeout]);
    return { ok: true };
  } catch (error) {
    return { ok: false, error: error instanceof Error ? error.message : String(error) };
  } finally {
    clearTimeout(timer);
  }
}

function checkBreaker(gateway: { breakerState: string }): { ok: boolean; breaker: string } {
  // half-open lets a probe through: the instance can still serve, so only `open` is unready.
  return { ok: gateway.breakerState !== 'open', breaker: gateway.breakerState };
}

/** `handler` behind `Authorization: Bearer <token>`; anything else gets a 401 that says what is expected. */
function bearer(token: string, handler: RequestHandler): RequestHandler {
  // Comparing digests keeps the comparison constant-time whatever the length of what was sent.
  const expected = createHash('sha256').update(token).digest();
  return (req, res, next) => {
    const sent = /^Bearer\s+(\S+)\s*$/i.exec(req.get('authorization') ?? '')?.[1];
    if (sent !== undefined && timingSafeEqual(createHash('sha256').update(sent).digest(), expected)) return handler(req, res, next);
    res.set('WWW-Authenticate', 'Bearer realm="metrics"').status(401).type('text').send('/metrics needs Authorization: Bearer <METRICS_TOKEN>\n');
  };
}
