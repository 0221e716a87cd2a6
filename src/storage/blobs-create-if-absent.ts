/**
 * Atomic create for botbuilder-azure-blobs' `BlobsStorage` (issue 13). BlobsStorage honours eTags
 * but has no create-if-absent, so two instances creating one handoff record at the same moment can
 * lose a change (the storage contract suite shows it on Azurite). Azure Blob Storage itself can
 * refuse to overwrite (`If-None-Match: *`); this adds that as {@link CreateIfAbsentStorage.createIfAbsent},
 * writing the blob exactly as BlobsStorage would (same blob name, same JSON), so BlobsStorage reads it.
 *
 * ```ts
 * import { ContainerClient } from '@azure/storage-blob';
 * const storage = withBlobsCreateIfAbsent(new BlobsStorage(conn, 'handoff'), new ContainerClient(conn, 'handoff'));
 * ```
 */
import type { Storage, StoreItem } from 'botbuilder';
import type { CreateIfAbsentStorage } from './create-if-absent';

/** The part of `@azure/storage-blob`'s `ContainerClient` this needs (typed structurally: no dependency). */
export interface BlobContainerLike {
  getBlockBlobClient(name: string): {
    upload(body: Buffer, contentLength: number, options: { conditions: { ifNoneMatch: string }; blobHTTPHeaders: { blobContentType: string } }): Promise<unknown>;
  };
}

/** BlobsStorage's blob name for a key (botbuilder-azure-blobs `sanitizeBlobKey`, without transcript options). */
export function blobNameOf(key: string): string {
  if (!key) throw new Error('Please provide a non-empty key');
  const sanitized = key.split('/').reduce((acc, part, idx) => (part ? [acc, part].join(idx < 255 ? '/' : '') : acc));
  return encodeURIComponent(sanitized).substr(0, 1024);
}

/**
 * `storage` (a BlobsStorage on `container`'s container) with an atomic `createIfAbsent`: resolves
 * false, writing nothing, when the blob exists (409 or 412 from Azure).
 */
export function withBlobsCreateIfAbsent<S extends Storage>(storage: S, container: BlobContainerLike): S & CreateIfAbsentStorage {
  const createIfAbsent = async (key: string, item: StoreItem): Promise<boolean> => {
    await storage.read([]); // BlobsStorage creates its container on first use
    const { eTag: _eTag, ...value } = item;
    const body = Buffer.from(JSON.stringify(value), 'utf8');
    try {
      await container.getBlockBlobClient(blobNameOf(key)).upload(body, body.length, { conditions: { ifNoneMatch: '*' }, blobHTTPHeaders: { blobContentType: 'application/json' } });
      return true;
    } catch (error) {
      const status = (error as { statusCode?: number }).statusCode;
      if (status === 409 || status === 412) return false;
      throw error;
    }
  };
  return Object.assign(storage, { createIfAbsent });
}
