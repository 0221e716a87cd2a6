// The console's calls to the emulator (see src/emulator/console-api.ts for the contract).
// URLs are resolved against this script, so the page works wherever the emulator mounts it.

const API = new URL('../api/', import.meta.url);

/** The Server-Sent Events URL (`/console/api/events`). */
export const EVENTS_URL = new URL('events', API).href;

/** Builds an Error from a failed response, preferring the emulator's `{ error }` message. */
async function failure(response) {
  let message = `${response.status} ${response.statusText}`;
  try {
    const body = await response.json();
    if (body && body.error) message = body.error;
  } catch {
    // Not JSON: keep the status line.
  }
  const error = new Error(message);
  error.status = response.status;
  return error;
}

async function post(path, body) {
  const init = body instanceof FormData
    ? { method: 'POST', body }
    : { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) };
  const response = await fetch(new URL(path, API), init);
  if (!response.ok) throw await failure(response);
}

function conversationPath(id, action) {
  return `conversations/${encodeURIComponent(id)}/${action}`;
}

/** Fetches one snapshot (used as a fallback; the event stream normally pushes them). */
export async function fetchState() {
  const response = await fetch(new URL('state', API));
  if (!response.ok) throw await failure(response);
  return response.json();
}

/** Takes a queued conversation. */
export function accept(id, agentId) {
  return post(conversationPath(id, 'accept'), { agentId });
}

/** Starts (`true`) or stops (`false`) the agent's typing indicator. */
export function typing(id, agentId, isTyping) {
  return post(conversationPath(id, 'typing'), { agentId, typing: isTyping });
}

/** Sends text and/or cards as JSON. */
export function sendMessage(id, agentId, { text, cards }) {
  const body = { agentId };
  if (text) body.text = text;
  if (cards && cards.length) body.cards = cards;
  return post(conversationPath(id, 'messages'), body);
}

/** Sends one file (multipart), with optional text. */
export function sendFile(id, agentId, file, text) {
  const form = new FormData();
  form.append('agentId', agentId);
  if (text) form.append('text', text);
  form.append('file', file, file.name);
  return post(conversationPath(id, 'messages'), form);
}

/** Moves the conversation to another queue. */
export function transfer(id, agentId, queueId) {
  return post(conversationPath(id, 'transfer'), { agentId, queueId });
}

/** The agent leaves and the conversation ends. */
export function end(id, agentId) {
  return post(conversationPath(id, 'end'), { agentId });
}
