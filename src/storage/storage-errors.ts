/**
 * Errors of the Redis-backed stores.
 */
import { HandoffError } from '../errors';

/**
 * A write carried an eTag that no longer matches the stored item: someone else wrote first.
 * Re-read, re-apply the change and write again with the new eTag. The message is the one
 * botbuilder's `MemoryStorage` uses, and `statusCode` is 412 as with Blob and Cosmos storage, so
 * code written for either recognises it.
 */
export class ETagConflictError extends HandoffError {
  /** HTTP-style "Precondition Failed", as Azure Blob and Cosmos DB storage report a conflict. */
  readonly statusCode = 412;
  /** The storage key (without the Redis key prefix) whose write was refused. */
  readonly key: string;

  constructor(key: string) {
    super('E_STORAGE_CONFLICT', `Storage: error writing "${key}" due to eTag conflict.`);
    this.key = key;
  }
}

/** A stored value could not be read back (not written by {@link RedisStorage}, or corrupted). */
export class StoredItemError extends HandoffError {
  constructor(key: string, problem: string, options?: { cause?: unknown }) {
    super('E_STORAGE_ITEM', `Storage: item "${key}" ${problem}.`, options);
  }
}
