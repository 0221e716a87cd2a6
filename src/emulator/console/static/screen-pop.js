// The customer panel (screen-pop): who the customer is and what the bot passed along.
import { h, replace } from './dom.js';
import { customerName, initials } from './format.js';

const FIELDS = [
  ['email', 'Email'],
  ['phone', 'Phone'],
  ['company', 'Company'],
  ['language', 'Language'],
  ['userId', 'User id'],
  ['caseId', 'Case id'],
];

/** Renders the panel for `conversation` (or an empty state). */
export function renderScreenPop(container, conversation) {
  if (!conversation) {
    replace(container, h('p', { class: 'muted' }, 'Customer details appear here.'));
    return;
  }
  const user = conversation.user || {};
  const props = user.additionalProperties || [];
  replace(container,
    h('div', { class: 'pop__who' },
      h('span', { class: 'avatar avatar--large', 'aria-hidden': 'true' }, initials(customerName(user))),
      h('div', null,
        h('div', { class: 'pop__name', testid: 'pop-name' }, customerName(user)),
        h('div', { class: 'muted' }, conversation.queueName ? `via ${conversation.queueName}` : 'no queue'))),
    h('h3', null, 'Contact'),
    h('dl', { class: 'pop__fields', testid: 'pop-fields' },
      FIELDS.filter(([key]) => user[key]).map(([key, label]) => [
        h('dt', null, label),
        h('dd', { testid: `pop-${key}` }, user[key]),
      ])),
    h('h3', null, 'From the bot'),
    props.length
      ? h('dl', { class: 'pop__fields', testid: 'pop-props' },
        props.map((p) => [h('dt', null, p.key), h('dd', { testid: 'pop-prop', dataset: { key: p.key } }, p.value)]))
      : h('p', { class: 'muted' }, 'No additional properties.'),
    h('h3', null, 'Conversation'),
    h('dl', { class: 'pop__fields' },
      h('dt', null, 'Id'), h('dd', { class: 'mono', testid: 'pop-conversation-id' }, conversation.id),
      h('dt', null, 'Channel'), h('dd', { class: 'mono' }, conversation.channelId),
      h('dt', null, '8x8 state'), h('dd', { testid: 'pop-state' }, conversation.state),
      h('dt', null, 'Started'), h('dd', null, new Date(conversation.createdAt).toLocaleString())));
}
