/**
 * Floor: an echo bot with `ConversationState` (a per-conversation turn counter in MemoryStorage),
 * run through botbuilder's `TestAdapter`. The turn-overhead ratio runs this same bot with and
 * without the handoff middleware in front of it.
 */
import { ActivityHandler, ConversationState, MemoryStorage, TestAdapter, type TurnContext } from 'botbuilder';

/** The bot and the state it saves after each turn. */
export interface EchoBot {
  /** The logic to give `adapter.processActivity`. */
  logic(context: TurnContext): Promise<void>;
}

/** Builds the echo bot on its own MemoryStorage. */
export function echoBot(): EchoBot {
  const conversationState = new ConversationState(new MemoryStorage());
  const turns = conversationState.createProperty<number>('turns');
  const bot = new ActivityHandler();
  bot.onMessage(async (context, next) => {
    const count = (await turns.get(context, 0)) + 1;
    await turns.set(context, count);
    await context.sendActivity(`echo ${count}: ${context.activity.text ?? ''}`);
    await next();
  });
  return {
    async logic(context) {
      await bot.run(context);
      await conversationState.saveChanges(context);
    },
  };
}

/** One user message in conversation `conversation` through `adapter` (the TestAdapter's template fills in the rest). */
export function userTurn(adapter: TestAdapter, bot: EchoBot, conversation: number, text: string): Promise<void> {
  return adapter.processActivity(
    { type: 'message', text, channelId: 'test', conversation: { id: `conversation-${conversation}` } as never, from: { id: `user-${conversation}`, name: 'User' } },
    (context) => bot.logic(context),
  );
}
