/**
 * The bot's own turn while no handoff is active: the escalation triggers watch it (before the
 * bot runs, on each of its sends, after it), the turn goes into the transcript, and a request a
 * trigger made starts an escalation once the turn is over.
 */
import { TurnContext, type Activity } from 'botbuilder';
import type { EscalationRequest } from '../triggers';
import { isFallbackTurn } from '../triggers';
import type { Escalator } from './escalation';
import type { HandoffErrorWhere, ResolvedHandoffOptions } from './options';
import type { HandoffInput } from './inputs';
import type { HandoffCore } from './interpreter';
import { reduce } from './reduce';
import type { HandoffStore } from './store';
import type { TurnLog } from './turn-log';
import type { HandoffRecord } from './types';

/** Reports an error to the middleware's `onError` hook. */
export type Reporter = (error: unknown, where: HandoffErrorWhere, conversation?: string) => void;

/** Runs the bot's turns for {@link HandoffMiddleware} (in `bot` state). */
export class BotTurnRunner {
  constructor(
    private readonly store: HandoffStore,
    private readonly core: HandoffCore,
    private readonly options: ResolvedHandoffOptions,
    private readonly escalator: Escalator,
    private readonly report: Reporter,
  ) {}

  /** Runs the bot with the triggers watching, records the turn, then escalates when a trigger asked. */
  async run(context: TurnContext, botKey: string, record: HandoffRecord | undefined, log: TurnLog, next: () => Promise<void>): Promise<void> {
    log.record(context.activity, 'in');
    context.onSendActivities(async (ctx, activities, nextSend) => {
      for (let i = activities.length - 1; i >= 0; i--) {
        const request = this.consumedBySend(ctx, activities[i]!);
        if (request) {
          log.requests.push(request);
          activities.splice(i, 1);
        }
      }
      for (const sent of activities) log.record(sent, 'out');
      // botbuilder rejects an empty send: when everything was consumed, deliver nothing.
      return activities.length ? nextSend() : [];
    });
    let confirmedEarly = false;
    try {
      confirmedEarly = await this.runBotAndTriggers(context, record, log, next);
    } finally {
      log.open = false;
      await this.save(context, botKey, record, log);
    }
    const request = log.requests[0];
    if (!request) return;
    try {
      await this.escalator.start(context, botKey, request, confirmedEarly);
    } catch (error) {
      this.report(error, 'escalation', botKey);
    }
  }

  /**
   * Saves the turn: its entries to the transcript head (one write, none when nothing was recorded;
   * the head was read with the record), then the turn input through the reducer, only when it
   * changes the record read at the start of the turn (reference, locale or fallback streak; so an
   * unchanged turn costs no second read and no write).
   */
  private async save(context: TurnContext, botKey: string, record: HandoffRecord | undefined, log: TurnLog): Promise<void> {
    const { maxEntries, maxBytes } = this.options.transcript;
    let moved = false;
    try {
      await this.store.appendTranscript(botKey, log.entries, { maxEntries, maxBytes }, record?.transcript, log.transcriptRead);
      moved = log.entries.length > 0;
    } catch (error) {
      this.report(error, 'transcript', botKey);
    }
    const input: HandoffInput = { type: 'turn', now: this.options.clock(), reference: TurnContext.getConversationReference(context.activity), locale: context.activity.locale, consecutiveFallbacks: log.consecutiveFallbacks, transcriptMoved: moved };
    if (record && reduce(record, input, this.core.config).record === record) return;
    await this.core.apply(botKey, input, { context }).catch((error: unknown) => this.report(error, 'transcript', botKey));
  }

  /**
   * beforeTurn triggers, then the bot (unless one fired and was confirmed), then the fallback
   * streak and the afterTurn triggers. Returns true when an early request was already confirmed.
   */
  private async runBotAndTriggers(context: TurnContext, record: HandoffRecord | undefined, log: TurnLog, next: () => Promise<void>): Promise<boolean> {
    const early = await this.firstRequest(context, 'before');
    // A vetoed early request lets the bot answer the turn as usual.
    if (early && (await this.escalator.confirmed(context, early))) {
      log.requests.push(early);
      return true;
    }
    await next();
    log.consecutiveFallbacks = isFallbackTurn(context) ? (record?.consecutiveFallbacks ?? 0) + 1 : 0;
    if (!log.requests.length) {
      const late = await this.firstRequest(context, 'after', log.consecutiveFallbacks);
      if (late) log.requests.push(late);
    }
    return false;
  }

  private async firstRequest(context: TurnContext, phase: 'before' | 'after', consecutiveFallbacks = 0): Promise<EscalationRequest | undefined> {
    for (const trigger of this.options.triggers) {
      try {
        const request = phase === 'before' ? await trigger.beforeTurn?.(context) : await trigger.afterTurn?.(context, { consecutiveFallbacks });
        if (request) return request;
      } catch (error) {
        this.report(error, `trigger ${trigger.name}`);
      }
    }
    return undefined;
  }

  private consumedBySend(context: TurnContext, activity: Partial<Activity>): EscalationRequest | undefined {
    for (const trigger of this.options.triggers) {
      try {
        const request = trigger.onSend?.(context, activity);
        if (request) return request;
      } catch (error) {
        this.report(error, `trigger ${trigger.name}`);
      }
    }
    return undefined;
  }
}
