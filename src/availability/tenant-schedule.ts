/**
 * An availability check backed by 8x8's Tenant Schedule API (`../shared/8x8/SCHEDULE-AND-STATS.md`
 * section 1): it asks `/schedules/{id}/status` and treats status `0` as open, so 8x8 keeps owning
 * time zones, intra-day periods and holidays. Answers are cached; when 8x8 cannot be reached the
 * configured fallback is used and the error reported, because a schedule outage must not strand
 * users (or flood agents) silently.
 */
import axios, { type AxiosInstance } from 'axios';
import { ConfigurationError } from '../errors';
import { TtlCache } from './ttl-cache';
import type { AvailabilityCheck, AvailabilityErrorReport, AvailabilityFallback, AvailabilityVerdict } from './types';

/** Options of {@link tenantScheduleAvailability}. */
export interface TenantScheduleOptions {
  /** The schedule's id (as listed by `GET /schedules`). Required. */
  scheduleId: string | number;
  /** The contact-center tenant name (Basic user, or `X-8x8-Tenant` with `apiKey`). Required. */
  tenant: string;
  /**
   * The Data Request Token (Configuration Manager > Integration > API Token): selects the
   * documented `https://vcc-{platform}.8x8.com/api/provisioning/` API with HTTP Basic auth.
   */
  dataRequestToken?: string;
  /** The cluster of the tenant's Configuration Manager URL, e.g. `na4`, `eu3`. Needed with `dataRequestToken` unless `baseUrl` is set. */
  platform?: string;
  /**
   * An Admin Console API key instead: selects the gateway form `https://api.8x8.com/cc/v1/schedules/{id}/status`
   * with `x-api-key` (public code uses it; no 8x8 page documents it).
   */
  apiKey?: string;
  /** Overrides the base URL (the emulator, a proxy). */
  baseUrl?: string;
  /** How long an answer is reused, in seconds. Default 60. */
  cacheSeconds?: number;
  /** What to assume when 8x8 cannot be reached. Default `open` (8x8's own queue still applies). */
  whenUnreachable?: AvailabilityFallback;
  /** Statuses that count as open besides `0` (e.g. `"Choice #1"`, for a schedule that routes chats on a choice). */
  alsoOpen?: ReadonlyArray<string | number>;
  /** Per-request timeout in ms. Default 5_000. */
  timeoutMs?: number;
  /** Called when a request fails and the fallback was used. */
  onError?: (report: AvailabilityErrorReport) => void;
  /** Clock for the cache. Default `Date.now`. */
  clock?: () => number;
  /** An axios instance to use (tests, proxies). */
  axiosInstance?: AxiosInstance;
}

/** The status value of a schedule-status answer in any of the forms public code shows (JSON or XML). */
export function scheduleStatusOf(body: unknown): string | number | undefined {
  if (typeof body === 'string') {
    const xml = /<status>\s*([^<]*?)\s*<\/status>/i.exec(body);
    if (xml) return xml[1];
    try {
      return scheduleStatusOf(JSON.parse(body));
    } catch {
      return undefined;
    }
  }
  if (body && typeof body === 'object') {
    const o = body as Record<string, unknown>;
    const inner = (o['schedule-status'] ?? o.scheduleStatus ?? o) as Record<string, unknown> | undefined;
    const status = inner && typeof inner === 'object' ? inner.status : undefined;
    if (typeof status === 'number' || typeof status === 'string') return status;
  }
  return undefined;
}

/** Whether a status means open: `0` (number or string) or `Open`, or one of `alsoOpen`. */
export function isOpenStatus(status: string | number, alsoOpen: ReadonlyArray<string | number> = []): boolean {
  const text = String(status).trim();
  if (text === '0' || text.toLowerCase() === 'open') return true;
  return alsoOpen.some((s) => String(s).trim().toLowerCase() === text.toLowerCase());
}

function validate(options: TenantScheduleOptions): void {
  const o = 'availability.tenantSchedule';
  if (options.scheduleId === undefined || String(options.scheduleId).trim() === '') {
    throw new ConfigurationError(`${o}.scheduleId`, 'is required', 'Give the schedule id listed by GET /api/provisioning/schedules.');
  }
  if (!options.tenant) throw new ConfigurationError(`${o}.tenant`, 'is required', 'Give the contact-center tenant name.');
  if (!options.dataRequestToken && !options.apiKey) {
    throw new ConfigurationError(`${o}.dataRequestToken`, 'is missing (and so is apiKey)', 'Give the Data Request Token from Configuration Manager > Integration > API Token, or an Admin Console apiKey.');
  }
  if (options.dataRequestToken && !options.apiKey && !options.platform && !options.baseUrl) {
    throw new ConfigurationError(`${o}.platform`, 'is required with dataRequestToken', 'Give the cluster from your Configuration Manager URL, e.g. "na4" for vcc-na4.8x8.com.');
  }
  if (options.cacheSeconds !== undefined && !(options.cacheSeconds >= 0)) {
    throw new ConfigurationError(`${o}.cacheSeconds`, `must be 0 or more, got ${options.cacheSeconds}`, 'Use a number of seconds such as 60.');
  }
}

/** The request for the status of one schedule, in the form the credentials select. */
function statusRequest(options: TenantScheduleOptions): { url: string; headers: Record<string, string> } {
  const id = encodeURIComponent(String(options.scheduleId));
  if (options.apiKey) {
    const base = (options.baseUrl ?? 'https://api.8x8.com').replace(/\/+$/, '');
    return { url: `${base}/cc/v1/schedules/${id}/status`, headers: { 'x-api-key': options.apiKey, 'X-8x8-Tenant': options.tenant, accept: 'application/json' } };
  }
  const base = (options.baseUrl ?? `https://vcc-${options.platform}.8x8.com`).replace(/\/+$/, '');
  const basic = Buffer.from(`${options.tenant}:${options.dataRequestToken}`).toString('base64');
  return { url: `${base}/api/provisioning/schedules/${id}/status.json`, headers: { authorization: `Basic ${basic}`, accept: 'application/json' } };
}

/**
 * An {@link AvailabilityCheck} that asks 8x8's Tenant Schedule API whether the contact center is
 * open. Throws `ConfigurationError` at construction for missing credentials or ids.
 */
export function tenantScheduleAvailability(options: TenantScheduleOptions): AvailabilityCheck {
  validate(options);
  const http = options.axiosInstance ?? axios.create();
  const request = statusRequest(options);
  const cache = new TtlCache<AvailabilityVerdict>((options.cacheSeconds ?? 60) * 1000, options.clock ?? Date.now);
  const fallback: AvailabilityVerdict = (options.whenUnreachable ?? 'open') === 'open' ? { open: true } : { open: false, reason: 'closed' };

  const load = async (): Promise<AvailabilityVerdict> => {
    const res = await http.get<unknown>(request.url, { headers: request.headers, timeout: options.timeoutMs ?? 5_000, responseType: 'text', transformResponse: (x: unknown) => x });
    const status = scheduleStatusOf(res.data);
    if (status === undefined) throw new Error(`8x8 Tenant Schedule answered without a status: ${String(res.data).slice(0, 200)}`);
    return isOpenStatus(status, options.alsoOpen) ? { open: true } : { open: false, reason: 'closed' };
  };

  return async () => {
    try {
      return await cache.get('status', load);
    } catch (error) {
      options.onError?.({ source: 'tenantSchedule', error, fallback });
      return fallback;
    }
  };
}
