/**
 * Everything that can change a handoff record (issue 9): the one union {@link reduce} consumes.
 * Every input carries the time (`now`, epoch ms on this instance's clock), so the reducer never
 * reads a clock.
 */
import type { ConversationReference } from 'botbuilder';
import type { GatewayFile } from '../transcript';
import type { Activity } from 'botbuilder';
import type { WaitingFigures } from './deadlines';
import type { SendOutcome } from './relay-lease';
import type { HeldActivity, LifecycleEvent, OutboxItem, RelayLease } from './types';

/**
 * What the relay lease rules need from the instance applying an input: when another instance's
 * lease expires by this instance's own sighting of it (relay-lease.ts `LeaseSightings`).
 */
export interface LeaseView {
  expiryOf?: (lease: RelayLease) => number;
}

/** One input to {@link reduce}. */
export type HandoffInput =
  /** A user turn the bot answered: where to reply, the user's locale, the fallback streak. */
  | { type: 'turn'; now: number; reference: Partial<ConversationReference>; locale?: string; consecutiveFallbacks?: number; transcriptMoved: boolean }
  /** A user message typed while the create call is in flight: held until it succeeds. */
  | { type: 'hold'; now: number; activity: HeldActivity }
  /** The customer wrote during a handoff: the inactivity count starts again. */
  | { type: 'userActive'; now: number }
  /**
   * A lifecycle event (user endings, escalation, create results, classified 8x8 events, 8x8 losing
   * the conversation). `inTurn`: it happens in the user's turn, so notices are replies in that turn
   * and customer-leave is called at once; otherwise everything goes through the outbox. `lease`:
   * take the relay lease in the same write when items are added (the drain then needs no write).
   */
  | { type: 'lifecycle'; now: number; event: LifecycleEvent; inTurn?: boolean; lease?: LeaseView }
  /** An agent message from 8x8, with its dedupe key and files. */
  | { type: 'agentMessage'; now: number; key: string; gatewayConversationId: string; activity: Partial<Activity>; files?: GatewayFile[]; lease?: LeaseView }
  /** Deadlines due at `now` (waiting room, maximum wait, inactivity), with queue figures when a provider gave them. */
  | { type: 'due'; now: number; figures?: WaitingFigures; lease?: LeaseView }
  /** The drain starts: take the relay lease if the outbox has items and no other instance holds it. */
  | { type: 'claimRelay'; now: number; lease: LeaseView }
  /** A slow send is in flight: extend our lease. */
  | { type: 'renewRelay'; now: number; lease: LeaseView }
  /** A send of the outbox head finished (or failed): settle it. */
  | { type: 'settle'; now: number; item: OutboxItem; outcome: SendOutcome; lease: LeaseView }
  /** An escalation in an 8x8-native conversation: its handoffs are re-routed in place from now on. */
  | { type: 'handOverInPlace'; now: number }
  /** An 8x8 conversation no handoff uses any more (a refused reopen): its link becomes a tombstone. */
  | { type: 'retireLink'; now: number; gatewayConversationId: string };
