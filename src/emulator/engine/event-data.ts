/**
 * The `data` objects of the webhook events (REFERENCE.md section 4), built from the stored state.
 * Pure functions: no ids, no time, no I/O.
 */
import type { StoredAttachment, StoredConversation, StoredMessage } from '../store';

/** `CONVERSATION_UPDATE` data: state, assignment, user and the channel display type. */
export function conversationUpdateData(conversation: StoredConversation): Record<string, unknown> {
  return {
    state: conversation.state,
    assignment: { ...conversation.assignment },
    user: structuredClone(conversation.user),
    channel: 'ChatAPI',
  };
}

/** `QUEUED` data. */
export function queuedData(queue: { id: string; name: string }): Record<string, unknown> {
  return { queueId: queue.id, queueName: queue.name };
}

/** `MEMBERS_CHANGED` data. */
export function membersChangedData(memberType: 'agent' | 'user', change: 'joined' | 'left', id: string): Record<string, unknown> {
  return { memberType, change, id };
}

/** `ACTIVITY` typing data; an empty `users` list means typing stopped. */
export function typingData(users: Array<{ id: string; type: string }>): Record<string, unknown> {
  return { name: 'typing', value: { users } };
}

/** 8x8's attachment `type` from a MIME type. */
export function attachmentKind(contentType: string): 'image' | 'video' | 'audio' | 'file' {
  const major = contentType.split('/')[0];
  return major === 'image' || major === 'video' || major === 'audio' ? major : 'file';
}

/** `MESSAGE` data; `presign` makes the time-limited download URL of an attachment. */
export function messageData(
  message: StoredMessage,
  attachments: StoredAttachment[],
  isEcho: boolean,
  presign: (attachment: StoredAttachment) => string,
): Record<string, unknown> {
  return {
    isEcho,
    sender: { id: message.authorId, type: message.authorType },
    text: message.text,
    attachments: attachments.map((a) => ({ id: a.id, type: attachmentKind(a.contentType), preSignedUrl: presign(a), fileName: a.filename })),
    cards: structuredClone(message.cards),
  };
}
