// The "send an Adaptive Card" dialog: pick a sample or paste JSON, validated and previewed live.
import { byTestId, h, replace } from './dom.js';
import { SAMPLE_CARDS } from './samples.js';
import { renderAdaptiveCard, validateCardJson } from './cards.js';

/** Wires the dialog; `onSend(content)` resolves to true when the card was sent. Returns `{ open() }`. */
export function createCardDialog({ onSend }) {
  const dialog = byTestId('card-dialog');
  const sample = byTestId('card-sample');
  const json = byTestId('card-json');
  const error = byTestId('card-error');
  const preview = byTestId('card-preview');
  const send = byTestId('card-send');
  let valid = null;

  replace(sample,
    h('option', { value: '' }, 'Paste your own JSON…'),
    SAMPLE_CARDS.map((s) => h('option', { value: s.id }, s.title)));

  sample.addEventListener('change', () => {
    const chosen = SAMPLE_CARDS.find((s) => s.id === sample.value);
    if (chosen) json.value = JSON.stringify(chosen.card, null, 2);
    validate();
  });
  json.addEventListener('input', () => {
    sample.value = '';
    validate();
  });
  byTestId('card-cancel').addEventListener('click', () => dialog.close());
  send.addEventListener('click', async () => {
    if (!valid) return;
    send.disabled = true;
    const sent = await onSend(valid);
    send.disabled = false;
    if (sent) dialog.close();
  });

  function validate() {
    const result = json.value.trim() ? validateCardJson(json.value) : { ok: false, error: '' };
    valid = result.ok ? result.content : null;
    error.textContent = result.ok ? '' : result.error;
    error.hidden = result.ok || !result.error;
    send.disabled = !result.ok;
    replace(preview, result.ok ? renderAdaptiveCard(result.content) : h('p', { class: 'muted' }, 'The preview appears here.'));
  }

  return {
    open() {
      if (!json.value.trim()) {
        sample.value = SAMPLE_CARDS[0].id;
        json.value = JSON.stringify(SAMPLE_CARDS[0].card, null, 2);
      }
      validate();
      dialog.showModal();
      json.focus();
    },
  };
}
