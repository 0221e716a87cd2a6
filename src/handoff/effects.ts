/**
 * What {@link reduce} asks the edges to do (issue 9). One union, performed by one interpreter
 * (interpreter.ts), whose switch is exhaustive: an effect it does not know is a type error.
 * Anything the user, the bot or 8x8 must be told after the turn is not an effect but an outbox
 * item in the record (written in the same compare-and-set), so a crash loses none of it; the
 * `drain` effect says the outbox has work.
 */
import type { HandoffRecord, HeldActivity, LastInteraction, NoticeKey, OutboxItem } from './types';

/** One effect of a reduction. */
export type CoreEffect =
  /** In the user's turn: send this notice as a reply. */
  | { type: 'reply'; key: NoticeKey; params?: Record<string, string>; actions?: NoticeKey[] }
  /** In the user's turn: customer-leave at 8x8 now. */
  | { type: 'leave'; gatewayConversationId: string }
  /** Run the create call (after the turn); `reopen`: post to this ended conversation instead (reopen.ts). */
  | { type: 'create'; handoffId: string; queueId: string; reopen?: LastInteraction }
  /** The create call's conversation is the handoff's: link it, replay early events, post the history tail, send the held messages. */
  | { type: 'created'; gatewayConversationId: string; held: HeldActivity[] }
  /** The outbox has items: deliver them (after the webhook's answer, under the relay lease). */
  | { type: 'drain' }
  /** This instance holds the relay lease: send the outbox head. */
  | { type: 'send'; item: OutboxItem }
  /** Try the drain again in `inMs` (a throttled send, or another instance's lease to wait out). */
  | { type: 'retryDrain'; inMs: number; leaseWait?: boolean }
  /** The outbox item was dropped after `attempts` failed sends. */
  | { type: 'dropped'; item: OutboxItem; attempts: number }
  /** The handoff of 8x8 conversation `ended` is over: its link becomes a tombstone; `previous` (the last one) is deleted. */
  | { type: 'retireLink'; ended: string; previous?: string }
  /** The record's earliest deadline appeared or moved earlier: note it in the deadline index. */
  | { type: 'noteDeadline'; dueAt: number }
  /** Messages held during a failed create could not be given back (no `bot`): report it. */
  | { type: 'unanswered'; count: number }
  /** Nothing changed, and why (logs, and the caller's outcome). */
  | { type: 'ignored'; why: string };

/** The result of {@link reduce}: the next record (the same object when nothing changed) and the effects. */
export interface Reduction {
  record: HandoffRecord;
  effects: CoreEffect[];
}
