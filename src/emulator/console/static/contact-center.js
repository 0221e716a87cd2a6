// The contact-center controls in the console's top bar: the open/closed switch (what the Tenant
// Schedule API answers) and whether the signed-in agent is logged in (what queue statistics count).
// Contract: GET/POST /console/api/contact-center (src/emulator/contact-center/console-routes.ts).
import { h, replace } from './dom.js';
import { attempt } from './toast.js';

const BASE = new URL('../api/contact-center/', import.meta.url);

async function call(path, body) {
  const init = body === undefined ? {} : { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) };
  const response = await fetch(new URL(path, BASE), init);
  const json = await response.json().catch(() => ({}));
  if (!response.ok) throw new Error(json.error || `${response.status} ${response.statusText}`);
  return json;
}

/**
 * Renders the controls into `root` and returns `refresh(agentId)`, to call on every snapshot
 * (the switch and presence live on the server; several tabs stay in step through it).
 */
export function mountContactCenter(root) {
  const mode = h('select', { 'data-testid': 'open-mode', 'aria-label': 'Contact center hours' });
  const presence = h('input', { type: 'checkbox', 'data-testid': 'agent-presence' });
  const label = h('span', { class: 'open-state', 'data-testid': 'open-state' });
  replace(root, [
    h('label', { class: 'agent-picker' }, h('span', {}, 'Contact center'), mode, label),
    h('label', { class: 'agent-picker' }, presence, h('span', {}, 'Logged in')),
  ]);
  let agentId = null;

  async function refresh(currentAgent) {
    agentId = currentAgent;
    const state = await call('').catch(() => null);
    if (!state) return;
    const options = [['open', 'Open'], ['closed', 'Closed'], ...(state.hasSchedule ? [['schedule', 'By schedule']] : [])];
    if (mode.dataset.signature !== String(options.length)) {
      replace(mode, options.map(([value, text]) => h('option', { value }, text)));
      mode.dataset.signature = String(options.length);
    }
    mode.value = state.mode;
    label.textContent = state.open ? 'open now' : 'closed now';
    label.dataset.open = String(state.open);
    presence.checked = !(state.loggedOut || []).includes(agentId);
  }

  mode.addEventListener('change', () => attempt('Changing the hours', () => call('open', { mode: mode.value })).then(() => refresh(agentId)));
  presence.addEventListener('change', () => {
    if (!agentId) return;
    attempt('Changing presence', () => call(`agents/${encodeURIComponent(agentId)}/presence`, { loggedIn: presence.checked })).then(() => refresh(agentId));
  });
  return refresh;
}
