/**
 * Delivers webhook events as 8x8 does: signed (re-signed on every attempt with a new transmission
 * time), strictly in order per conversation, concurrently across conversations, retried with
 * exponential backoff on non-2xx or timeout with the same event id and `x-8x8-retry` counting up.
 */
import { setMaxListeners } from 'node:events';
import { signWebhook } from '../../webhook/signature';
import type { Logger } from '../../logger';
import type { EmulatorFaults } from '../faults';
import type { IdFactory } from '../ids';
import type { DeliveryOptions, EmulatorClock } from '../options';
import type { TimerSet } from '../timers';
import { type DeliveryLog, type DeliveryRecord } from './delivery-log';
import { applyFidelityProfile, ReorderBuffer, type FidelityProfile } from './fidelity';
import type { WebhookPoster } from './http-post';
import type { SigningKey } from './signing-key';

/** What the dispatcher needs, passed in by the emulator. */
export interface DispatcherDeps {
  key: SigningKey;
  tenantId: string;
  customerId: string;
  delivery: Required<DeliveryOptions>;
  /** Read on every event, so runtime changes apply. */
  faults: () => EmulatorFaults;
  clock: EmulatorClock;
  random: () => number;
  ids: IdFactory;
  timers: TimerSet;
  log: DeliveryLog;
  post: WebhookPoster;
  logger: Logger;
  /** The fidelity profile, read on every event so a runtime switch applies to the next one. Default `standard`. */
  fidelity?: () => FidelityProfile;
}

/** The per-conversation ordered delivery queue. */
export class WebhookDispatcher {
  private readonly chains = new Map<string, Promise<void>>();
  private readonly abort = new AbortController();
  private readonly reorder: ReorderBuffer;
  /** The webhook of each conversation with an event held by the reorder buffer. */
  private readonly uris = new Map<string, () => string | undefined>();

  constructor(private readonly deps: DispatcherDeps) {
    // One signal aborts every delivery in flight when the emulator closes: each POST adds a listener
    // to it, so many concurrent deliveries (a soak, 50 conversations) are expected, not a leak.
    setMaxListeners(0, this.abort.signal);
    this.reorder = new ReorderBuffer(
      (event) => {
        const conversationId = String(event.conversationId);
        this.queue(conversationId, event, this.uris.get(conversationId) ?? (() => undefined));
      },
      (fn, ms) => deps.timers.schedule(fn, ms),
      (timer) => deps.timers.cancel(timer),
    );
  }

  /**
   * Queues a conversation event. `resolveUri` is called when the event's turn comes, so a webhook
   * changed in between is honoured; undefined means nowhere to send (logged as `skipped`).
   */
  enqueue(conversationId: string, eventType: string, data: unknown, resolveUri: () => string | undefined): void {
    const event: Record<string, unknown> = { eventType, conversationId, timestamp: this.deps.clock.now() };
    if (data !== undefined) event.data = data;
    const profile = this.deps.fidelity?.() ?? 'standard';
    // The profile rewrites the event into another documented form (see fidelity.ts).
    for (const variant of applyFidelityProfile(profile, event)) {
      if (profile !== 'reordered') {
        this.queue(conversationId, variant, resolveUri);
        continue;
      }
      this.uris.set(conversationId, resolveUri);
      this.reorder.push(conversationId, variant);
    }
  }

  /**
   * Queues an arbitrary body (any JSON object, as is: no profile, no added fields) for delivery,
   * signed, in order with the conversation's other events: a test's way to send a form of an
   * event the emulator itself never produces.
   */
  enqueueRaw(conversationId: string, event: Record<string, unknown>, resolveUri: () => string | undefined): DeliveryRecord {
    return this.queue(conversationId, event, resolveUri);
  }

  /** Queues a `WEB_HOOK_VERIFY` ping to `uri` (sent when a webhook is created). */
  ping(uri: string): DeliveryRecord {
    return this.queue(`verify:${uri}`, { notificationVersion: 'Chat Gateway v1.0', eventType: 'WEB_HOOK_VERIFY' }, () => uri);
  }

  /** Sends one `WEB_HOOK_VERIFY` now, without retries; true when the URI answered 2xx. */
  async verify(uri: string): Promise<boolean> {
    const record = this.newRecord(undefined, { notificationVersion: 'Chat Gateway v1.0', eventType: 'WEB_HOOK_VERIFY' });
    record.uri = uri;
    const ok = await this.attempt(record, 0);
    record.status = ok ? 'delivered' : 'failed';
    this.deps.log.touched();
    return ok;
  }

  /** Stops: wakes sleepers, aborts requests in flight, and waits for the queues to drain. */
  async close(): Promise<void> {
    this.abort.abort();
    await Promise.allSettled([...this.chains.values()]);
  }

  private queue(key: string, event: Record<string, unknown>, resolveUri: () => string | undefined): DeliveryRecord {
    const record = this.newRecord(typeof event.conversationId === 'string' ? event.conversationId : undefined, event);
    const previous = this.chains.get(key) ?? Promise.resolve();
    const next = previous.then(() => this.run(record, resolveUri)).catch((err: unknown) => {
      this.deps.logger.error({ err, eventId: record.eventId }, 'emulator: delivery crashed');
    });
    this.chains.set(key, next);
    void next.then(() => {
      if (this.chains.get(key) === next) this.chains.delete(key);
    });
    return record;
  }

  private newRecord(conversationId: string | undefined, event: Record<string, unknown>): DeliveryRecord {
    const record: DeliveryRecord = {
      eventId: this.deps.ids.next(22),
      eventType: String(event.eventType),
      conversationId,
      body: JSON.stringify(event),
      event,
      status: 'pending',
      attempts: [],
      duplicate: false,
    };
    return this.deps.log.add(record);
  }

  private async run(record: DeliveryRecord, resolveUri: () => string | undefined): Promise<void> {
    const faults = this.deps.faults().delivery ?? {};
    const wait = (faults.delayMs ?? 0) + (faults.jitterMs ? Math.floor(this.deps.random() * faults.jitterMs) : 0);
    if (wait > 0 && !(await this.deps.timers.sleep(wait))) return this.giveUp(record, 'emulator closed');
    record.uri = resolveUri();
    if (!record.uri) return this.giveUp(record, 'no webhook for this channel', 'skipped');
    await this.withRetries(record, 0);
    if (faults.duplicate && record.status === 'delivered' && !this.deps.timers.isClosed) {
      const copy: DeliveryRecord = { ...record, status: 'pending', attempts: [], duplicate: true };
      this.deps.log.add(copy);
      await this.withRetries(copy, record.attempts.length);
    }
  }

  private async withRetries(record: DeliveryRecord, firstRetry: number): Promise<void> {
    const { retries, baseDelayMs } = this.deps.delivery;
    for (let n = 0; n <= retries; n++) {
      if (n > 0 && !(await this.deps.timers.sleep(baseDelayMs * 2 ** (n - 1)))) return this.giveUp(record, 'emulator closed');
      if (await this.attempt(record, firstRetry + n)) {
        record.status = 'delivered';
        this.deps.log.touched();
        return;
      }
    }
    this.giveUp(record, `no 2xx after ${retries + 1} attempts`);
  }

  private giveUp(record: DeliveryRecord, reason: string, status: 'failed' | 'skipped' = 'failed'): void {
    record.status = status;
    this.deps.logger.warn({ eventId: record.eventId, eventType: record.eventType, reason }, 'emulator: delivery not completed');
    this.deps.log.touched();
  }

  /** One signed POST; true on 2xx. */
  private async attempt(record: DeliveryRecord, retry: number): Promise<boolean> {
    if (this.abort.signal.aborted) return false;
    const transmissionTime = this.deps.clock.now();
    const started = Date.now();
    const headers = await signWebhook({
      rawBody: record.body,
      tenantId: this.deps.tenantId,
      customerId: this.deps.customerId,
      eventId: record.eventId,
      retry,
      transmissionTime,
      kid: this.deps.key.kid,
      privateKey: this.deps.key.privateKey,
    });
    const allHeaders = { ...headers, 'content-type': 'application/json', 'cache-control': 'no-cache' };
    try {
      const status = await this.deps.post(record.uri!, record.body, allHeaders, this.deps.delivery.timeoutMs, this.abort.signal);
      record.attempts.push({ retry, transmissionTime, status, durationMs: Date.now() - started });
      return status >= 200 && status < 300;
    } catch (err) {
      record.attempts.push({ retry, transmissionTime, error: (err as Error).message, durationMs: Date.now() - started });
      return false;
    } finally {
      this.deps.log.touched();
    }
  }
}
