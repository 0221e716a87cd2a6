/**
 * The emulator's options, their defaults (resolved once, here) and their validation. Bad values
 * are rejected with a {@link ConfigurationError} before any socket is opened.
 */
import type { WeeklyScheduleInput } from '../availability';
import { ConfigurationError } from '../errors';
import type { Channel, Webhook } from '../gateway/types';
import type { Logger } from '../logger';
import { silentLogger } from '../logger';
import { FIDELITY_PROFILES, isFidelityProfile, type FidelityProfile } from './delivery/fidelity';
import { type EmulatorFaults, validateFaults } from './faults';

/** A queue the emulator routes conversations to. */
export interface EmulatorQueue {
  id: string;
  name: string;
}

/** An agent of the emulated contact center. */
export interface EmulatorAgentOptions {
  id: string;
  name: string;
  /** Queues this agent takes conversations from. Default: every queue. */
  queueIds?: string[];
}

/** How the emulator delivers webhook events. */
export interface DeliveryOptions {
  /** Per-attempt HTTP timeout in ms. Default 5000. */
  timeoutMs?: number;
  /** Retries after the first attempt (so `retries + 1` attempts at most). Default 5. */
  retries?: number;
  /** Backoff before retry n is `baseDelayMs * 2^(n-1)`. Default 500. */
  baseDelayMs?: number;
}

/** A clock, injectable so tests can pin timestamps. */
export interface EmulatorClock {
  /** Epoch milliseconds. */
  now(): number;
}

/** Options of {@link startEmulator}. Every field is optional. */
export interface EmulatorOptions {
  /** TCP port; 0 picks a free one. Default 3979. */
  port?: number;
  /** Interface to bind. Default `127.0.0.1`. */
  host?: string;
  /** The `x-api-key` the API accepts. Default `emulator-api-key`. */
  apiKey?: string;
  /** Tenant id, sent as `x-8x8-tenant-id` and checked against `X-8x8-Tenant`. Default `emulator-tenant`. */
  tenantId?: string;
  /** Customer id, sent as `x-8x8-customer-id`. Default `emulator-customer`. */
  customerId?: string;
  /** When set, a webhook with this URI and a ChatAPI channel linked to it exist from the start. */
  webhookUrl?: string;
  /** Id of the default webhook (with `webhookUrl`). Default `emulator-webhook`. */
  webhookId?: string;
  /** Id of the default channel (with `webhookUrl`). Default `emulator-channel`. */
  channelId?: string;
  /**
   * With `webhookUrl`: the id of a WebChat channel routed to that webhook (the bot) first, which
   * the 8x8 web widget page at `/widget/` opens conversations in. Default none (no widget).
   */
  widgetChannelId?: string;
  /** Queues. Default `[{ id: 'support', name: 'Support' }]`; the first is the default channel's queue. */
  queues?: EmulatorQueue[];
  /** Agents. Default `agent-1` "Alice Agent" and `agent-2` "Bob Agent", in every queue. */
  agents?: EmulatorAgentOptions[];
  /** Webhooks that exist from the start (besides the default one). */
  webhooks?: Webhook[];
  /** Channels that exist from the start (besides the default one). */
  channels?: Channel[];
  /** Webhook delivery timing. */
  delivery?: DeliveryOptions;
  /** Fault injection for tests; can also be changed at runtime through `emulator.faults`. */
  faults?: EmulatorFaults;
  /**
   * Which documented form of 8x8's events to deliver (see `FidelityProfile`): `standard`,
   * `blank-sender`, `id-only-files`, `legacy`, `loose-types` or `reordered`. Can be switched at
   * runtime through `emulator.fidelity` or the console. Default `standard`.
   */
  fidelity?: FidelityProfile;
  /** How long the `preSignedUrl` of an attachment stays valid, in ms. Default 3 600 000 (one hour). */
  fileLinkTtlMs?: number;
  /** Clock for timestamps. Default `Date`. */
  clock?: EmulatorClock;
  /** Random source in [0, 1) for ids and jitter. Default `Math.random`. */
  random?: () => number;
  /** Logger. Default silent. */
  logger?: Logger;
  /**
   * Opening hours of the emulated contact center (answered by its Tenant Schedule API on the
   * emulator's clock). Default none: open until switched off (`emulator.contactCenter`, console).
   */
  schedule?: WeeklyScheduleInput;
}

/** {@link EmulatorOptions} with every default applied. */
export interface ResolvedEmulatorOptions {
  schedule?: WeeklyScheduleInput;
  port: number;
  host: string;
  apiKey: string;
  tenantId: string;
  customerId: string;
  webhookUrl?: string;
  webhookId: string;
  channelId: string;
  widgetChannelId?: string;
  queues: EmulatorQueue[];
  agents: Required<EmulatorAgentOptions>[];
  webhooks: Webhook[];
  channels: Channel[];
  delivery: Required<DeliveryOptions>;
  faults: EmulatorFaults;
  fidelity: FidelityProfile;
  fileLinkTtlMs: number;
  clock: EmulatorClock;
  random: () => number;
  logger: Logger;
}

const DEFAULT_AGENTS: EmulatorAgentOptions[] = [
  { id: 'agent-1', name: 'Alice Agent' },
  { id: 'agent-2', name: 'Bob Agent' },
];

/** Applies defaults and validates; throws {@link ConfigurationError} on the first bad option. */
export function resolveEmulatorOptions(options: EmulatorOptions = {}): ResolvedEmulatorOptions {
  const port = options.port ?? 3979;
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new ConfigurationError('port', `${String(port)} is not a TCP port`, 'Pass an integer from 0 to 65535 (0 picks a free port).');
  }
  const queues = options.queues ?? [{ id: 'support', name: 'Support' }];
  if (queues.length === 0 || queues.some((q) => !q.id || !q.name)) {
    throw new ConfigurationError('queues', 'needs at least one queue, each with an id and a name', "Pass e.g. [{ id: 'support', name: 'Support' }].");
  }
  const queueIds = queues.map((q) => q.id);
  const agents = (options.agents ?? DEFAULT_AGENTS).map((a): Required<EmulatorAgentOptions> => ({ ...a, queueIds: a.queueIds ?? queueIds }));
  for (const agent of agents) {
    const unknown = agent.queueIds.find((id) => !queueIds.includes(id));
    if (!agent.id || unknown !== undefined) {
      throw new ConfigurationError('agents', `agent ${agent.id || '(no id)'} is invalid or names unknown queue ${String(unknown)}`, 'Give every agent an id and only ids from `queues`.');
    }
  }
  if (options.webhookUrl !== undefined && !isHttpUrl(options.webhookUrl)) {
    throw new ConfigurationError('webhookUrl', `${options.webhookUrl} is not an absolute http(s) URL`, 'Pass e.g. http://127.0.0.1:3978/api/8x8/webhook.');
  }
  if (options.widgetChannelId !== undefined && (typeof options.widgetChannelId !== 'string' || options.widgetChannelId.trim() === '' || options.webhookUrl === undefined)) {
    throw new ConfigurationError('widgetChannelId', 'must be a non-empty string, given together with webhookUrl', "Pass e.g. widgetChannelId: 'emulator-webchat' and the bot's webhookUrl, or leave it out.");
  }
  const delivery = { timeoutMs: 5000, retries: 5, baseDelayMs: 500, ...options.delivery };
  for (const [key, value] of Object.entries(delivery)) {
    if (!Number.isFinite(value) || value < 0) {
      throw new ConfigurationError(`delivery.${key}`, `${String(value)} is not a non-negative number`, 'Pass a number of milliseconds (or of retries) >= 0.');
    }
  }
  const faults = options.faults ?? {};
  validateFaults(faults);
  const fidelity = options.fidelity ?? 'standard';
  if (!isFidelityProfile(fidelity)) {
    throw new ConfigurationError('fidelity', `${String(fidelity)} is not a fidelity profile`, `Pass one of ${FIDELITY_PROFILES.join(', ')}.`);
  }
  const fileLinkTtlMs = options.fileLinkTtlMs ?? 60 * 60 * 1000;
  if (!Number.isFinite(fileLinkTtlMs) || fileLinkTtlMs <= 0) {
    throw new ConfigurationError('fileLinkTtlMs', `${String(fileLinkTtlMs)} is not a positive number of ms`, 'Pass e.g. 3600000 (one hour), or 1 to have links expire at once.');
  }
  return {
    port,
    host: options.host ?? '127.0.0.1',
    apiKey: options.apiKey ?? 'emulator-api-key',
    tenantId: options.tenantId ?? 'emulator-tenant',
    customerId: options.customerId ?? 'emulator-customer',
    webhookUrl: options.webhookUrl,
    webhookId: options.webhookId ?? 'emulator-webhook',
    channelId: options.channelId ?? 'emulator-channel',
    widgetChannelId: options.widgetChannelId,
    queues,
    agents,
    webhooks: options.webhooks ?? [],
    channels: options.channels ?? [],
    delivery,
    faults,
    fidelity,
    fileLinkTtlMs,
    clock: options.clock ?? { now: () => Date.now() },
    random: options.random ?? Math.random,
    logger: options.logger ?? silentLogger,
    schedule: options.schedule,
  };
}

/** True for an absolute http or https URL. */
export function isHttpUrl(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}
