/**
 * The one effect interpreter (issue 9). `HandoffCore.apply` writes an input through the reducer
 * (one compare-and-set, store.ts + reduce.ts) and performs the effects of the run that was
 * written; the switch in {@link HandoffCore.performOne} is exhaustive, so an effect this module
 * does not know is a type error, not a silent drop. Both edges go through it: the user's turn
 * (replies, customer-leave in the turn, the create call) and the background (webhooks, deadlines,
 * create results, the relay's drain loop). The heavy operations stay with the modules that own
 * them (escalation.ts creates and links 8x8 conversations; relay.ts sends outbox items); this
 * decides when and with what.
 */
import { MessageFactory, type TurnContext } from 'botbuilder';
import { HandoffError } from '../errors';
import type { CoreEffect, Reduction } from './effects';
import { isConversationGone } from './forward-failure';
import type { HistoryTail } from './history-tail';
import type { HandoffInput } from './inputs';
import { renderNotice } from './notices';
import { suggestedActionsFor } from './offer';
import type { HandoffErrorWhere, ResolvedHandoffOptions } from './options';
import type { CoreConfig } from './reduce';
import type { HandoffStore } from './store';
import type { HeldActivity, OutboxItem } from './types';

/** Where an input comes from, and what performing its effects needs from there. */
export interface Edge {
  /** The user's turn: replies go out in it. */
  context?: TurnContext;
  /** How a `drain` is run: awaited, tracked in the background (default), or tracked after pending I/O (a webhook's answer first). */
  drain?: 'await' | 'track' | 'afterIo';
  /** The create call to run for a `create` effect (escalation.ts builds it in the turn). */
  job?: (effect: Extract<CoreEffect, { type: 'create' }>) => Promise<void>;
  /** What a create call left to post after the 202 (the history from its first file on). */
  tail?: HistoryTail;
  /** The user's locale for replies (default the record's). */
  locale?: string;
}

/** The parts that perform the heavy effects (bound after construction: they use the core themselves). */
export interface CoreParts {
  /** After the 202: link, replay early events, post the history tail, send the held messages. */
  created(botKey: string, gatewayConversationId: string, held: HeldActivity[], tail: HistoryTail | undefined): Promise<void>;
  /** Delivers a conversation's outbox (the drain loop, under the relay lease). */
  drain(botKey: string): Promise<void>;
  /** Sends one outbox item and settles it; returns the settle's effects (the next item, a retry, ...). */
  send(botKey: string, item: OutboxItem): Promise<CoreEffect[]>;
  /** Runs the drain again in `inMs` (unless one is due sooner). */
  retryDrain(botKey: string, inMs: number): void;
  /** An item was dropped after its last failed send (reported already): a status still reaches `onStatus`. */
  dropped(botKey: string, item: OutboxItem, attempts: number): Promise<void>;
  /** Notes a record's earliest deadline for the sweeper (deadline-index.ts). */
  noteDeadline?(botKey: string, dueAt: number): Promise<void>;
}

/** Effects that keep storage consistent run before the rest (a tombstone before anyone is told). */
const BOOKKEEPING: ReadonlySet<CoreEffect['type']> = new Set(['retireLink', 'noteDeadline']);

/** Writes inputs through the reducer and performs their effects. */
export class HandoffCore {
  private parts?: CoreParts;

  constructor(
    private readonly store: HandoffStore,
    private readonly options: ResolvedHandoffOptions,
    private readonly track: (work: Promise<unknown>) => void,
    /** The reducer's rules (the store runs the reducer with the same). */
    readonly config: CoreConfig,
  ) {}

  /** Connects the parts that perform the heavy effects. */
  bind(parts: CoreParts): void {
    this.parts = parts;
  }

  /** Writes `input` (one compare-and-set through the reducer) and performs its effects. */
  async apply(botKey: string, input: HandoffInput, edge: Edge = {}): Promise<Reduction> {
    const reduction = await this.store.apply(botKey, input);
    await this.perform(botKey, reduction.effects, edge.locale === undefined ? { ...edge, locale: reduction.record.locale } : edge);
    return reduction;
  }

  /** Writes `input` without performing anything: for the drain loop, which performs what follows itself. */
  write(botKey: string, input: HandoffInput): Promise<Reduction> {
    return this.store.apply(botKey, input);
  }

  /** Performs effects in order (bookkeeping first); an effect may yield more (a send yields the next one). */
  async perform(botKey: string, effects: readonly CoreEffect[], edge: Edge = {}): Promise<void> {
    const work = [...effects.filter((e) => BOOKKEEPING.has(e.type)), ...effects.filter((e) => !BOOKKEEPING.has(e.type))];
    for (let effect = work.shift(); effect; effect = work.shift()) {
      const more = await this.performOne(botKey, effect, edge);
      if (more?.length) work.unshift(...more);
    }
  }

  private async performOne(botKey: string, effect: CoreEffect, edge: Edge): Promise<CoreEffect[] | void> {
    const parts = this.parts!;
    switch (effect.type) {
      case 'reply':
        return this.reply(edge, effect);
      case 'leave':
        return this.leave(botKey, effect.gatewayConversationId);
      case 'create':
        if (!edge.job) throw new HandoffError('E_INTERNAL', 'a create effect outside an escalation (no create job on its edge)');
        this.track(edge.job(effect));
        return;
      case 'created':
        return parts.created(botKey, effect.gatewayConversationId, effect.held, edge.tail);
      case 'drain':
        return this.drain(botKey, edge);
      case 'send':
        return parts.send(botKey, effect.item);
      case 'retryDrain':
        return parts.retryDrain(botKey, effect.inMs);
      case 'dropped':
        return parts.dropped(botKey, effect.item, effect.attempts);
      case 'retireLink':
        return this.store.retireLink(effect.ended, effect.previous);
      case 'noteDeadline':
        return this.noteDeadline(botKey, effect.dueAt);
      case 'unanswered':
        return this.report(new HandoffError('E_HELD_UNANSWERED', `${effect.count} message(s) the user typed while the 8x8 create call was in flight went unanswered: pass \`bot\` to HandoffMiddleware so they are given back to it.`), 'escalation.held', botKey);
      case 'ignored':
        return;
      default:
        return unknownEffect(effect);
    }
  }

  /** A notice in the user's turn; an empty configured text sends nothing. */
  private async reply(edge: Edge, effect: Extract<CoreEffect, { type: 'reply' }>): Promise<void> {
    const context = edge.context;
    if (!context) throw new HandoffError('E_INTERNAL', `a "${effect.key}" reply outside a user's turn`);
    const { messages } = this.options;
    const locale = edge.locale ?? context.activity.locale;
    const text = renderNotice(messages, effect.key, locale, effect.params);
    if (!text) return;
    const activity = MessageFactory.text(text);
    if (effect.actions?.length) activity.suggestedActions = suggestedActionsFor(effect.actions, messages, locale, context.activity.from?.id);
    await context.sendActivity(activity);
  }

  /** Customer-leave in the turn. A 404 means 8x8 no longer has the conversation: already ended, nothing to report. */
  private async leave(botKey: string, gatewayConversationId: string): Promise<void> {
    await this.options.gateway.removeUser(gatewayConversationId).catch((error: unknown) => {
      if (!isConversationGone(error)) this.report(error, 'removeUser', botKey);
    });
  }

  private async drain(botKey: string, edge: Edge): Promise<void> {
    const drain = () => this.parts!.drain(botKey);
    if (edge.drain === 'await') return drain();
    this.track(edge.drain === 'afterIo' ? afterPendingIo().then(drain) : drain());
  }

  private async noteDeadline(botKey: string, dueAt: number): Promise<void> {
    try {
      await this.parts!.noteDeadline?.(botKey, dueAt);
    } catch (error) {
      this.report(error, 'deadlines.index', botKey);
    }
  }

  private report(error: unknown, where: HandoffErrorWhere, conversation: string): void {
    try {
      this.options.onError(error, { where, conversation });
    } catch {
      // The error hook itself must never break a turn or a drain.
    }
  }
}

/** Compile-time exhaustiveness: adding an effect without a case above fails the build here. */
function unknownEffect(effect: never): never {
  throw new HandoffError('E_INTERNAL', `unknown handoff effect ${JSON.stringify(effect)}`);
}

/**
 * Resolves after the event loop has polled for I/O once more. A drain started from a webhook then
 * runs after that webhook's 200 is written and after deliveries already waiting were read, instead
 * of running its proactive turn (all in-memory until the connector call) before the answer goes out.
 */
export function afterPendingIo(): Promise<void> {
  return new Promise((resolve) => setImmediate(() => setImmediate(resolve)));
}

