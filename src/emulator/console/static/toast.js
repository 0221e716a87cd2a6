// Short-lived notices for failed actions and confirmations.
import { h, byTestId } from './dom.js';

/** Shows a notice for a few seconds; `kind` is 'error' or 'info'. */
export function toast(message, kind = 'info') {
  const host = byTestId('toasts');
  const item = h('div', { class: `toast toast--${kind}`, role: kind === 'error' ? 'alert' : 'status', testid: `toast-${kind}` }, message);
  host.append(item);
  setTimeout(() => item.remove(), kind === 'error' ? 8000 : 3500);
}

/** Runs an action, reporting a failure as an error notice; resolves to true on success. */
export async function attempt(label, action) {
  try {
    await action();
    return true;
  } catch (error) {
    toast(`${label} failed: ${error.message}`, 'error');
    return false;
  }
}
