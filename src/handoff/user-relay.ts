/**
 * The user -> 8x8 direction while a handoff is active: text, attachments (uploaded first) and card
 * submits as `authorType: user`, typing as typing, in order per conversation. While the create
 * call is in flight, messages are held in the record and sent once it succeeds.
 */
import type { Activity } from 'botbuilder';
import type { AttachmentRef, ExternalAuthorType } from '../gateway/types';
import { activityToGatewayMessage } from '../transcript';
import type { ForwardFailure } from './forward-failure';
import type { KeyedQueue } from './keyed-queue';
import type { ResolvedHandoffOptions } from './options';
import type { HandoffCore } from './interpreter';
import type { HandoffStore } from './store';
import type { HeldActivity } from './types';

/** A file to upload before the message that references it. */
interface UploadableFile {
  data: Buffer;
  filename: string;
  contentType: string;
}

/** The JSON-safe part of a user activity worth holding (MemoryStorage and others store JSON). */
export function toHeld(activity: Partial<Activity>): HeldActivity {
  const { type, text, attachments, value, locale, textFormat, from } = activity;
  return JSON.parse(JSON.stringify({ type, text, attachments, value, locale, textFormat, from })) as HeldActivity;
}

/** Forwards user activities to the 8x8 conversation. */
export class UserRelay {
  constructor(
    private readonly store: HandoffStore,
    private readonly core: HandoffCore,
    private readonly options: ResolvedHandoffOptions,
    private readonly queue: KeyedQueue,
  ) {}

  /** The per-conversation queue key shared with the escalation's flush of held messages. */
  static queueKey(botKey: string): string {
    return `user:${botKey}`;
  }

  /**
   * Forwards (or holds) one user activity, after every earlier one of the same conversation.
   * Resolves with the failure when 8x8 refused it or could not be reached (the caller decides
   * what the user is told); rejects only when the record cannot be read or written.
   */
  forward(botKey: string, activity: Partial<Activity>): Promise<ForwardFailure | undefined> {
    return this.queue.run(UserRelay.queueKey(botKey), async () => {
      const record = await this.store.read(botKey);
      if (!record || record.state === 'bot') return undefined;
      if (record.state === 'escalating') {
        if (activity.type !== 'message') return undefined;
        const held = toHeld(activity);
        await this.core.apply(botKey, { type: 'hold', now: this.options.clock(), activity: held });
        return undefined;
      }
      const gatewayConversationId = record.gatewayConversationId!;
      return this.send(gatewayConversationId, activity).then(
        () => undefined,
        (error: unknown) => ({ gatewayConversationId, error }),
      );
    });
  }

  /** Sends one activity to 8x8 now (the caller keeps the order). */
  async send(gatewayConversationId: string, activity: Partial<Activity>): Promise<void> {
    const { gateway, fetchAttachment, redact, transcript, adaptiveCardVersion } = this.options;
    if (activity.type === 'typing') return gateway.sendTyping(gatewayConversationId, 'user');
    const converted = await activityToGatewayMessage(activity, { fetchAttachment, redact, maxAttachmentBytes: transcript.maxAttachmentBytes, cardVersion: adaptiveCardVersion });
    if (!converted) return;
    const uploaded = await this.upload(gatewayConversationId, converted.files, 'user');
    const attachments = [...(converted.message.attachments ?? []), ...uploaded];
    await gateway.sendMessage(gatewayConversationId, { ...converted.message, ...(attachments.length ? { attachments } : {}) });
  }

  /** Uploads files in order and returns their references. */
  async upload(gatewayConversationId: string, files: UploadableFile[], authorType: ExternalAuthorType): Promise<AttachmentRef[]> {
    const refs: AttachmentRef[] = [];
    for (const file of files) {
      const uploaded = await this.options.gateway.uploadAttachment(gatewayConversationId, { data: file.data, filename: file.filename, contentType: file.contentType, authorType });
      refs.push({ id: uploaded.id });
    }
    return refs;
  }
}
