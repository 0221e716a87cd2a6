/**
 * The texts the user is told, their defaults and their localization. Every text can be replaced
 * (plainly or per locale) through the `messages` option or the declarative config's `messages`.
 */
import { localeChain } from '../triggers/text';
import type { NoticeKey } from './types';

/** A text, or texts by locale (`fr`, `fr-CA`, `default`). */
export type LocalizedText = string | Record<string, string>;

/**
 * Replacement texts by notice key. `{agentName}`, `{nextOpening}`, `{position}`,
 * `{estimatedWaitMinutes}` and `{endAfterMinutes}` are filled in where they apply. The `*Action`
 * keys are the labels of suggested actions. An empty text
 * silences that notice (nothing is sent).
 */
export type HandoffMessages = Partial<Record<NoticeKey, LocalizedText>>;

/** The built-in English texts. */
export const DEFAULT_MESSAGES: Readonly<Record<NoticeKey, string>> = {
  connecting: 'Connecting you with a person. Please wait a moment…',
  failed: "Sorry, I couldn't reach a person right now. I'm still here to help.",
  cooldown: 'Sorry, no one is available right now. Please try again in a little while.',
  agentJoined: 'An agent joined the conversation.',
  agentJoinedNamed: '{agentName} joined the conversation.',
  transferring: 'You are being transferred to another agent. Please wait…',
  agentLeft: 'The agent left the conversation. You are chatting with the bot again.',
  userEnded: 'You ended the conversation with the agent. You are chatting with the bot again.',
  filesFromBot: 'Files shared before the handoff:',
  conversationLost: 'Sorry, the conversation with the agent ended unexpectedly. You are chatting with the bot again.',
  notDelivered: "Sorry, your last message could not be delivered to the agent. Please send it again.",
  userRemoved: 'The conversation with the agent was closed. You are chatting with the bot again.',
  closed: "Sorry, our team isn't available right now. I'm still here to help.",
  closedUntil: "Sorry, our team isn't available right now. We're back on {nextOpening}. I'm still here to help.",
  noAgents: "Sorry, no one from our team is available right now. I'm still here to help.",
  leaveMessagePrompt: 'If you like, type a message now and our team will get back to you. Say "cancel" to skip.',
  messageLeft: 'Thank you, your message was passed on to our team.',
  messageNotLeft: 'OK, no message was left.',
  userCancelled: 'OK, I cancelled your request to talk to a person. You are chatting with the bot again.',
  waitingUpdate: 'Thanks for waiting. You are still in the queue for the next available person.',
  waitingPosition: 'Thanks for waiting. You are number {position} in the queue.',
  waitingEstimate: 'Thanks for waiting. The estimated wait is about {estimatedWaitMinutes} min.',
  waitingPositionEstimate: 'Thanks for waiting. You are number {position} in the queue; the estimated wait is about {estimatedWaitMinutes} min.',
  maxWaitOffer: 'Sorry for the long wait. Do you want to keep waiting for a person, or go back to the bot?',
  keepWaitingAction: 'Keep waiting',
  backToBotAction: 'Back to the bot',
  keptWaiting: 'OK, you keep your place in the queue.',
  leftQueue: 'OK, you left the queue. You are chatting with the bot again.',
  maxWaitReturned: 'Sorry, no one could take your chat in time. You are chatting with the bot again.',
  inactivityReminder: 'Are you still there? Send a message within {endAfterMinutes} min to keep this chat open.',
  inactivityEnded: 'The chat ended because there was no reply. You are chatting with the bot again.',
};

/** True when `key` names a notice. */
export function isNoticeKey(key: string): key is NoticeKey {
  return Object.prototype.hasOwnProperty.call(DEFAULT_MESSAGES, key);
}

/** Picks the text of `key` for `locale` ('fr-CA' -> 'fr-ca' -> 'fr' -> 'default'), filling `{params}`. */
export function renderNotice(messages: HandoffMessages, key: NoticeKey, locale: string | undefined, params: Record<string, string> = {}): string {
  const text = pickLocalized(messages[key], locale) ?? DEFAULT_MESSAGES[key];
  return text.replace(/\{(\w+)\}/g, (match, name: string) => params[name] ?? match);
}

function pickLocalized(text: LocalizedText | undefined, locale: string | undefined): string | undefined {
  if (text === undefined || typeof text === 'string') return text;
  const lowered = Object.fromEntries(Object.entries(text).map(([k, v]) => [k.toLowerCase(), v]));
  for (const candidate of localeChain(locale)) if (lowered[candidate] !== undefined) return lowered[candidate];
  return undefined;
}
