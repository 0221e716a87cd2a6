/**
 * The handoff Storage contract (storage-contract.ts) on each Storage the README names:
 * botbuilder's MemoryStorage, our RedisStorage on a real redis-server, and botbuilder-azure-blobs'
 * BlobsStorage on a local Azurite (the Azure Storage emulator, an npm devDependency).
 */
import { MemoryStorage } from 'botbuilder';
import { ContainerClient } from '@azure/storage-blob';
import { BlobsStorage } from 'botbuilder-azure-blobs';
import { sanitizeBlobKey } from 'botbuilder-azure-blobs/lib/sanitizeBlobKey';
import { blobNameOf, RedisStorage, withBlobsCreateIfAbsent } from '../../src/storage';
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
  // With the atomic create Azure Blob Storage offers (If-None-Match: *), which BlobsStorage does not use itself.
  describeStorageContract('BlobsStorage', () =>
    withBlobsCreateIfAbsent(new BlobsStorage(azurite.connectionString, 'handoff-contract'), new ContainerClient(azurite.connectionString, 'handoff-contract')),
  );
});

describe('withBlobsCreateIfAbsent', () => {
  it('should name blobs exactly as BlobsStorage does, so BlobsStorage reads what it creates', () => {
    for (const key of ['8x8-handoff/webchat/conv-1', 'a//b/', 'ünï cödé?&#', `${'x/'.repeat(300)}end`, 'x'.repeat(2000)]) {
      expect(blobNameOf(key)).toBe(sanitizeBlobKey(key));
    }
  });
});
