/**
 * What the handoff core needs from a botbuilder `Storage`, checked against the real backend
 * (issue 13): eTags with compare-and-set (RELIABILITY M2), and, for several bot instances, an
 * atomic create-if-absent. `checkStorage` probes a Storage with a throw-away key; the README's
 * "Which Storage" table says which Storages qualify.
 */
import { randomUUID } from 'node:crypto';
import type { Storage } from 'botbuilder';
import { ConfigurationError } from '../errors';
import { isConflict } from '../handoff/cas-storage';
import { canCreateIfAbsent } from './create-if-absent';

/** What {@link checkStorage} found. */
export interface StorageCapabilities {
  /** Reads return an eTag, a write with a stale eTag is refused as a conflict, one with the current eTag succeeds. */
  eTags: boolean;
  /** The Storage has `createIfAbsent` (atomic create): needed by several instances sharing it. */
  createIfAbsent: boolean;
  /** One line per missing capability, naming it and what it breaks; empty when all are there. */
  problems: string[];
}

/**
 * Probes `storage` with a throw-away key (written, overwritten twice, deleted). Rejects only when
 * the Storage itself fails (unreachable, no permission); a missing capability is reported.
 */
export async function checkStorage(storage: Storage, options: { key?: string } = {}): Promise<StorageCapabilities> {
  const key = options.key ?? `8x8-handoff-probe-${randomUUID()}`;
  const problems: string[] = [];
  try {
    await storage.write({ [key]: { probe: 1 } });
    const first = (await storage.read([key]))[key];
    const eTag = first?.eTag;
    let eTags = typeof eTag === 'string' && eTag !== '' && eTag !== '*';
    if (!eTags) problems.push('eTags: reads return no eTag, so handoff records cannot be updated by compare-and-set (concurrent turns and webhooks would overwrite each other).');
    if (eTags) {
      await storage.write({ [key]: { probe: 2, eTag } });
      const stale = await storage.write({ [key]: { probe: 3, eTag } }).then(() => undefined, (error: unknown) => error ?? new Error('rejected'));
      if (!stale || !isConflict(stale)) {
        eTags = false;
        problems.push(stale ? `eTags: a write with a stale eTag failed with an error that is not a conflict (${String(stale)}).` : 'eTags: a write with a stale eTag was accepted, so compare-and-set cannot detect a concurrent writer.');
      }
    }
    const createIfAbsent = canCreateIfAbsent(storage);
    if (!createIfAbsent) problems.push('createIfAbsent: no atomic create, so two instances creating the same record at the same moment can lose one change (one instance is fine).');
    return { eTags, createIfAbsent, problems };
  } finally {
    await storage.delete([key]).catch(() => undefined);
  }
}

/**
 * Rejects with a {@link ConfigurationError} naming option `storage` and the missing capability
 * when `storage` cannot hold handoff records (no eTags), or, with `instances > 1`, cannot be
 * shared by several instances (no createIfAbsent). Call it at startup.
 */
export async function assertStorageCapabilities(storage: Storage, options: { instances?: number } = {}): Promise<StorageCapabilities> {
  const found = await checkStorage(storage);
  if (!found.eTags) {
    throw new ConfigurationError('storage', `lacks eTags: ${found.problems[0]!.replace(/^eTags: |\.$/g, '')}`, 'Use a Storage with eTag compare-and-set: RedisStorage, botbuilder MemoryStorage (one process), BlobsStorage or CosmosDbPartitionedStorage.');
  }
  if ((options.instances ?? 1) > 1 && !found.createIfAbsent) {
    throw new ConfigurationError('storage', `lacks createIfAbsent: ${found.problems.find((p) => p.startsWith('createIfAbsent'))!.replace(/^createIfAbsent: |\.$/g, '')}`, 'Use RedisStorage (atomic create) for several instances, or add createIfAbsent to your Storage.');
  }
  return found;
}
