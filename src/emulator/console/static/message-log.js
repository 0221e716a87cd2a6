// The selected conversation's message log. Updated in place on every snapshot: only new or
// changed messages are (re)rendered, so rendered cards, images and the scroll position survive.
import { h } from './dom.js';
import { renderMessage } from './message.js';

const NEAR_BOTTOM_PX = 48;

/** Creates a log bound to a scroll container; call `update(conversation, context)` per snapshot. */
export function createMessageLog(container) {
  let conversationId = null;
  const rendered = new Map(); // message id -> { key, node }

  function reset(id) {
    conversationId = id;
    rendered.clear();
    container.replaceChildren();
  }

  function update(conversation, context) {
    const switched = !conversation || conversation.id !== conversationId;
    if (switched) reset(conversation ? conversation.id : null);
    if (!conversation) return;
    const atBottom = container.scrollHeight - container.scrollTop - container.clientHeight < NEAR_BOTTOM_PX;
    let changed = false;
    conversation.messages.forEach((message, index) => {
      changed = place(message, index, conversation, context) || changed;
    });
    placeDivider(conversation);
    if (switched || (changed && atBottom)) scrollToBottom();
  }

  /** Renders a message when new or changed; keeps the existing node otherwise. */
  function place(message, index, conversation, context) {
    const key = JSON.stringify(message);
    const existing = rendered.get(message.id);
    if (existing && existing.key === key) return false;
    const node = renderMessage(message, { ...context, messages: conversation.messages });
    node.querySelectorAll('img').forEach((img) => img.addEventListener('load', keepBottomOnLoad, { once: true }));
    if (existing) existing.node.replaceWith(node);
    else container.append(node);
    rendered.set(message.id, { key, node });
    return true;
  }

  // Marks where the bot's history ends and the live conversation with agents begins.
  function placeDivider(conversation) {
    const lastHistory = [...conversation.messages].reverse().find((m) => m.fromHistory);
    let divider = container.querySelector('.log-divider');
    if (!lastHistory) {
      if (divider) divider.remove();
      return;
    }
    divider = divider || h('div', { class: 'log-divider', testid: 'handoff-divider', role: 'separator' },
      h('span', null, 'Handed off to an agent — history above'));
    const anchor = rendered.get(lastHistory.id);
    if (anchor && anchor.node.nextSibling !== divider) anchor.node.after(divider);
  }

  let wasAtBottom = true;
  container.addEventListener('scroll', () => {
    wasAtBottom = container.scrollHeight - container.scrollTop - container.clientHeight < NEAR_BOTTOM_PX;
  });
  function keepBottomOnLoad() {
    if (wasAtBottom) scrollToBottom();
  }
  function scrollToBottom() {
    container.scrollTop = container.scrollHeight;
    wasAtBottom = true;
  }

  return { update };
}
