/**
 * Delivering one outbox item in a proactive turn: a notice or an agent activity to the user, a
 * `handoff.status` event to the bot (and the `onStatus` hook), or a held user message back to the
 * bot to answer. Throws only when the proactive send itself fails; the relay then classifies the
 * error (send-failure.ts). What the bot's own code or the `onStatus` hook throws is the bot
 * author's error, not a failed delivery: it is reported (`where: 'status'`) and the item counts as
 * delivered, so the bot never gets the same status twice and agent messages behind it never wait.
 */
import { TurnContext, type Activity, type ConversationReference, type ResourceResponse } from 'botbuilder';
import { resolveAgentFiles } from './agent-files';
import { isConversationGone } from './forward-failure';
import { renderNotice } from './notices';
import { suggestedActionsFor } from './offer';
import type { ResolvedHandoffOptions } from './options';
import { handoffStatusActivity, withActivity } from './status-activity';
import type { HandoffRecord, OutboxItem } from './types';

/** The options delivery needs. */
export type DeliveryOptions = Pick<ResolvedHandoffOptions, 'adapter' | 'botAppId' | 'messages' | 'bot' | 'onStatus' | 'onError'> &
  Partial<Pick<ResolvedHandoffOptions, 'gateway' | 'fileLinks' | 'inlineFileMaxBytes'>>;

/** What one delivery needs besides the options. */
export interface DeliveryTurn {
  /** The bot conversation key (for reports). */
  botKey: string;
  /** Resolves when one more send to this conversation fits the pacer's windows (RELIABILITY O6). */
  pace: () => Promise<void>;
}

/** Sends one item to the conversation of `record`. */
export async function deliverItem(options: DeliveryOptions, record: HandoffRecord, item: OutboxItem, turn: DeliveryTurn): Promise<void> {
  const reference = record.reference;
  if (!reference) throw new Error('no conversation reference stored for this conversation');
  if (item.kind === 'status') return deliverStatus(options, record, item, turn);
  if (item.kind === 'held') return deliverHeld(options, reference, item, turn);
  if (item.kind === 'leave') return leave(options, item.gatewayConversationId);
  const activity: Partial<Activity> =
    item.kind === 'notice' ? { type: 'message', text: renderNotice(options.messages, item.key, record.locale, item.params) } : await withFiles(options, record, item, turn.botKey);
  if (item.kind === 'notice' && item.actions?.length) activity.suggestedActions = suggestedActionsFor(item.actions, options.messages, record.locale, reference.user?.id);
  // An empty notice text means "say nothing" (see HandoffMessages).
  if (item.kind === 'notice' && !activity.text) return;
  await proactive(options, reference, turn, async (context) => {
    await context.sendActivity(activity);
  });
}

/** An agent message with its files resolved (agent-files.ts): attachments first, as 8x8 lists them, then its cards. */
async function withFiles(options: DeliveryOptions, record: HandoffRecord, item: Extract<OutboxItem, { kind: 'activity' }>, botKey: string): Promise<Partial<Activity>> {
  if (!item.files?.length) return item.activity;
  const gateway = options.gateway;
  const { attachments, lines } = await resolveAgentFiles(
    {
      download: gateway?.downloadAttachment ? (conversationId, attachmentId) => gateway.downloadAttachment!(conversationId, attachmentId) : undefined,
      describe: gateway?.getAttachment ? (conversationId, attachmentId) => gateway.getAttachment!(conversationId, attachmentId) : undefined,
      fileLinks: options.fileLinks,
      inlineFileMaxBytes: options.inlineFileMaxBytes ?? 0,
      onError: (error) => options.onError(error, { where: 'relay.files', conversation: botKey }),
    },
    item.gatewayConversationId ?? record.gatewayConversationId ?? '',
    item.files,
  );
  const text = [item.activity.text ?? '', ...lines].filter((line) => line !== '').join('\n');
  const all = [...attachments, ...(item.activity.attachments ?? [])];
  return { ...item.activity, text, ...(all.length ? { attachments: all } : {}) };
}

/**
 * Calls the `onStatus` hook for a status item, reporting what it throws. The relay calls it
 * itself for a status item it drops, so the hook hears every status exactly once.
 */
export async function reportStatus(options: DeliveryOptions, record: HandoffRecord, item: Extract<OutboxItem, { kind: 'status' }>, botKey: string): Promise<void> {
  if (!options.onStatus) return;
  const status = { state: item.state, message: item.message, reason: item.reason, summary: item.summary, reference: record.reference ?? {}, gatewayConversationId: record.gatewayConversationId };
  await authorCode(options, botKey, () => options.onStatus!(status));
}

async function deliverStatus(options: DeliveryOptions, record: HandoffRecord, item: Extract<OutboxItem, { kind: 'status' }>, turn: DeliveryTurn): Promise<void> {
  const { bot } = options;
  const reference = record.reference!;
  if (bot) {
    const event = handoffStatusActivity(reference, item.state, item.message, { reason: item.reason, summary: item.summary });
    await proactive(options, reference, turn, (context) => authorCode(options, turn.botKey, () => bot.run(withActivity(context, event))));
  }
  await reportStatus(options, record, item, turn.botKey);
}

/**
 * Runs a message the user typed during a failed create call through the bot, as if it had just
 * arrived, so the bot answers it. Without a `bot` there is no one to give it to (the escalation
 * reported that when it failed).
 */
async function deliverHeld(options: DeliveryOptions, reference: Partial<ConversationReference>, item: Extract<OutboxItem, { kind: 'held' }>, turn: DeliveryTurn): Promise<void> {
  const { bot } = options;
  if (!bot) return;
  const incoming = TurnContext.applyConversationReference({ ...item.activity, type: item.activity.type ?? 'message', id: item.id }, reference, true);
  await proactive(options, reference, turn, (context) => authorCode(options, turn.botKey, () => bot.run(withActivity(context, incoming))));
}

/** Customer-leave at 8x8. A 404 means 8x8 no longer has the conversation: already closed, done. */
async function leave(options: DeliveryOptions, gatewayConversationId: string): Promise<void> {
  if (!options.gateway) return;
  await options.gateway.removeUser(gatewayConversationId).catch((error: unknown) => {
    if (!isConversationGone(error)) throw error;
  });
}

/** Runs the bot author's code (the bot, the `onStatus` hook); what it throws is reported, never retried. */
async function authorCode(options: DeliveryOptions, botKey: string, run: () => unknown): Promise<void> {
  try {
    await run();
  } catch (error) {
    try {
      options.onError(error, { where: 'status', conversation: botKey });
    } catch {
      // The error hook itself must not turn a delivered item into a failed one.
    }
  }
}

/** One proactive turn whose sends are paced and detached (see {@link prepareProactive}). */
function proactive(options: DeliveryOptions, reference: Partial<ConversationReference>, turn: DeliveryTurn, logic: (context: TurnContext) => Promise<void>): Promise<void> {
  return options.adapter.continueConversationAsync(options.botAppId, reference, (context) => logic(prepareProactive(context, turn.pace)));
}

/** Activity types the adapter handles itself without a connector call (CloudAdapter: delay, invoke responses, trace). */
const LOCAL_TYPES = new Set(['delay', 'invokeResponse', 'trace']);

/**
 * Prepares a proactive turn's sends:
 * - drops `replyToId`: it would be the id of botbuilder's synthetic ContinueConversation event,
 *   which the channel never saw; Web Chat then holds each agent message for seconds waiting for it;
 * - takes one pacer slot right before each activity goes to the connector. A batch (the bot's
 *   `sendActivities([...])`) is sent one activity at a time, since slots taken for a whole batch up
 *   front would let the batch itself burst through a window.
 */
export function prepareProactive(context: TurnContext, pace: () => Promise<void>): TurnContext {
  context.onSendActivities(async (_context, activities, next) => {
    for (const activity of activities) delete activity.replyToId;
    if (activities.length <= 1) {
      if (activities.some((a) => !LOCAL_TYPES.has(a.type ?? ''))) await pace();
      return next();
    }
    // botbuilder sends the array it passed to the handlers: send it one activity at a time, then restore it.
    const all = activities.splice(0);
    const responses: ResourceResponse[] = [];
    try {
      for (const activity of all) {
        if (!LOCAL_TYPES.has(activity.type ?? '')) await pace();
        activities.splice(0, activities.length, activity);
        responses.push(...(await next()));
      }
    } finally {
      activities.splice(0, activities.length, ...all);
    }
    return responses;
  });
  return context;
}
