// The reply box: text, one pending file, the typing indicator, per-conversation drafts.
import { byTestId } from './dom.js';
import { bytes } from './format.js';
import * as api from './api.js';
import { attempt } from './toast.js';
import { createTypingController } from './typing.js';

/**
 * Wires the composer. `target()` returns `{ conversationId, agentId }` while the agent may write
 * in the selected conversation, or null. Returns `{ setEnabled(enabled), switchTo(conversationId) }`.
 */
export function createComposer({ target }) {
  const form = byTestId('composer');
  const input = byTestId('composer-input');
  const fileInput = byTestId('file-input');
  const pending = byTestId('pending-file');
  const send = byTestId('send-button');
  const drafts = new Map();
  let current = null;
  let busy = false;

  const typing = createTypingController((id, isTyping) => {
    const t = target();
    if (t && t.conversationId === id) attempt('Typing indicator', () => api.typing(id, t.agentId, isTyping));
  });

  input.addEventListener('input', () => {
    const t = target();
    if (t && input.value.trim()) typing.input(t.conversationId);
  });
  input.addEventListener('keydown', (event) => {
    if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      form.requestSubmit();
    }
  });
  fileInput.addEventListener('change', showPendingFile);
  byTestId('pending-file-remove').addEventListener('click', clearFile);
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    submit();
  });

  async function submit() {
    const t = target();
    const text = input.value.trim();
    const file = fileInput.files && fileInput.files[0];
    if (!t || busy || (!text && !file)) return;
    busy = true;
    send.disabled = true;
    typing.stop();
    const ok = await attempt(file ? 'Sending the file' : 'Sending', () => (file
      ? api.sendFile(t.conversationId, t.agentId, file, text)
      : api.sendMessage(t.conversationId, t.agentId, { text })));
    busy = false;
    send.disabled = input.disabled;
    if (ok) {
      input.value = '';
      drafts.delete(t.conversationId);
      clearFile();
      input.focus();
    }
  }

  function showPendingFile() {
    const file = fileInput.files && fileInput.files[0];
    pending.hidden = !file;
    byTestId('pending-file-name').textContent = file ? `${file.name} · ${bytes(file.size)}` : '';
  }

  function clearFile() {
    fileInput.value = '';
    showPendingFile();
  }

  return {
    setEnabled(enabled) {
      for (const el of [input, fileInput, send, byTestId('card-button')]) el.disabled = !enabled || (el === send && busy);
      form.classList.toggle('composer--disabled', !enabled);
      if (!enabled) typing.stop();
    },
    switchTo(conversationId) {
      if (conversationId === current) return;
      typing.stop();
      if (current) drafts.set(current, input.value);
      current = conversationId;
      input.value = drafts.get(conversationId) || '';
      clearFile();
    },
  };
}
