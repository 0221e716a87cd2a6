/**
 * The handoff Storage contract (storage-contract.ts) on each Storage the README names:
 * botbuilder's MemoryStorage, our RedisStorage on a real redis-server, and botbuilder-azure-blobs'
 * BlobsStorage on a local Azurite (the Azure Storage emulator, an npm devDependency).
 */
import { MemoryStorage } from 'botbuilder';
import { BlobsStorage } from 'botbuilder-azure-blobs';
import { RedisStorage } from '../../src/storage';
import { describeWithAzurite } from '../support/azurite';
import { describeWithRedis } from '../support/redis';
import { describeStorageContract } from './storage-contract';

describe('MemoryStorage', () => {
  // One process: every "instance" is a view of the same memory, as MemoryStorage can only be.
  const shared = new MemoryStorage();
  describeStorageContract('MemoryStorage', () => shared);
});

describeWithRedis('RedisStorage on redis-server', (redis) => {
  describeStorageContract('RedisStorage', () => new RedisStorage({ client: redis.connect() }));
});

describeWithAzurite('BlobsStorage on Azurite', (azurite) => {
  describeStorageContract('BlobsStorage', () => new BlobsStorage(azurite.connectionString, 'handoff-contract'));
});
