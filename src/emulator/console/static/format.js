// Pure formatting helpers (no DOM).
import { displayText } from './message-text.js';

/** "42s", "3m 05s", "1h 02m" since `iso`, at `now` (ms). */
export function elapsed(iso, now) {
  const seconds = Math.max(0, Math.floor((now - Date.parse(iso)) / 1000));
  if (seconds < 60) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes}m ${String(seconds % 60).padStart(2, '0')}s`;
  return `${Math.floor(minutes / 60)}h ${String(minutes % 60).padStart(2, '0')}m`;
}

/** "14:03" in the browser's locale. */
export function clock(iso) {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return '';
  return date.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
}

/** "12 KB" style sizes. */
export function bytes(n) {
  if (!Number.isFinite(n)) return '';
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${Math.round(n / 1024)} KB`;
  return `${(n / (1024 * 1024)).toFixed(1)} MB`;
}

/** Up to two initials for an avatar. */
export function initials(name) {
  const parts = String(name || '?').trim().split(/\s+/).filter(Boolean);
  return (parts.length > 1 ? parts[0][0] + parts[parts.length - 1][0] : (parts[0] || '?').slice(0, 2)).toUpperCase();
}

/** The customer's display name, falling back to email or user id. */
export function customerName(user) {
  return (user && (user.name || user.email || user.userId)) || 'Anonymous customer';
}

/** The last message of a conversation as a one-line preview. */
export function preview(conversation) {
  const last = conversation.messages[conversation.messages.length - 1];
  if (!last) return 'No messages yet';
  const { text } = displayText(last, conversation.messages);
  if (text) return text;
  if (last.attachments.length) return `Attachment: ${last.attachments[0].filename}`;
  if (last.cards.length) return 'Card';
  return '…';
}
