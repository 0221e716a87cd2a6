/** Shared stores for several bot instances: Redis-backed botbuilder `Storage` and webhook dedupe. */
export { RedisStorage } from './redis-storage';
export type { RedisStorageOptions } from './redis-storage';
export { RedisDedupeStore } from '../webhook/redis-dedupe-store';
export type { RedisDedupeStoreOptions } from '../webhook/redis-dedupe-store';
export type { RedisEvalClient } from './redis-client';
export { canCreateIfAbsent } from './create-if-absent';
export type { CreateIfAbsentStorage } from './create-if-absent';
export { ETagConflictError, StoredItemError } from './storage-errors';
export { checkStorage, assertStorageCapabilities } from './check-storage';
export type { StorageCapabilities } from './check-storage';
export { withBlobsCreateIfAbsent, blobNameOf } from './blobs-create-if-absent';
export type { BlobContainerLike } from './blobs-create-if-absent';
