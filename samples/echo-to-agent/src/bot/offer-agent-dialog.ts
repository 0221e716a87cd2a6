/**
 * A one-question dialog: "Would you like to talk to a person?". On yes it sends the standard
 * `handoff.initiate` event (what Composer and Copilot Studio bots send), which the handoff
 * middleware's `triggers.handoffInitiate()` turns into an escalation.
 */
import { EventFactory } from 'botbuilder';
import { ComponentDialog, ConfirmPrompt, ListStyle, WaterfallDialog, type WaterfallStepContext, type DialogTurnResult } from 'botbuilder-dialogs';

/** The dialog id of {@link OfferAgentDialog}. */
export const OFFER_AGENT_DIALOG = 'offerAgent';

const CONFIRM = 'confirmAgent';
const STEPS = 'offerAgentSteps';

/** The handoff context the sample puts on its `handoff.initiate` event. */
export interface SampleHandoffContext {
  /** Where to route; the middleware's default queue when absent. */
  queueId?: string;
  /** A routing hint shown to the agent. */
  skill: string;
  /** Why the bot hands over, for the agent. */
  reason: string;
}

/** Offers a person and, on yes, sends `handoff.initiate`. */
export class OfferAgentDialog extends ComponentDialog {
  /** @param queueId optional queue to route to; absent means the middleware's default queue. */
  constructor(private readonly queueId?: string) {
    super(OFFER_AGENT_DIALOG);
    // Yes/No as buttons on every channel: botbuilder only knows the Bot Framework channels support
    // them, and would fall back to "(1) Yes or (2) No" on 8x8's, which shows them as quick replies.
    const confirm = new ConfirmPrompt(CONFIRM);
    confirm.style = ListStyle.suggestedAction;
    this.addDialog(confirm);
    this.addDialog(new WaterfallDialog(STEPS, [(step) => this.ask(step), (step) => this.answer(step)]));
    this.initialDialogId = STEPS;
  }

  private async ask(step: WaterfallStepContext): Promise<DialogTurnResult> {
    return step.prompt(CONFIRM, { prompt: 'Would you like to talk to a person?', retryPrompt: 'Please answer yes or no: would you like to talk to a person?' });
  }

  private async answer(step: WaterfallStepContext): Promise<DialogTurnResult> {
    if (step.result === true) {
      const handoffContext: SampleHandoffContext = { skill: 'support', reason: 'The customer asked for help', ...(this.queueId ? { queueId: this.queueId } : {}) };
      await step.context.sendActivity(EventFactory.createHandoffInitiation(step.context, handoffContext));
    } else {
      await step.context.sendActivity("No problem, I'm still here. Type anything and I'll echo it.");
    }
    return step.endDialog();
  }
}
