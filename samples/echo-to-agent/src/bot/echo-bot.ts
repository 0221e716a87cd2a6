/**
 * The sample's bot: it echoes what the user says. "help me" starts a small dialog that offers a
 * person; keywords such as "agent" are caught by the handoff middleware, not by this class. While
 * an agent is connected the middleware does not run this bot at all.
 */
import { ActivityHandler, type ConversationState, type TurnContext, type StatePropertyAccessor } from 'botbuilder';
import { DialogSet, DialogTurnStatus, type DialogState } from 'botbuilder-dialogs';
import { OfferAgentDialog, OFFER_AGENT_DIALOG } from './offer-agent-dialog';

/** The greeting; also tells people what to type. */
export const WELCOME_TEXT =
  "Hi! I'm the echo bot: I repeat what you type. Say \"agent\" (or \"human\", \"representative\") to reach a person, or \"help me\" to be offered one.";

/** Phrases that start the offer-a-person dialog. */
const HELP_PATTERN = /\b(help me|i need help|can you help)\b/i;

/** An echo bot with one dialog step that can send `handoff.initiate`. */
export class EchoBot extends ActivityHandler {
  private readonly dialogs: DialogSet;
  private readonly dialogState: StatePropertyAccessor<DialogState>;

  /**
   * @param conversationState where the dialog keeps its place between turns.
   * @param queueId optional queue the dialog routes to.
   */
  constructor(private readonly conversationState: ConversationState, queueId?: string) {
    super();
    this.dialogState = conversationState.createProperty<DialogState>('dialogState');
    this.dialogs = new DialogSet(this.dialogState).add(new OfferAgentDialog(queueId));

    this.onMessage(async (context, next) => {
      await this.reply(context);
      await next();
    });
    this.onMembersAdded(async (context, next) => {
      const joined = (context.activity.membersAdded ?? []).filter((m) => m.id !== context.activity.recipient.id);
      if (joined.length > 0) await context.sendActivity(WELCOME_TEXT);
      await next();
    });
    this.onDialog(async (context, next) => {
      await this.conversationState.saveChanges(context);
      await next();
    });
  }

  private async reply(context: TurnContext): Promise<void> {
    const dc = await this.dialogs.createContext(context);
    const result = await dc.continueDialog();
    if (result.status !== DialogTurnStatus.empty) return;
    const text = (context.activity.text ?? '').trim();
    if (HELP_PATTERN.test(text)) {
      await dc.beginDialog(OFFER_AGENT_DIALOG);
      return;
    }
    const files = context.activity.attachments?.length ?? 0;
    if (text) await context.sendActivity(`You said: ${text}`);
    else if (context.activity.value !== undefined) await context.sendActivity(`You submitted: ${JSON.stringify(context.activity.value)}`);
    else if (files > 0) await context.sendActivity(`You sent ${files === 1 ? 'a file' : `${files} files`}. I can only echo text, but an agent could look at it.`);
  }
}
