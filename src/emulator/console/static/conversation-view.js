// The selected conversation's header, actions and notices (the static skeleton in index.html,
// updated in place so selects and focus survive live updates).
import { byTestId, h, replace } from './dom.js';
import { customerName } from './format.js';

const STATUS_LABELS = { queued: 'Waiting', assigned: 'In progress', ended: 'Ended' };

/** What the current agent may do with `conversation`. */
export function permissions(conversation, agentId) {
  const mine = Boolean(conversation && agentId && conversation.status === 'assigned' && conversation.agentId === agentId);
  return {
    accept: Boolean(conversation && agentId && conversation.status === 'queued'),
    write: mine && !conversation.userLeft,
    transfer: mine,
    end: mine,
  };
}

/** Updates the header, notices and action buttons for `conversation` (or the empty state). */
export function renderConversationView({ conversation, agentId, queues, agentNames }) {
  byTestId('empty-state').hidden = Boolean(conversation);
  byTestId('conversation').hidden = !conversation;
  if (!conversation) return;
  const can = permissions(conversation, agentId);

  byTestId('conversation-title').textContent = customerName(conversation.user);
  const status = byTestId('conversation-status');
  status.textContent = STATUS_LABELS[conversation.status] || conversation.status;
  status.className = `status status--${conversation.status}`;
  status.dataset.status = conversation.status;
  byTestId('conversation-meta').textContent = [
    conversation.queueName || conversation.queueId,
    conversation.agentId ? `agent: ${agentNames.get(conversation.agentId) || conversation.agentId}` : null,
    conversation.user && conversation.user.language,
  ].filter(Boolean).join(' · ');

  byTestId('accept-button').hidden = !can.accept;
  byTestId('end-button').hidden = !can.end;
  byTestId('transfer-controls').hidden = !can.transfer;
  if (can.transfer) updateTransferOptions(queues, conversation.queueId);

  byTestId('user-left-notice').hidden = !conversation.userLeft;
  byTestId('ended-notice').hidden = conversation.status !== 'ended';
  const other = conversation.status === 'assigned' && conversation.agentId !== agentId;
  byTestId('other-agent-notice').hidden = !other;
  if (other) byTestId('other-agent-notice').textContent = `${agentNames.get(conversation.agentId) || conversation.agentId} is handling this conversation.`;
  byTestId('user-typing').hidden = !conversation.userTyping || conversation.status === 'ended';
}

// Rebuilds the options only when the queues change, keeping the agent's pick.
function updateTransferOptions(queues, currentQueueId) {
  const select = byTestId('transfer-queue');
  const targets = queues.filter((q) => q.id !== currentQueueId);
  const signature = targets.map((q) => q.id).join('|');
  if (select.dataset.signature !== signature) {
    const previous = select.value;
    replace(select, targets.map((q) => h('option', { value: q.id }, q.name)));
    select.dataset.signature = signature;
    if (targets.some((q) => q.id === previous)) select.value = previous;
  }
  byTestId('transfer-button').disabled = targets.length === 0;
}
