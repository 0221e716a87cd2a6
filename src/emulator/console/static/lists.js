// The sidebar: the waiting queue (with the screen-pop summary), the agent's own conversations,
// the ones other agents hold, and ended ones.
import { h, replace } from './dom.js';
import { customerName, elapsed, initials, preview } from './format.js';

/** Splits conversations into the sidebar's sections for `agent` (may be undefined). */
export function groupConversations(conversations, agent) {
  const inMyQueues = (c) => !agent || !agent.queueIds || !agent.queueIds.length || !c.queueId || agent.queueIds.includes(c.queueId);
  const byNewest = (a, b) => Date.parse(b.createdAt) - Date.parse(a.createdAt);
  const byOldest = (a, b) => -byNewest(a, b);
  return {
    queued: conversations.filter((c) => c.status === 'queued' && inMyQueues(c)).sort(byOldest),
    mine: conversations.filter((c) => c.status === 'assigned' && agent && c.agentId === agent.id).sort(byNewest),
    others: conversations.filter((c) => c.status === 'assigned' && (!agent || c.agentId !== agent.id)).sort(byNewest),
    ended: conversations.filter((c) => c.status === 'ended').sort(byNewest),
  };
}

/** Renders the sidebar into `container`; `onSelect(id)` runs when an item is clicked. */
export function renderLists(container, { groups, selectedId, now, agentNames, onSelect }) {
  const scrollTop = container.scrollTop;
  replace(container,
    section('queue', 'Waiting', groups.queued, 'No customers waiting', (c) => queueItem(c, now)),
    section('mine', 'My conversations', groups.mine, 'Accept a customer from the queue', (c) => activeItem(c)),
    groups.others.length ? section('others', 'With other agents', groups.others, '', (c) => activeItem(c, agentNames.get(c.agentId) || c.agentId)) : null,
    section('ended', 'Ended', groups.ended, 'Nothing ended yet', (c) => activeItem(c)));
  container.scrollTop = scrollTop;

  function section(id, title, items, emptyText, body) {
    return h('section', { class: 'list', testid: `${id}-list`, 'aria-label': title },
      h('h2', { class: 'list__title' }, title, h('span', { class: 'count', testid: `${id}-count` }, String(items.length))),
      items.length
        ? items.map((c) => item(c, body(c)))
        : h('p', { class: 'list__empty' }, emptyText));
  }

  function item(conversation, body) {
    const selected = conversation.id === selectedId;
    return h('button', {
      type: 'button',
      class: `item item--${conversation.status}${selected ? ' item--selected' : ''}`,
      testid: 'conversation-item',
      'aria-current': selected ? 'true' : undefined,
      dataset: { conversationId: conversation.id, status: conversation.status },
      onclick: () => onSelect(conversation.id),
    },
    h('span', { class: 'avatar', 'aria-hidden': 'true' }, initials(customerName(conversation.user))),
    h('span', { class: 'item__body' }, body));
  }
}

function queueItem(c, now) {
  const user = c.user || {};
  const props = user.additionalProperties || [];
  return [
    h('span', { class: 'item__row' },
      h('strong', { class: 'item__name', testid: 'item-name' }, customerName(user)),
      h('span', { class: 'wait', testid: 'item-wait', dataset: { since: c.createdAt }, title: 'Waiting time' }, elapsed(c.createdAt, now))),
    h('span', { class: 'item__row item__sub' },
      user.email ? h('span', { testid: 'item-email' }, user.email) : null,
      user.language ? h('span', { class: 'tag', testid: 'item-language' }, user.language) : null,
      c.queueName || c.queueId ? h('span', { class: 'tag tag--queue', testid: 'item-queue' }, c.queueName || c.queueId) : null),
    props.length
      ? h('span', { class: 'item__props', testid: 'item-props' },
        props.map((p) => h('span', { class: 'prop', testid: 'item-prop' }, h('b', null, `${p.key}: `), p.value)))
      : null,
    c.userTyping ? h('span', { class: 'item__typing' }, 'typing…') : null,
  ];
}

function activeItem(c, agentName) {
  return [
    h('span', { class: 'item__row' },
      h('strong', { class: 'item__name', testid: 'item-name' }, customerName(c.user)),
      c.userLeft ? h('span', { class: 'tag tag--warn' }, 'left') : null,
      c.queueName ? h('span', { class: 'tag tag--queue' }, c.queueName) : null),
    h('span', { class: 'item__preview' }, c.userTyping ? 'typing…' : preview(c)),
    agentName ? h('span', { class: 'item__sub' }, `with ${agentName}`) : null,
  ];
}
