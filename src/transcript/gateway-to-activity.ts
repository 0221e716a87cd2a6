/**
 * The live relay, agent to user: an 8x8 `MESSAGE` (or legacy `TEXT`) as a Bot Framework message.
 */
import type { Activity, Attachment } from 'botbuilder';
import type { LegacyTextEvent, MessageEvent } from '../webhook/events';
import { ADAPTIVE_CARD_CONTENT_TYPE, parseCardContent } from './adaptive-card';
import { cardText } from './card-text';
import { guessContentType } from './content-type';
import { QUICK_REPLIES_CONTENT_TYPE, quickRepliesToSuggestedActions } from './quick-replies';

/** Options of {@link gatewayMessageToActivity}. */
export interface GatewayToActivityOptions {
  /** Adds `channelData.eightByEight` with sender and message ids, for telemetry. Default true. */
  includeChannelData?: boolean;
  /**
   * Leaves the message's files out of the activity (text, cards and suggested actions only), for a
   * caller that resolves them itself from {@link gatewayFiles} (the middleware: by id, through
   * its own links or inline). Default false: files become attachments linking to `preSignedUrl`.
   */
  omitFiles?: boolean;
}

/** One file of an 8x8 MESSAGE, as 8x8 described it (only `id` is always there). */
export interface GatewayFile {
  id: string;
  fileName?: string;
  /** 8x8's kind: `image`, `video`, `audio` or `file`. */
  type?: string;
  /** 8x8's time-limited download URL, when the event had one. */
  preSignedUrl?: string;
}

/** The files of a MESSAGE, in order, with only the fields that are strings. Pure. */
export function gatewayFiles(data: Pick<MessageData, 'attachments'>): GatewayFile[] {
  return (data.attachments ?? []).map((a) => {
    const file: GatewayFile = { id: a.id };
    if (typeof a.fileName === 'string' && a.fileName) file.fileName = a.fileName;
    if (typeof a.type === 'string' && a.type) file.type = a.type;
    if (typeof a.preSignedUrl === 'string' && a.preSignedUrl) file.preSignedUrl = a.preSignedUrl;
    return file;
  });
}

type MessageData = MessageEvent['data'];

function toAttachment(a: NonNullable<MessageData['attachments']>[number]): Attachment | string {
  const name = a.fileName ?? a.id;
  if (!a.preSignedUrl) return `[Attachment: ${name} (not available)]`;
  return { contentType: guessContentType(a.fileName, a.type), contentUrl: a.preSignedUrl, name };
}

/**
 * Text as text; files as attachments (`contentUrl` = `preSignedUrl`); Adaptive Cards as card
 * attachments; quick replies as `suggestedActions` (imBack); other card types as readable text.
 */
export function gatewayMessageToActivity(data: MessageData, options: GatewayToActivityOptions = {}): Partial<Activity> {
  const lines: string[] = data.text && data.text.trim() !== '' ? [data.text] : [];
  const attachments: Attachment[] = [];
  const activity: Partial<Activity> = { type: 'message' };
  for (const a of options.omitFiles ? [] : (data.attachments ?? [])) {
    const out = toAttachment(a);
    if (typeof out === 'string') lines.push(out);
    else attachments.push(out);
  }
  for (const card of data.cards ?? []) {
    const content = parseCardContent(card.content);
    const suggested = card.contentType === QUICK_REPLIES_CONTENT_TYPE ? quickRepliesToSuggestedActions(content) : undefined;
    // An empty card (8x8's own example has `"content": {}`) shows nothing: skipped, not sent as a blank card.
    if (content && Object.keys(content).length === 0) continue;
    if (card.contentType === ADAPTIVE_CARD_CONTENT_TYPE && content) {
      attachments.push({ contentType: ADAPTIVE_CARD_CONTENT_TYPE, content });
    } else if (suggested) {
      activity.suggestedActions = suggested;
    } else {
      lines.push(cardText(content ?? card.content, card.contentType));
    }
  }
  activity.text = lines.join('\n');
  if (attachments.length > 0) activity.attachments = attachments;
  if (options.includeChannelData ?? true) {
    const messageId = data.messageId ?? data.id;
    activity.channelData = { eightByEight: { senderId: data.sender?.id, senderType: data.sender?.type, ...(messageId ? { messageId } : {}) } };
  }
  return activity;
}

/** A legacy (Chat API v2) `TEXT` event as a message. */
export function legacyTextToActivity(event: LegacyTextEvent): Partial<Activity> {
  return { type: 'message', text: event.message, channelData: { eightByEight: { senderId: event.agentId, senderType: 'agent' } } };
}
