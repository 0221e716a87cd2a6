/**
 * Request-body rules of the Chat Gateway (REFERENCE.md section 3), as pure checks that return
 * the first problem as a sentence, or undefined when the value is valid. Routes pick the error
 * shape, because 8x8 uses a different one per operation.
 */
import type { CardContentType } from '../../gateway/types';

const USER_STRING_FIELDS = ['name', 'userId', 'email', 'phone', 'company', 'caseId', 'language'];

/** The card content types 8x8 accepts. */
export const CARD_CONTENT_TYPES: readonly CardContentType[] = [
  'application/vnd.microsoft.card.adaptive',
  'application/8x8.quick.replies',
  'Interactive',
  'Location',
  'Template',
  'Suggestions',
  'Buttons',
  'Carousel',
];

/** True for a plain JSON object. */
export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Checks `user`: string fields, and `additionalProperties` of at most 30 `{key, value}` items. */
export function checkUser(user: unknown, field = 'user'): string | undefined {
  if (!isObject(user)) return `${field} must be an object`;
  for (const key of USER_STRING_FIELDS) {
    if (user[key] !== undefined && typeof user[key] !== 'string') return `${field}.${key} must be a string`;
  }
  const props = user.additionalProperties;
  if (props === undefined) return undefined;
  if (!Array.isArray(props)) return `${field}.additionalProperties must be an array`;
  if (props.length > 30) return `${field}.additionalProperties must have at most 30 items, got ${props.length}`;
  const bad = props.findIndex((p) => !isObject(p) || typeof p.key !== 'string' || !p.key || typeof p.value !== 'string');
  return bad >= 0 ? `${field}.additionalProperties[${bad}] must have a string key and value` : undefined;
}

/** Checks a request `assignment`: `{ type: 'queue' | 'script', id }`. */
export function checkAssignment(assignment: unknown): string | undefined {
  if (!isObject(assignment)) return 'assignment must be an object';
  if (assignment.type !== undefined && assignment.type !== 'queue' && assignment.type !== 'script') {
    return `Invalid assignment.type=${String(assignment.type)}, has to be one of queue, script`;
  }
  return typeof assignment.id === 'string' && assignment.id ? undefined : 'assignment.id is required';
}

/** Checks `cards`: an array of `{ contentType, content }` with a known content type. */
export function checkCards(cards: unknown, field = 'cards'): string | undefined {
  if (cards === undefined) return undefined;
  if (!Array.isArray(cards)) return `${field} must be an array`;
  for (const [i, card] of cards.entries()) {
    if (!isObject(card)) return `${field}[${i}] must be an object`;
    const type = card.contentType ?? 'application/vnd.microsoft.card.adaptive';
    if (!CARD_CONTENT_TYPES.includes(type as CardContentType)) return `Invalid ${field}[${i}].contentType=${String(type)}`;
    if (!isObject(card.content)) return `${field}[${i}].content must be an object`;
  }
  return undefined;
}

/**
 * Checks a message payload (send message and `history.messages` items): `authorType` user or bot,
 * exactly one of `text` and `externalProvider`, attachment refs that exist, valid cards.
 */
export function checkMessagePayload(body: unknown, attachmentExists: (id: string) => boolean, field = 'message'): string | undefined {
  if (!isObject(body)) return `${field} must be a JSON object`;
  if (body.authorType !== 'user' && body.authorType !== 'bot') {
    return `Invalid authorType=${String(body.authorType)}, has to be one of user, bot`;
  }
  const hasText = body.text !== undefined;
  const hasProvider = body.externalProvider !== undefined;
  if (hasText === hasProvider) return `${field} needs exactly one of text and externalProvider`;
  if (hasText && typeof body.text !== 'string') return `${field}.text must be a string`;
  if (hasProvider) {
    const p = body.externalProvider;
    if (!isObject(p) || p.name !== 'X' || typeof p.externalMessageId !== 'string') {
      return `${field}.externalProvider needs name X and an externalMessageId`;
    }
  }
  if (body.attachments !== undefined) {
    if (!Array.isArray(body.attachments)) return `${field}.attachments must be an array`;
    for (const ref of body.attachments) {
      if (!isObject(ref) || typeof ref.id !== 'string') return `${field}.attachments items need an id`;
      if (!attachmentExists(ref.id)) return `Attachment with id ${ref.id} was not found`;
    }
  }
  return checkCards(body.cards, `${field}.cards`);
}
