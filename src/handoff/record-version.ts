/**
 * The stored record's format version and its migrations (issue 9). A record is read through
 * {@link migrateRecord} before the reducer sees it, so the reducer only knows the current shape.
 *
 * - v1 (releases before the transcript got its own key): the transcript is inside the record. It
 *   stays readable as is (`transcript`); the first turn that records something moves it to its own
 *   key and writes the record as v2 (turn-record.ts). Fields a v1 writer may have left out get
 *   their defaults.
 * - v2: the current format.
 * - Anything newer was written by a later release: refused with a clear error rather than guessed
 *   at, since a rolling upgrade with mixed versions is not supported.
 */
import { HandoffError } from '../errors';
import type { HandoffRecord } from './types';

/** The format this release writes. */
export const RECORD_VERSION = 2;

/** Defaults for fields every record has, which an early v1 writer could omit. */
const V1_DEFAULTS = { state: 'bot', pendingTransfers: 0, leftAgents: [], seen: [], consecutiveFallbacks: 0, held: [], outbox: [] } as const;

/**
 * The stored value as a current record: the same object when it already is one (so an unchanged
 * record is never rewritten), undefined when nothing is stored. Throws `E_RECORD_VERSION` for a
 * record of a newer release and `E_RECORD_FORMAT` for something that is no record at all.
 */
export function migrateRecord(stored: unknown): HandoffRecord | undefined {
  if (stored === undefined || stored === null) return undefined;
  if (typeof stored !== 'object' || Array.isArray(stored)) {
    throw new HandoffError('E_RECORD_FORMAT', `A stored handoff record is ${Array.isArray(stored) ? 'an array' : typeof stored}, not an object: another program wrote under the handoff namespace. Give the middleware its own \`namespace\`.`);
  }
  const version = (stored as { v?: unknown }).v;
  if (version === RECORD_VERSION) return stored as HandoffRecord;
  if (version === 1 || version === undefined) return fromV1(stored as Partial<HandoffRecord>);
  throw new HandoffError(
    'E_RECORD_VERSION',
    `A stored handoff record has format v${String(version)}, written by a newer release; this one reads v1 and v${RECORD_VERSION}. Run one release on a Storage at a time (upgrade every instance).`,
  );
}

/** A v1 record, its missing fields defaulted; the same object when none is missing. */
function fromV1(record: Partial<HandoffRecord>): HandoffRecord {
  const missing = (Object.keys(V1_DEFAULTS) as Array<keyof typeof V1_DEFAULTS>).filter((key) => record[key] === undefined);
  if (!missing.length && record.v === 1) return record as HandoffRecord;
  const filled: Record<string, unknown> = { ...record, v: 1 };
  for (const key of missing) filled[key] = Array.isArray(V1_DEFAULTS[key]) ? [] : V1_DEFAULTS[key];
  return filled as unknown as HandoffRecord;
}
