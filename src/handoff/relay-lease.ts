/**
 * The relay lease (RELIABILITY M1): which bot instance may deliver a conversation's outbox.
 *
 * Several instances can share one Storage, and 8x8's webhooks for one conversation can land on any
 * of them. Each records what it receives, but only the holder of the lease in the record sends:
 * two instances reading the same outbox head would otherwise both deliver it (a duplicate) or
 * deliver the next one first (out of order). These are pure functions over the record; the relay
 * applies them inside compare-and-set updates, so taking, renewing and releasing the lease are
 * each one atomic write.
 *
 * - An instance takes the lease when the outbox has items and the lease is free, its own, or
 *   expired (its holder crashed or stalled); otherwise it leaves the items to the holder. The
 *   write that records an agent message takes it too (the relay's `apply`), so the drain right
 *   after finds its own fresh lease and starts sending without a write of its own.
 * - The holder keeps draining and renews the lease with every settled item.
 * - The lease is released in the same write that empties the outbox: an item another instance
 *   appends meanwhile makes that write conflict, and the holder, re-applying it, sees the item and
 *   keeps going. No item is ever left behind a released lease.
 * - A failed send keeps its item at the head and releases the lease, so whichever instance drains
 *   next (its own retry timer after a throttled send, or any instance's next event or turn) sends it.
 *
 * Clocks (issue 13): `until` is written on the holder's clock, and only the holder compares it with
 * its own clock. Another instance never does: it judges a lease by {@link LeaseSightings}, on its
 * own clock, from when it first saw that exact lease (owner and `until`) unchanged. A lease not
 * renewed for `ttlMs` of the observer's time has expired whatever the two clocks say, so any offset
 * between instances is tolerated; only their rates must agree (drift of parts per million).
 */
import type { HandoffRecord, OutboxItem, RelayLease } from './types';

/** What {@link claimRelay} decided. `busy` carries the expiry of the other instance's lease, on this instance's clock. */
export type RelayClaim = { claim: 'idle' } | { claim: 'taken' } | { claim: 'busy'; until: number };

/** What to do after {@link settleItem}. */
export type SettleNext =
  /** More items, the lease renewed: send the next one. */
  | { next: 'continue' }
  /** The outbox is empty and the lease released. */
  | { next: 'done' }
  /** The item failed and this instance retries it in `retryIn` ms; the lease is released. */
  | { next: 'retry'; retryIn: number }
  /** The item failed and waits for the next drain (an event or a turn); the lease is released. */
  | { next: 'wait' }
  /** Another instance took the lease over (ours had expired): stop, it drains from here. */
  | { next: 'lost' };

/**
 * How a send went. A failed item is kept until `tries` tries were made (then dropped: `gaveUp`);
 * with `retryDelayMs` this instance retries it after that pause, else the next drain does.
 */
export type SendOutcome = { sent: true } | { sent: false; tries: number; retryDelayMs?: (attempts: number) => number };

/** Parameters of the lease rules. */
export interface LeaseTerms {
  owner: string;
  now: number;
  /** How long a lease lasts without renewal. */
  ttlMs: number;
  /**
   * When another instance's lease counts as expired, on this instance's clock (e.g.
   * {@link LeaseSightings.expiryOf}). Default its `until`, which assumes the clocks agree.
   */
  expiryOf?: (lease: RelayLease) => number;
}

/**
 * True when `lease` belongs to another instance and has not expired at `now` (by `expiryOf`, on
 * this instance's clock; default the lease's own `until`).
 */
export function heldByOther(lease: RelayLease | undefined, owner: string, now: number, expiryOf?: (lease: RelayLease) => number): lease is RelayLease {
  return lease !== undefined && lease.owner !== owner && (expiryOf ? expiryOf(lease) : lease.until) > now;
}

/**
 * Other instances' leases as this instance saw them, so their expiry is judged on this instance's
 * clock alone: a lease is live until `ttlMs` after it was first seen with the same owner and
 * `until` (each renewal changes `until`, so a renewed lease is a new sighting). A lease first seen
 * late is given a full `ttlMs` more: a crashed holder is taken over at most `ttlMs` after this
 * instance first looked, never early. Bounded: the oldest sightings are forgotten beyond `limit`.
 */
export class LeaseSightings {
  private readonly seen = new Map<string, { owner: string; until: number; at: number }>();

  constructor(
    private readonly ttlMs: number,
    private readonly limit = 10_000,
  ) {}

  /** When the lease on `key` expires by this instance's clock `now`; records a first sighting. */
  expiryOf(key: string, lease: RelayLease, now: number): number {
    const known = this.seen.get(key);
    if (known && known.owner === lease.owner && known.until === lease.until) return known.at + this.ttlMs;
    this.seen.delete(key);
    this.seen.set(key, { owner: lease.owner, until: lease.until, at: now });
    if (this.seen.size > this.limit) this.seen.delete(this.seen.keys().next().value!);
    return now + this.ttlMs;
  }

  /** Forgets `key` (this instance took the lease, or found none). */
  forget(key: string): void {
    this.seen.delete(key);
  }

  /** How many sightings are kept (for tests of the bound). */
  get size(): number {
    return this.seen.size;
  }
}

/**
 * Takes the lease when there is something to send and no other live holder. A lease of ours with
 * at least half its time left is kept as it is (the same record: no write): the drain runs in
 * this instance's per-conversation queue, so nothing else of ours is sending, and the record
 * write that appended the item took that lease a moment ago.
 */
export function claimRelay(record: HandoffRecord, terms: LeaseTerms): { record: HandoffRecord; result: RelayClaim } {
  const { owner, now, ttlMs, expiryOf } = terms;
  if (!record.outbox.length) {
    // Nothing to send. A lease of ours left by an aborted drain is cleared; anyone else's is theirs.
    const stale = record.relayLease?.owner === owner;
    return { record: stale ? { ...record, relayLease: undefined } : record, result: { claim: 'idle' } };
  }
  const lease = record.relayLease;
  if (lease?.owner === owner && lease.until - now >= ttlMs / 2) return { record, result: { claim: 'taken' } };
  if (heldByOther(lease, owner, now, expiryOf)) return { record, result: { claim: 'busy', until: expiryOf ? expiryOf(lease) : lease.until } };
  return { record: { ...record, relayLease: { owner, until: now + ttlMs } }, result: { claim: 'taken' } };
}

/**
 * The lease taken in the write that appends an outbox item, when no other instance holds it, so
 * the drain that follows needs no write of its own. Unchanged record when another instance holds it.
 */
export function takeRelayWithItem(record: HandoffRecord, terms: LeaseTerms): HandoffRecord {
  if (!record.outbox.length || heldByOther(record.relayLease, terms.owner, terms.now, terms.expiryOf)) return record;
  return { ...record, relayLease: { owner: terms.owner, until: terms.now + terms.ttlMs } };
}

/** Extends our lease while a slow send is in flight; changes nothing when it is no longer ours. */
export function renewRelay(record: HandoffRecord, terms: LeaseTerms): HandoffRecord {
  if (record.relayLease?.owner !== terms.owner) return record;
  return { ...record, relayLease: { owner: terms.owner, until: terms.now + terms.ttlMs } };
}

/**
 * Settles the head item after a send: removes it when sent (or when it failed for the last time:
 * `gaveUpAfter`), else counts the attempt and keeps it at the head. Renews or releases the lease
 * as the rules above say. Items are matched by id, so a head that changed meanwhile is left alone.
 */
export function settleItem(
  record: HandoffRecord,
  item: OutboxItem,
  outcome: SendOutcome,
  terms: LeaseTerms,
): { record: HandoffRecord; result: SettleNext & { gaveUpAfter?: number } } {
  const isHead = record.outbox[0]?.id === item.id;
  const rest = record.outbox.slice(1);
  if (record.relayLease?.owner !== terms.owner) {
    // Taken over: still drop what we delivered, so the new holder does not send it again.
    return { record: outcome.sent && isHead ? { ...record, outbox: rest } : record, result: { next: 'lost' } };
  }
  const attempts = (item.attempts ?? 0) + 1;
  const gaveUp = !outcome.sent && isHead && attempts >= outcome.tries;
  if (isHead && !outcome.sent && !gaveUp) {
    const kept = { ...record, outbox: [{ ...item, attempts }, ...rest], relayLease: undefined };
    const next: SettleNext = outcome.retryDelayMs ? { next: 'retry', retryIn: outcome.retryDelayMs(attempts) } : { next: 'wait' };
    return { record: kept, result: next };
  }
  const outbox = isHead ? rest : record.outbox;
  const extra = gaveUp ? { gaveUpAfter: attempts } : {};
  if (!outbox.length) return { record: { ...record, outbox, relayLease: undefined }, result: { next: 'done', ...extra } };
  return { record: { ...renewRelay(record, terms), outbox }, result: { next: 'continue', ...extra } };
}
