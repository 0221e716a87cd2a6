// The agent console's entry point: holds the latest snapshot, the chosen agent and the selected
// conversation, and re-renders on every `snapshot` event. The emulator owns all conversation state.
import { byTestId, h, replace } from './dom.js';
import { elapsed } from './format.js';
import * as api from './api.js';
import { connectEvents } from './events.js';
import { attempt } from './toast.js';
import { groupConversations, renderLists } from './lists.js';
import { createMessageLog } from './message-log.js';
import { renderScreenPop } from './screen-pop.js';
import { permissions, renderConversationView } from './conversation-view.js';
import { createComposer } from './composer.js';
import { createCardDialog } from './card-dialog.js';
import { adaptiveCard } from './cards.js';
import { mountContactCenter } from './contact-center.js';

// sessionStorage is per tab, so each tab keeps its own agent: several agents, several tabs.
const AGENT_KEY = '8x8-console.agentId';
const SELECTED_KEY = '8x8-console.selectedId';

const state = {
  snapshot: { queues: [], agents: [], conversations: [] },
  agentId: sessionStorage.getItem(AGENT_KEY),
  selectedId: sessionStorage.getItem(SELECTED_KEY),
};

const log = createMessageLog(byTestId('message-log'));
const refreshContactCenter = mountContactCenter(byTestId('contact-center'));
const composer = createComposer({ target: writableTarget });
const cardDialog = createCardDialog({ onSend: sendCard });

function selected() {
  return state.snapshot.conversations.find((c) => c.id === state.selectedId) || null;
}

function writableTarget() {
  const conversation = selected();
  return conversation && permissions(conversation, state.agentId).write
    ? { conversationId: conversation.id, agentId: state.agentId }
    : null;
}

function agentNames() {
  return new Map(state.snapshot.agents.map((a) => [a.id, a.name]));
}

function render() {
  const { snapshot, agentId } = state;
  const agent = snapshot.agents.find((a) => a.id === agentId);
  const names = agentNames();
  const groups = groupConversations(snapshot.conversations, agent);
  renderLists(byTestId('sidebar'), { groups, selectedId: state.selectedId, now: Date.now(), agentNames: names, onSelect: select });
  const conversation = selected();
  renderConversationView({ conversation, agentId, queues: snapshot.queues, agentNames: names });
  log.update(conversation, { names, customer: conversation && conversation.user && conversation.user.name });
  renderScreenPop(byTestId('screen-pop'), conversation);
  composer.switchTo(conversation ? conversation.id : null);
  composer.setEnabled(permissions(conversation, agentId).write);
  document.title = `${groups.queued.length ? `(${groups.queued.length}) ` : ''}Agent console · 8x8 emulator`;
}

function select(id) {
  state.selectedId = id;
  sessionStorage.setItem(SELECTED_KEY, id);
  render();
  byTestId('composer-input').focus();
}

// Keeps the picker's options in step with the snapshot and the agent choice valid.
function renderAgentPicker() {
  const picker = byTestId('agent-picker');
  const agents = state.snapshot.agents;
  const signature = agents.map((a) => `${a.id}:${a.name}`).join('|');
  if (picker.dataset.signature !== signature) {
    replace(picker, agents.map((a) => h('option', { value: a.id }, a.name)));
    picker.dataset.signature = signature;
  }
  if (!agents.some((a) => a.id === state.agentId) && agents.length) setAgent(agents[0].id);
  picker.value = state.agentId || '';
}

function setAgent(id) {
  state.agentId = id;
  sessionStorage.setItem(AGENT_KEY, id);
}

function setConnection(status) {
  const indicator = byTestId('connection-status');
  indicator.dataset.state = status;
  indicator.textContent = { connecting: 'Connecting…', live: 'Live', lost: 'Offline' }[status];
  byTestId('connection-banner').hidden = status !== 'lost';
}

// Disables the button while the call is in flight, so a double click does not act twice.
async function selectedAction(button, label, call) {
  const conversation = selected();
  if (!conversation || !state.agentId) return;
  button.disabled = true;
  await attempt(label, () => call(conversation.id, state.agentId));
  button.disabled = false;
}

async function sendCard(content) {
  const target = writableTarget();
  if (!target) return false;
  return attempt('Sending the card', () => api.sendMessage(target.conversationId, target.agentId, { cards: [adaptiveCard(content)] }));
}

byTestId('agent-picker').addEventListener('change', (event) => {
  setAgent(event.target.value);
  render();
  refreshContactCenter(state.agentId);
});
byTestId('accept-button').addEventListener('click', (event) => selectedAction(event.currentTarget, 'Accept', api.accept));
byTestId('end-button').addEventListener('click', (event) => selectedAction(event.currentTarget, 'Ending', api.end));
byTestId('transfer-button').addEventListener('click', (event) => {
  const queueId = byTestId('transfer-queue').value;
  if (queueId) selectedAction(event.currentTarget, 'Transfer', (id, agentId) => api.transfer(id, agentId, queueId));
});
byTestId('card-button').addEventListener('click', () => cardDialog.open());

// Wait times tick without waiting for the next snapshot.
setInterval(() => {
  const now = Date.now();
  document.querySelectorAll('[data-testid="item-wait"]').forEach((el) => {
    el.textContent = elapsed(el.dataset.since, now);
  });
}, 1000);

connectEvents(api.EVENTS_URL, {
  onStatus: setConnection,
  onSnapshot(snapshot) {
    state.snapshot = snapshot;
    renderAgentPicker();
    render();
    refreshContactCenter(state.agentId);
  },
});
