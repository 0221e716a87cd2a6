/**
 * Seeding handoff records in tests. Production code changes a record only through the reducer
 * (src/handoff/reduce.ts); a test that needs a record in a given state (connected, with an outbox,
 * with a lease) writes it here, through the same compare-and-set envelope the store reads.
 */
import type { Storage } from 'botbuilder';
import { CasStorage } from '../../src/handoff/cas-storage';
import type { HandoffInput } from '../../src/handoff/inputs';
import { migrateRecord } from '../../src/handoff/record-version';
import { emptyRecord, type HandoffRecord, type LifecycleEvent } from '../../src/handoff/types';

/** Writes `change(current record)` under `key` in one compare-and-set (re-run on a conflict). */
export async function writeRecord(storage: Storage, key: string, change: (record: HandoffRecord) => HandoffRecord): Promise<void> {
  await new CasStorage(storage).update<HandoffRecord, void>(key, (current) => ({ value: change(migrateRecord(current) ?? emptyRecord()), result: undefined }));
}

/** A lifecycle event as a reducer input at `now`. */
export function lifecycleInput(event: LifecycleEvent, now = 0): HandoffInput {
  return { type: 'lifecycle', now, event };
}
