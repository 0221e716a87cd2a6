/**
 * Compare-and-set updates over a botbuilder `Storage` (RELIABILITY M2).
 *
 * Every update of an existing item carries the eTag it read; a conflict makes the loser re-read
 * and re-apply its change. `'*'` is never written. botbuilder's `Storage` has no create-if-absent,
 * so a create uses `createIfAbsent` when the storage offers it (e.g. `RedisStorage`), which is
 * atomic. Otherwise it writes without an eTag and reads back a per-write nonce (`createdBy`, kept by
 * later updates): a writer whose creation was overwritten by a concurrent creator sees another
 * nonce and re-applies its change on the winner's item. (With such a storage, two creators whose
 * read-backs both come before the second write can still lose one change; in-process callers
 * serialize per key, so this needs two instances creating the same key within a few milliseconds.)
 *
 * Between attempts the loser waits a full-jitter pause, so two instances hammering one record do
 * not starve each other into {@link StorageConflictError}.
 */
import { randomUUID } from 'node:crypto';
import type { Storage, StoreItem } from 'botbuilder';
import { HandoffError } from '../errors';
import { canCreateIfAbsent } from '../storage/create-if-absent';
import { realScheduler, sleep } from '../time';

/** The stored envelope around a value. */
interface Envelope<V> extends StoreItem {
  data: V;
  createdBy: string;
  eTag?: string;
}

/**
 * What an updater returns: the new value and a result to hand back. The same object as the
 * current value (or undefined) means "no change" and writes nothing.
 */
export interface CasChange<V, R> {
  value: V | undefined;
  result: R;
}

/**
 * A value as read, with the eTag it was read with: pass it to {@link CasStorage.update} to save
 * that update's first read (e.g. several keys read in one call). Opaque.
 */
export interface CasSnapshot<V> {
  readonly key: string;
  /** The value as read (undefined when absent). */
  readonly value: V | undefined;
  /** The stored envelope, with its eTag (internal to {@link CasStorage}). */
  readonly envelope: unknown;
}

/** Options of one {@link CasStorage.update}. */
export interface CasUpdateOptions<V, R> {
  /** Runs before each write attempt, e.g. to write an item the new value points to. */
  beforeWrite?: (value: V, result: R) => Promise<void>;
  /** The value as already read (from {@link CasStorage.readSnapshots}): the first attempt starts from it. */
  snapshot?: CasSnapshot<V>;
}

/** Options of {@link CasStorage}. */
export interface CasStorageOptions {
  /** Attempts before giving up on a hot key. Default 20. */
  maxAttempts?: number;
  /** Upper bound of the first full-jitter pause after a lost race, doubled each attempt. Default 5 ms. */
  backoffBaseMs?: number;
  /** Cap of the pause after a lost race. Default 100 ms. */
  backoffMaxMs?: number;
  /** Randomness for the jitter; tests pin it. Default `Math.random`. */
  random?: () => number;
  /** How to wait; tests inject a fake. Default a timer. */
  sleep?: (ms: number) => Promise<void>;
  /** Makes create nonces; tests pass a deterministic one. Default `crypto.randomUUID`. */
  nonce?: () => string;
}

/** Thrown when an update keeps conflicting after every attempt. */
export class StorageConflictError extends HandoffError {
  constructor(key: string, attempts: number) {
    super('E_STORAGE_CONFLICT', `Storage key "${key}" kept changing under ${attempts} compare-and-set attempts.`);
  }
}

/** Compare-and-set reads and updates of JSON values in a botbuilder `Storage`. */
export class CasStorage {
  private readonly maxAttempts: number;
  private readonly nonce: () => string;
  private readonly backoffBaseMs: number;
  private readonly backoffMaxMs: number;
  private readonly random: () => number;
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(
    private readonly storage: Storage,
    options: CasStorageOptions = {},
  ) {
    this.maxAttempts = options.maxAttempts ?? 20;
    this.nonce = options.nonce ?? randomUUID;
    this.backoffBaseMs = options.backoffBaseMs ?? 5;
    this.backoffMaxMs = options.backoffMaxMs ?? 100;
    this.random = options.random ?? Math.random;
    this.sleep = options.sleep ?? ((ms) => sleep(realScheduler, ms));
  }

  /** The current value, or undefined. */
  async read<V>(key: string): Promise<V | undefined> {
    return (await this.readEnvelope<V>(key))?.data;
  }

  /** Several keys in one storage read, each with its eTag, for later updates (see {@link CasUpdateOptions.snapshot}). */
  async readSnapshots<V>(keys: string[]): Promise<Array<CasSnapshot<V>>> {
    const items = await this.storage.read(keys);
    return keys.map((key) => {
      const envelope = asEnvelope<V>(items[key]);
      return { key, value: envelope?.data, envelope };
    });
  }

  /**
   * Applies `change` to the current value (undefined when absent) and writes the result with the
   * eTag it read. On a conflict, re-reads and re-applies, so `change` must be pure and may run
   * several times. Returning the current `value` object (or undefined) writes nothing.
   */
  async update<V, R>(key: string, change: (current: V | undefined) => CasChange<V, R>, options: CasUpdateOptions<V, R> = {}): Promise<CasChange<V, R>> {
    const { beforeWrite, snapshot } = options;
    if (snapshot && snapshot.key !== key) throw new HandoffError('E_STORAGE_SNAPSHOT', `A snapshot of "${snapshot.key}" cannot start an update of "${key}".`);
    for (let attempt = 1; attempt <= this.maxAttempts; attempt++) {
      const fromSnapshot = attempt === 1 && snapshot !== undefined;
      const envelope = fromSnapshot ? (snapshot.envelope as Envelope<V> | undefined) : await this.readEnvelope<V>(key);
      const next = change(envelope?.data);
      if (next.value === undefined || next.value === envelope?.data) return next;
      if (beforeWrite) await beforeWrite(next.value, next.result);
      if (await this.tryWrite(key, envelope, next.value)) return next;
      // A snapshot that went stale is no race lost against a live writer: re-read at once.
      if (attempt < this.maxAttempts && !fromSnapshot) await this.sleep(this.pause(attempt));
    }
    throw new StorageConflictError(key, this.maxAttempts);
  }

  /** Deletes a key (used when a record is no longer needed). */
  async delete(key: string): Promise<void> {
    await this.storage.delete([key]);
  }

  /** Full jitter: uniform in [0, min(cap, base * 2^(attempt-1))]. */
  private pause(attempt: number): number {
    return this.random() * Math.min(this.backoffMaxMs, this.backoffBaseMs * 2 ** (attempt - 1));
  }

  private async readEnvelope<V>(key: string): Promise<Envelope<V> | undefined> {
    const items = await this.storage.read([key]);
    return asEnvelope<V>(items[key]);
  }

  /** One write attempt: true when it stuck, false on a lost race (re-read and retry). */
  private async tryWrite<V>(key: string, envelope: Envelope<V> | undefined, value: V): Promise<boolean> {
    if (envelope) {
      if (!envelope.eTag || envelope.eTag === '*') {
        throw new HandoffError('E_STORAGE_ETAG', `Storage returned key "${key}" without an eTag; handoff records need a Storage with eTags.`);
      }
      try {
        await this.storage.write({ [key]: { data: value, createdBy: envelope.createdBy, eTag: envelope.eTag } });
        return true;
      } catch (error) {
        if (isConflict(error)) return false;
        throw error;
      }
    }
    const createdBy = this.nonce();
    if (canCreateIfAbsent(this.storage)) return this.storage.createIfAbsent(key, { data: value, createdBy });
    await this.storage.write({ [key]: { data: value, createdBy } });
    const after = await this.readEnvelope<V>(key);
    return after?.createdBy === createdBy;
  }
}

function asEnvelope<V>(item: unknown): Envelope<V> | undefined {
  return item && typeof item === 'object' && 'data' in item ? (item as Envelope<V>) : undefined;
}

/** MemoryStorage says "eTag conflict"; Blobs and Cosmos answer 412 Precondition Failed (or 409). */
export function isConflict(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const status = (error as { statusCode?: unknown; code?: unknown }).statusCode ?? (error as { code?: unknown }).code;
  if (status === 412 || status === 409 || status === 'PreconditionFailed' || status === 'ConditionNotMet') return true;
  const message = error instanceof Error ? error.message : '';
  return /etag|precondition/i.test(message);
}
