/**
 * A tiny stand-in for the handoff middleware: runs a trigger's hooks around a bot and replies
 * `ESCALATE <trigger>: <reason>` when it fires, so TestAdapter flows can assert on it.
 */
import { TestAdapter, TurnContext, type Activity, type Middleware } from 'botbuilder';
import type { EscalationRequest, EscalationTrigger } from '../../src/triggers';
import { isFallbackTurn } from '../../src/triggers';

export type Bot = (context: TurnContext) => Promise<void>;

/** Describes a request in one line for assertReply. */
export const describe1 = (r: EscalationRequest) => `ESCALATE ${r.trigger}: ${r.reason}${r.queueId ? ` -> ${r.queueId}` : ''}`;

/** A TestAdapter whose middleware calls the trigger; `fired` collects every request. */
export function harness(trigger: EscalationTrigger, bot: Bot) {
  const fired: EscalationRequest[] = [];
  let streak = 0;
  const middleware: Middleware = {
    async onTurn(context, next) {
      context.onSendActivities(async (ctx, activities, nextSend) => {
        const kept: Partial<Activity>[] = [];
        for (const a of activities) {
          const r = trigger.onSend?.(ctx, a);
          if (r) fired.push(r);
          else kept.push(a);
        }
        // Consumed events never reach the channel; TestAdapter rejects an empty batch.
        if (kept.length === 0) return [];
        if (kept.length !== activities.length) activities.splice(0, activities.length, ...(kept as Activity[]));
        return nextSend();
      });
      const before = await trigger.beforeTurn?.(context);
      if (before) {
        fired.push(before);
        await context.sendActivity(describe1(before));
        return;
      }
      await next();
      streak = isFallbackTurn(context) ? streak + 1 : 0;
      const after = await trigger.afterTurn?.(context, { consecutiveFallbacks: streak });
      if (after) {
        fired.push(after);
        await context.sendActivity(describe1(after));
      }
    },
  };
  const adapter = new TestAdapter(async (context) => bot(context));
  adapter.use(middleware);
  return { adapter, fired };
}

/** A bot that answers `bot: <text>` to every message. */
export const echoBot: Bot = async (context) => {
  if (context.activity.type === 'message') await context.sendActivity(`bot: ${context.activity.text ?? ''}`);
};

/** A TurnContext for a single activity, for direct hook calls. */
export function contextFor(activity: Partial<Activity>): TurnContext {
  const adapter = new TestAdapter();
  const base = adapter.makeActivity(activity.text);
  return new TurnContext(adapter, { ...base, ...activity } as Activity);
}
