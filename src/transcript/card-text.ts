/**
 * Readable text for any card, from its JSON: every card sent to 8x8 also travels as text, because
 * 8x8 requires message text and agent desktops may not render a card. Pure.
 */

/** Keys whose string values are read aloud, in the order they usually appear. */
const TEXT_KEYS = new Set(['title', 'subtitle', 'text', 'label', 'altText', 'placeholder', 'body', 'header', 'footer', 'caption', 'description']);
const MAX_LINES = 40;
const MAX_LENGTH = 2000;

function collect(node: unknown, out: string[], depth: number, parentKey = ''): void {
  if (out.length >= MAX_LINES || depth > 12 || node === null || typeof node !== 'object') return;
  if (Array.isArray(node)) {
    for (const item of node) collect(item, out, depth + 1, parentKey);
    return;
  }
  const record = node as Record<string, unknown>;
  const title = typeof record.title === 'string' ? record.title : undefined;
  // Links read as `title: url` so the agent can follow them; facts as `title: value`; choices by title.
  const url = record.type === 'Action.OpenUrl' ? record.url : record.type === 'openUrl' ? record.value : undefined;
  const line =
    title && typeof url === 'string' ? `${title}: ${url}`
    : parentKey === 'facts' && title && typeof record.value === 'string' ? `${title}: ${record.value}`
    : parentKey === 'choices' && title ? title
    : undefined;
  if (line !== undefined) {
    out.push(line);
    return;
  }
  for (const [key, value] of Object.entries(record)) {
    if (typeof value === 'string' && TEXT_KEYS.has(key) && value.trim() !== '') out.push(value.trim());
    else if (typeof value === 'object') collect(value, out, depth + 1, key);
  }
}

/** The readable strings of a card, deduplicated, one per line. */
export function cardLines(content: unknown): string[] {
  const out: string[] = [];
  collect(content, out, 0);
  return [...new Set(out)];
}

/** `[Card] line 1\nline 2`, capped; `[Card]` alone when the card holds no text. */
export function cardText(content: unknown, label = 'Card'): string {
  const lines = cardLines(content);
  const text = lines.length > 0 ? `[${label}] ${lines.join('\n')}` : `[${label}]`;
  return text.length > MAX_LENGTH ? `${text.slice(0, MAX_LENGTH - 1)}…` : text;
}

/** Keys of a card whose string values are shown to people; only those are redacted. */
const REDACTED_KEYS = new Set([...TEXT_KEYS, 'value', 'fallbackText', 'speak', 'errorMessage']);

/** A copy of a card with `redact` applied to every human-readable string. */
export function redactCard<T>(content: T, redact: (text: string) => string): T {
  const walk = (node: unknown, depth: number): unknown => {
    if (depth > 20 || node === null || typeof node !== 'object') return node;
    if (Array.isArray(node)) return node.map((n) => walk(n, depth + 1));
    const out: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(node as Record<string, unknown>)) {
      out[key] = typeof value === 'string' && REDACTED_KEYS.has(key) ? redact(value) : walk(value, depth + 1);
    }
    return out;
  };
  return walk(content, 0) as T;
}
