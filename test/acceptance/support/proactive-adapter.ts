/**
 * A botbuilder TestAdapter that also sends proactively, as BOTBUILDER.md describes CloudAdapter:
 * the proactive turn runs the whole middleware pipeline with an `event` named
 * `ContinueConversation`, and what it sends lands in `activeQueue` like any reply.
 */
import { TestAdapter, TurnContext, type Activity, type ConversationReference } from 'botbuilder-core';

export class ProactiveAdapter extends TestAdapter {
  readonly proactiveAppIds: string[] = [];

  override async continueConversationAsync(
    botAppId: unknown,
    reference: Partial<ConversationReference>,
    logicOrAudience: ((context: TurnContext) => Promise<void>) | string,
    maybeLogic?: (context: TurnContext) => Promise<void>,
  ): Promise<void> {
    const logic = typeof logicOrAudience === 'function' ? logicOrAudience : maybeLogic;
    if (!logic) throw new Error('no logic');
    this.proactiveAppIds.push(String(botAppId));
    const activity = TurnContext.applyConversationReference({ type: 'event', name: 'ContinueConversation' }, reference, true);
    await this.runMiddleware(new TurnContext(this, activity), logic);
  }

  /** Every activity sent to one conversation so far (nothing is dequeued). */
  sentTo(conversationId: string): Partial<Activity>[] {
    return this.activeQueue.filter((a) => a.conversation?.id === conversationId);
  }
}
