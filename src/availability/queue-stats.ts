/**
 * An availability check backed by 8x8's Analytics for Contact Center real-time metrics API
 * (`../shared/8x8/SCHEDULE-AND-STATS.md` section 2a): it refuses when no agent is logged in to the
 * queue, and otherwise supplies the user's place in the queue and, when 8x8 has it, an average wait.
 * The OAuth token is cached until shortly before it expires; answers are cached briefly because
 * 8x8 refreshes the figures only every 5 s.
 */
import axios, { type AxiosInstance } from 'axios';
import { ConfigurationError } from '../errors';
import { TtlCache } from './ttl-cache';
import type { AvailabilityCheck, AvailabilityErrorReport, AvailabilityFallback, AvailabilityVerdict } from './types';

/** Options of {@link queueStatsAvailability}. */
export interface QueueStatsOptions {
  /** Admin Console API key with the "analytics realtime-api" product. Required. */
  apiKey: string;
  /** Its secret (the OAuth client-credentials grant needs it). Required. */
  apiSecret: string;
  /** Region of the metrics API: `us` (default), `eu`, `au` or `ca`. */
  region?: 'us' | 'eu' | 'au' | 'ca';
  /** Sent as `X-Tenant-Info`; 8x8 needs it when the organisation has several tenants. */
  tenantId?: string;
  /** Overrides `https://api.8x8.com` (the emulator, a proxy). */
  baseUrl?: string;
  /** Maps the middleware's queue id to the numeric 8x8 queue id, when they differ. */
  queueIdFor?: (queueId: string) => string;
  /** How long figures are reused, in seconds. Default 5 (8x8 refreshes every 5 s). */
  cacheSeconds?: number;
  /** What to assume when 8x8 cannot be reached. Default `open`. */
  whenUnreachable?: AvailabilityFallback;
  /** Per-request timeout in ms. Default 5_000. */
  timeoutMs?: number;
  /** Called when a request fails and the fallback was used. */
  onError?: (report: AvailabilityErrorReport) => void;
  /** Clock for the caches. Default `Date.now`. */
  clock?: () => number;
  /** An axios instance to use (tests, proxies). */
  axiosInstance?: AxiosInstance;
}

/** The figures this check reads, by 8x8's metric keys. */
export const QUEUE_METRICS = ['enabled.rt', 'availableIdle.rt', 'interactionsWaitInQueue.rt', 'interactionsAvgWaitTime.int-15m'] as const;

/**
 * The metrics of one queue from an answer in either documented form (a one-element array in the
 * guide, a bare object in the OpenAPI file), values coerced to numbers (8x8 sends some as strings).
 */
export function queueMetricsOf(body: unknown): Record<string, number> {
  const queue = Array.isArray(body) ? body[0] : body;
  const metrics = (queue as { metrics?: unknown } | undefined)?.metrics;
  const out: Record<string, number> = {};
  if (!Array.isArray(metrics)) return out;
  for (const m of metrics as Array<{ key?: unknown; value?: unknown }>) {
    const value = typeof m.value === 'number' ? m.value : typeof m.value === 'string' ? Number(m.value) : NaN;
    if (typeof m.key === 'string' && Number.isFinite(value)) out[m.key] = value;
  }
  return out;
}

/** The verdict the figures give: nobody logged in refuses; otherwise the next place in the queue. */
export function verdictFromMetrics(metrics: Record<string, number>): AvailabilityVerdict {
  const enabled = metrics['enabled.rt'];
  if (enabled !== undefined && enabled <= 0) return { open: false, reason: 'noAgents' };
  const verdict: AvailabilityVerdict = { open: true };
  const waiting = metrics['interactionsWaitInQueue.rt'];
  if (waiting !== undefined) verdict.position = waiting + 1;
  // 8x8 documents no estimated wait; the 15-minute average (ms, by the API's other durations) is the closest figure.
  const avg = metrics['interactionsAvgWaitTime.int-15m'];
  if (avg !== undefined && avg > 0) verdict.estimatedWaitSeconds = Math.round(avg / 1000);
  return verdict;
}

const REGION_PATH: Record<NonNullable<QueueStatsOptions['region']>, string> = { us: '', eu: '/eu', au: '/au', ca: '/ca' };

/**
 * An {@link AvailabilityCheck} from 8x8's real-time queue metrics. Throws `ConfigurationError` at
 * construction when the key or secret is missing.
 */
export function queueStatsAvailability(options: QueueStatsOptions): AvailabilityCheck {
  const o = 'availability.queueStats';
  if (!options.apiKey) throw new ConfigurationError(`${o}.apiKey`, 'is required', 'Create an Admin Console API key with the "analytics realtime-api" product.');
  if (!options.apiSecret) throw new ConfigurationError(`${o}.apiSecret`, 'is required', "Give the API key's secret; the OAuth token request needs it.");
  const http = options.axiosInstance ?? axios.create();
  const clock = options.clock ?? Date.now;
  const base = (options.baseUrl ?? 'https://api.8x8.com').replace(/\/+$/, '');
  const metricsBase = `${base}${REGION_PATH[options.region ?? 'us']}/analytics/cc/v5/realtime-metrics`;
  const timeout = options.timeoutMs ?? 5_000;
  const fallback: AvailabilityVerdict = (options.whenUnreachable ?? 'open') === 'open' ? { open: true } : { open: false, reason: 'noAgents' };
  let token: { value: string; until: number } | undefined;
  const figures = new TtlCache<AvailabilityVerdict>((options.cacheSeconds ?? 5) * 1000, clock);

  const bearer = async (): Promise<string> => {
    if (token && token.until > clock()) return token.value;
    const basic = Buffer.from(`${options.apiKey}:${options.apiSecret}`).toString('base64');
    const res = await http.post<{ access_token?: string; expires_in?: string | number }>(`${base}/oauth/v2/token`, 'grant_type=client_credentials', {
      headers: { authorization: `Basic ${basic}`, 'content-type': 'application/x-www-form-urlencoded' }, timeout,
    });
    if (!res.data.access_token) throw new Error('8x8 OAuth answered without an access_token');
    // Renew a minute early so a token never expires between the check and the call.
    const lifetime = Math.max(0, Number(res.data.expires_in ?? 1800) - 60) * 1000;
    token = { value: res.data.access_token, until: clock() + lifetime };
    return token.value;
  };

  const load = async (queueId: string): Promise<AvailabilityVerdict> => {
    const headers: Record<string, string> = { authorization: `Bearer ${await bearer()}`, accept: 'application/json' };
    if (options.tenantId) headers['X-Tenant-Info'] = options.tenantId;
    const res = await http.get<unknown>(`${metricsBase}/queues/${encodeURIComponent(queueId)}`, { headers, params: { metrics: QUEUE_METRICS.join(',') }, timeout });
    return verdictFromMetrics(queueMetricsOf(res.data));
  };

  return async ({ queueId, inQueue }) => {
    const id = options.queueIdFor ? options.queueIdFor(queueId) : queueId;
    try {
      const verdict = await figures.get(id, () => load(id));
      // A waiting user is among the interactions waiting: their place is the count, not one more.
      return inQueue && verdict.open && verdict.position !== undefined ? { ...verdict, position: Math.max(1, verdict.position - 1) } : verdict;
    } catch (error) {
      if (axios.isAxiosError(error) && error.response?.status === 401) token = undefined;
      options.onError?.({ source: 'queueStats', error, fallback });
      return fallback;
    }
  };
}
