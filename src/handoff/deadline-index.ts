/**
 * Where the sweeper finds records with deadlines: a botbuilder `Storage` cannot be queried, so
 * the store notes `botKey -> earliest dueAt` in a few shard keys (`<ns>/deadlines/<n>`), written
 * with compare-and-set. The record stays the truth; the index only says when to look.
 *
 * The invariant: an entry is never later than its record's earliest deadline. The store writes an
 * entry when a record's earliest deadline appears or moves earlier (not when it moves later, so the
 * reminder pushed back by every user message costs no index write); an early entry just makes the
 * sweeper look, find nothing due, and move the entry to the record's real earliest ({@link settle}).
 * An entry for a record with no deadlines left is deleted at that visit.
 *
 * The one gap: a process that dies between the record write and the index write leaves that
 * deadline unindexed until the record's next write that moves a deadline earlier (any state change).
 */
import type { Storage } from 'botbuilder';
import { CasStorage } from './cas-storage';

/** One shard: bot conversation key -> the earliest instant the sweeper must look at it. */
interface Shard {
  due: Record<string, number>;
}

/** How many keys the index is spread over (fewer conflicts between instances writing at once). */
export const DEADLINE_SHARDS = 8;

/** An entry the sweeper found due. */
export interface DueEntry {
  botKey: string;
  /** The entry's value when read: {@link DeadlineIndex.settle} changes it only if still the same. */
  dueAt: number;
}

/** The deadline index of one namespace. */
export class DeadlineIndex {
  private readonly cas: CasStorage;

  constructor(
    storage: Storage,
    private readonly namespace: string,
    private readonly clock: () => number,
  ) {
    this.cas = new CasStorage(storage);
  }

  /**
   * Notes that `botKey` has a deadline at `dueAt`. Kept when the entry is already earlier and not
   * yet due; replaced when it is due (a sweeper may be visiting it: the changed value tells that
   * sweeper's {@link settle} to leave the entry alone).
   */
  async note(botKey: string, dueAt: number): Promise<void> {
    const now = this.clock();
    await this.cas.update<Shard, void>(this.shardKey(botKey), (shard) => {
      const current = shard?.due[botKey];
      if (current !== undefined && current <= dueAt && current > now) return { value: shard, result: undefined };
      return { value: { due: { ...(shard?.due ?? {}), [botKey]: dueAt } }, result: undefined };
    });
  }

  /** The entries due at `now`, earliest first. */
  async due(now: number): Promise<DueEntry[]> {
    const out: DueEntry[] = [];
    for (let i = 0; i < DEADLINE_SHARDS; i++) {
      const shard = await this.cas.read<Shard>(this.key(i));
      for (const [botKey, dueAt] of Object.entries(shard?.due ?? {})) if (dueAt <= now) out.push({ botKey, dueAt });
    }
    return out.sort((a, b) => a.dueAt - b.dueAt);
  }

  /**
   * After a visit: the entry becomes the record's earliest deadline (`next`), or goes when there is
   * none, unless it changed since it was read (`entry.dueAt`): then a newer deadline was noted.
   */
  async settle(entry: DueEntry, next: number | undefined): Promise<void> {
    await this.cas.update<Shard, void>(this.shardKey(entry.botKey), (shard) => {
      if (!shard || shard.due[entry.botKey] !== entry.dueAt || next === entry.dueAt) return { value: shard, result: undefined };
      const due = { ...shard.due };
      if (next === undefined) delete due[entry.botKey];
      else due[entry.botKey] = next;
      return { value: { due }, result: undefined };
    });
  }

  private shardKey(botKey: string): string {
    return this.key(shardOf(botKey));
  }

  private key(shard: number): string {
    return `${this.namespace}/deadlines/${shard}`;
  }
}

/** A stable shard number for a key (FNV-1a). */
function shardOf(key: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) hash = Math.imul(hash ^ key.charCodeAt(i), 0x01000193);
  return (hash >>> 0) % DEADLINE_SHARDS;
}
