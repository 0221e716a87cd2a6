/**
 * A botbuilder `TestAdapter` that can also send proactively, like `CloudAdapter` does: botbuilder's
 * own `TestAdapter.continueConversationAsync` throws (BOTBUILDER.md). The proactive turn runs the
 * whole middleware pipeline with an `event` named `ContinueConversation`, as in production, and
 * what it sends lands in the adapter's reply queue, so `assertReply` sees agent messages.
 */
import { TestAdapter, TurnContext, type ConversationReference } from 'botbuilder-core';
import type { ClaimsIdentity } from 'botframework-connector';

export class ProactiveTestAdapter extends TestAdapter {
  /** Every proactive call made, with the app id it was given (a 401 risk when wrong). */
  readonly proactiveCalls: Array<{ botAppId: string | undefined; conversationId?: string }> = [];

  override async continueConversationAsync(
    botAppIdOrClaimsIdentity: string | ClaimsIdentity,
    reference: Partial<ConversationReference>,
    logicOrAudience: ((context: TurnContext) => Promise<void>) | string,
    maybeLogic?: (context: TurnContext) => Promise<void>,
  ): Promise<void> {
    const logic = typeof logicOrAudience === 'function' ? logicOrAudience : maybeLogic;
    if (!logic) throw new TypeError('continueConversationAsync: logic is required');
    this.proactiveCalls.push({ botAppId: typeof botAppIdOrClaimsIdentity === 'string' ? botAppIdOrClaimsIdentity : undefined, conversationId: reference.conversation?.id });
    const activity = TurnContext.applyConversationReference({ type: 'event', name: 'ContinueConversation' }, reference, true);
    const context = new TurnContext(this, activity);
    await this.runMiddleware(context, logic);
  }
}
