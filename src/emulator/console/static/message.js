// One message of the conversation log: author, time, text, attachments and cards.
import { h } from './dom.js';
import { bytes, clock } from './format.js';
import { renderCard } from './cards.js';
import { displayText } from './message-text.js';

const AUTHOR_LABELS = { user: 'Customer', bot: 'Bot', agent: 'Agent', system: 'System' };

/**
 * Renders a message; `names` maps agent ids to display names, `customer` is the customer's name,
 * `messages` is the conversation (a card submit is shown with the labels of the card it answers).
 */
export function renderMessage(message, { names, customer, messages = [] }) {
  const author = authorLabel(message, names, customer);
  const shown = displayText(message, messages);
  return h('article', {
    class: `msg msg--${message.authorType}${message.fromHistory ? ' msg--history' : ''}`,
    testid: 'message',
    dataset: { messageId: message.id, authorType: message.authorType, fromHistory: String(message.fromHistory) },
  },
  h('header', { class: 'msg__meta' },
    h('span', { class: 'msg__author', testid: 'message-author' }, author),
    message.fromHistory ? h('span', { class: 'tag tag--history', testid: 'history-tag' }, 'History') : null,
    h('time', { class: 'msg__time', datetime: message.createdAt }, clock(message.createdAt))),
  h('div', { class: 'msg__bubble' },
    shown.text ? h('div', { class: 'msg__text', testid: 'message-text', title: shown.raw, dataset: shown.raw ? { raw: shown.raw } : undefined }, shown.text) : null,
    message.attachments.length ? h('div', { class: 'attachments' }, message.attachments.map(renderAttachment)) : null,
    message.cards.length ? h('div', { class: 'cards' }, message.cards.map(renderCard)) : null));
}

function authorLabel(message, names, customer) {
  if (message.authorType === 'agent') return (message.authorId && names.get(message.authorId)) || message.authorId || 'Agent';
  if (message.authorType === 'user') return customer || AUTHOR_LABELS.user;
  return AUTHOR_LABELS[message.authorType] || message.authorType;
}

/** An attachment: images inline; every kind with View (inline URL) and Download links. */
export function renderAttachment(attachment) {
  const isImage = /^image\//.test(attachment.contentType);
  return h('figure', { class: `attachment${isImage ? ' attachment--image' : ''}`, testid: 'attachment', dataset: { attachmentId: attachment.id } },
    isImage
      ? h('a', { href: attachment.url, target: '_blank', rel: 'noopener' },
        h('img', { src: attachment.url, alt: attachment.filename, loading: 'lazy', testid: 'attachment-image' }))
      : h('div', { class: 'attachment__icon', 'aria-hidden': 'true' }, fileIcon(attachment.contentType)),
    h('figcaption', null,
      h('span', { class: 'attachment__name', title: attachment.filename }, attachment.filename),
      h('span', { class: 'attachment__size' }, `${attachment.contentType} · ${bytes(attachment.sizeInBytes)}`),
      h('span', { class: 'attachment__links' },
        h('a', { href: attachment.url, target: '_blank', rel: 'noopener', testid: 'attachment-view' }, 'View'),
        h('a', { href: attachment.downloadUrl, download: attachment.filename, testid: 'attachment-download' }, 'Download'))));
}

function fileIcon(contentType) {
  if (/pdf/.test(contentType)) return 'PDF';
  if (/^text\//.test(contentType)) return 'TXT';
  if (/^audio\//.test(contentType)) return '♪';
  if (/^video\//.test(contentType)) return '▶';
  return 'FILE';
}
