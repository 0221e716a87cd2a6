/**
 * The bot's replies as 8x8 messages: `authorType: "bot"`, files uploaded first, Adaptive and hero
 * cards as Adaptive Cards, suggested actions as 8x8 quick replies; typing as typing. Activities
 * 8x8 has no place for (events, traces, invoke responses) are skipped.
 */
import type { Activity } from 'botbuilder';
import { activityToGatewayMessage } from '../transcript';
import type { ResolvedChatGatewayAdapterOptions } from './options';
import { sleep } from '../time';

/** What one send did: a message posted, a signal sent, or nothing. */
export type SendResult = 'message' | 'typing' | 'skipped';

/** Sends one bot activity to the 8x8 conversation. */
export async function sendToGateway(options: ResolvedChatGatewayAdapterOptions, conversationId: string, activity: Partial<Activity>): Promise<SendResult> {
  const { gateway } = options;
  if (activity.type === 'typing') {
    await gateway.sendTyping(conversationId, 'bot');
    return 'typing';
  }
  if (activity.type === 'delay') {
    const ms = typeof activity.value === 'number' ? activity.value : 1000;
    await sleep(options.scheduler, ms);
    return 'skipped';
  }
  if ((activity.type ?? 'message') !== 'message') return 'skipped';
  const converted = await activityToGatewayMessage(
    { ...activity, type: 'message' },
    { fetchAttachment: options.fetchAttachment, maxAttachmentBytes: options.maxAttachmentBytes, redact: options.redact, authorType: 'bot' },
  );
  if (!converted) return 'skipped';
  const attachments = [...(converted.message.attachments ?? [])];
  for (const file of converted.files) {
    const uploaded = await gateway.uploadAttachment(conversationId, { data: file.data, filename: file.filename, contentType: file.contentType, authorType: 'bot' });
    attachments.push({ id: uploaded.id });
  }
  await gateway.sendMessage(conversationId, { ...converted.message, ...(attachments.length ? { attachments } : {}) });
  return 'message';
}
