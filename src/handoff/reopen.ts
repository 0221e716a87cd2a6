/**
 * Coming back (issue 11): 8x8 keeps a conversation after its interaction ended, and "a new message
 * after its closure" re-queues it in its last queue, where the next agent sees the whole history
 * (REFERENCE.md "Reopen semantics"; the gateway is assumed to follow the legacy Chat API). So when
 * the same user escalates again within `reopenWindowSeconds` of the end, to the same queue, the
 * middleware posts the bot turns since the end into that conversation instead of creating a new
 * one. These are the pure parts: what the record remembers of the last end, whether an
 * escalation may reopen it, and which transcript entries are new since.
 */
import type { TranscriptEntry } from '../transcript';
import type { HandoffRecord, LastInteraction } from './types';

/**
 * Remembers the 8x8 conversation of a handoff that just ended (`before` live, `after` back to the
 * bot), at `now`. The same record otherwise. In-place conversations are re-routed, never reopened.
 */
export function rememberEnded(before: HandoffRecord, after: HandoffRecord, now: number): HandoffRecord {
  if (after.state !== 'bot' || before.state === 'bot' || before.state === 'escalating' || !before.gatewayConversationId || after.inPlace) return after;
  const last: LastInteraction = { gatewayConversationId: before.gatewayConversationId, endedAt: now };
  if (before.request?.queueId) last.queueId = before.request.queueId;
  return { ...after, lastInteraction: last };
}

/** The conversation an escalation to `queueId` at `now` may reopen, or undefined. */
export function reopenable(record: HandoffRecord, queueId: string, now: number, windowMs: number | undefined): LastInteraction | undefined {
  const last = record.lastInteraction;
  if (windowMs === undefined || !last || record.inPlace) return undefined;
  // 8x8 re-queues in the last queue: another queue needs a conversation of its own.
  if (last.queueId !== undefined && last.queueId !== queueId) return undefined;
  return now - last.endedAt <= windowMs ? last : undefined;
}

/**
 * The transcript entries after the end at `endedAt`. An entry without a stamp of its own (a bot
 * reply) counts at the stamp of the entry before it (the user turn it answers). All of them when
 * nothing is stamped.
 */
export function entriesSince(entries: readonly TranscriptEntry[], endedAt: number): TranscriptEntry[] {
  const stampOf = (entry: TranscriptEntry) => (entry.timestamp ? Date.parse(entry.timestamp) : NaN);
  if (!entries.some((e) => Number.isFinite(stampOf(e)))) return [...entries];
  let at = -Infinity;
  return entries.filter((entry) => {
    const own = stampOf(entry);
    if (Number.isFinite(own)) at = own;
    return at > endedAt;
  });
}
