/**
 * {@link HttpJwkSource}: fetches 8x8's public keys over HTTP, caches them, and keeps a forged or
 * unknown `kid` from turning every request into a call to 8x8.
 */
import type { KeyLike } from 'jose';
import { ConfigurationError } from '../errors';
import { importRsaPublicJwk, isPlausibleKid, JwkUnavailableError, type JwkSource } from './jwk-source';

/** Fetches one JWK document: resolves the parsed JSON, `undefined` on 404, rejects otherwise. */
export type FetchJwk = (url: string, timeoutMs: number) => Promise<unknown>;

/** Options of {@link HttpJwkSource}. */
export interface HttpJwkSourceOptions {
  /** Where the keys live; never taken from request data. Default `https://api.8x8.com`. */
  baseUrl?: string;
  /** Fetches one key document. Default: Node's global `fetch`, responses capped at 64 KiB. */
  fetchJwk?: FetchJwk;
  /** Epoch-ms clock. Default `Date.now`. */
  clock?: () => number;
  /** How long an unknown or failed kid is remembered before it is fetched again. Default 60 000. */
  unknownKidRefetchMs?: number;
  /** Per-fetch timeout. Default 5 000. */
  timeoutMs?: number;
  /** Bound on cached kids (8x8 rotates rarely; forged kids are never cached as keys). Default 100. */
  maxKeys?: number;
  /**
   * Fetches of not-yet-cached kids allowed per `unknownKidRefetchMs` window, across all kids.
   * A flood of forged requests, each with a new made-up kid, then costs 8x8 a handful of calls
   * instead of one per request. Default 10.
   */
  maxUnknownKidFetches?: number;
}

type Miss = { until: number; error?: JwkUnavailableError };

const MAX_JWK_BYTES = 64 * 1024;

/** The default {@link FetchJwk}: global fetch, JSON, 404 means "no such key". */
export const fetchJwkWithFetch: FetchJwk = async (url, timeoutMs) => {
  const response = await fetch(url, { signal: AbortSignal.timeout(timeoutMs), headers: { accept: 'application/json' } });
  if (response.status === 404) {
    await response.body?.cancel();
    return undefined;
  }
  if (!response.ok) {
    await response.body?.cancel();
    throw new Error(`HTTP ${response.status}`);
  }
  const text = await response.text();
  if (text.length > MAX_JWK_BYTES) throw new Error('key document too large');
  return JSON.parse(text) as unknown;
};

/**
 * Fetches `{baseUrl}/chat-gateway/v1/jwk/{kid}/public`, imports it for RS256 and caches it for
 * the life of the process. An unknown or failed kid is fetched again at most once per
 * `unknownKidRefetchMs`; concurrent first requests for one kid share one fetch.
 */
export class HttpJwkSource implements JwkSource {
  private readonly options: Required<HttpJwkSourceOptions>;
  private readonly keys = new Map<string, KeyLike>();
  private readonly misses = new Map<string, Miss>();
  private readonly inFlight = new Map<string, Promise<KeyLike | undefined>>();
  // Start times of recent fetches for uncached kids: the global budget's sliding window.
  private recentFetches: number[] = [];

  constructor(options: HttpJwkSourceOptions = {}) {
    this.options = resolveOptions(options);
  }

  /** See {@link JwkSource.getKey}. */
  async getKey(kid: string): Promise<KeyLike | undefined> {
    const cached = this.keys.get(kid);
    if (cached) return cached;
    if (!isPlausibleKid(kid)) return undefined;
    const miss = this.misses.get(kid);
    if (miss && miss.until > this.options.clock()) {
      if (miss.error) throw miss.error;
      return undefined;
    }
    let pending = this.inFlight.get(kid);
    if (!pending) {
      // Over budget: answer "unknown" without remembering the kid, so a real new key is fetched
      // as soon as the window has room again.
      if (!this.takeFetchBudget()) return undefined;
      pending = this.fetchKey(kid).finally(() => this.inFlight.delete(kid));
      this.inFlight.set(kid, pending);
    }
    return pending;
  }

  private async fetchKey(kid: string): Promise<KeyLike | undefined> {
    const { baseUrl, fetchJwk, timeoutMs } = this.options;
    const url = `${baseUrl}/chat-gateway/v1/jwk/${encodeURIComponent(kid)}/public`;
    let key: KeyLike | undefined;
    try {
      const jwk = await fetchJwk(url, timeoutMs);
      key = jwk === undefined ? undefined : await importRsaPublicJwk(jwk);
    } catch (cause) {
      const error = new JwkUnavailableError(kid, cause instanceof Error ? cause.message : String(cause), { cause });
      this.remember(this.misses, kid, { until: this.options.clock() + this.options.unknownKidRefetchMs, error });
      throw error;
    }
    if (!key) {
      this.remember(this.misses, kid, { until: this.options.clock() + this.options.unknownKidRefetchMs });
      return undefined;
    }
    this.misses.delete(kid);
    this.remember(this.keys, kid, key);
    return key;
  }

  private takeFetchBudget(): boolean {
    const now = this.options.clock();
    this.recentFetches = this.recentFetches.filter((at) => at > now - this.options.unknownKidRefetchMs);
    if (this.recentFetches.length >= this.options.maxUnknownKidFetches) return false;
    this.recentFetches.push(now);
    return true;
  }

  // Insertion-ordered maps evict their oldest entry first: enough for a handful of real kids.
  private remember<V>(map: Map<string, V>, kid: string, value: V): void {
    map.delete(kid);
    map.set(kid, value);
    const limit = map === this.keys ? this.options.maxKeys : this.options.maxKeys * 100;
    while (map.size > limit) map.delete(map.keys().next().value as string);
  }
}

function resolveOptions(options: HttpJwkSourceOptions): Required<HttpJwkSourceOptions> {
  const baseUrl = (options.baseUrl ?? 'https://api.8x8.com').replace(/\/+$/, '');
  if (!/^https?:\/\/[^/?#]+(\/[^?#]*)?$/.test(baseUrl)) {
    throw new ConfigurationError('baseUrl', `${JSON.stringify(options.baseUrl)} is not an http(s) URL`, 'Use e.g. https://api.8x8.com.');
  }
  const resolved = {
    baseUrl,
    fetchJwk: options.fetchJwk ?? fetchJwkWithFetch,
    clock: options.clock ?? Date.now,
    unknownKidRefetchMs: options.unknownKidRefetchMs ?? 60_000,
    timeoutMs: options.timeoutMs ?? 5_000,
    maxKeys: options.maxKeys ?? 100,
    maxUnknownKidFetches: options.maxUnknownKidFetches ?? 10,
  };
  for (const name of ['unknownKidRefetchMs', 'timeoutMs', 'maxKeys', 'maxUnknownKidFetches'] as const) {
    const value = resolved[name];
    if (!Number.isFinite(value) || value <= 0) {
      throw new ConfigurationError(name, `must be a positive number, got ${String(value)}`, `Pass a positive ${name} or leave it out for the default.`);
    }
  }
  return resolved;
}
