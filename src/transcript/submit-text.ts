/**
 * Card submits (`message` activities with a `value` and no text) as readable text, so agents see
 * what the user chose instead of nothing.
 */

const MAX_LENGTH = 2000;
/** Keys channels add to submit payloads that mean nothing to an agent. */
const NOISE_KEYS = new Set(['msteams', 'action', 'verb']);

function scalar(value: unknown): string | undefined {
  if (value === null || value === undefined) return undefined;
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  if (Array.isArray(value) && value.every((v) => scalar(v) !== undefined && typeof v !== 'object')) return value.map((v) => scalar(v)).join(', ');
  return undefined;
}

function pairs(value: Record<string, unknown>, prefix: string, depth: number, out: string[]): void {
  for (const [key, v] of Object.entries(value)) {
    if (depth === 0 && NOISE_KEYS.has(key)) continue;
    const s = scalar(v);
    if (s !== undefined) out.push(`${prefix}${key} = ${s}`);
    else if (typeof v === 'object' && v !== null && depth < 3) pairs(v as Record<string, unknown>, `${prefix}${key}.`, depth + 1, out);
  }
}

/**
 * `{ Name: 'Ada', Plan: 'Pro' }` -> `Submitted: Name = Ada, Plan = Pro`. A string value is shown
 * as is; an empty or unreadable value gives `Submitted a card`.
 */
export function submitText(value: unknown): string {
  const s = scalar(value);
  let body: string;
  if (s !== undefined) body = s;
  else if (typeof value === 'object' && value !== null) {
    const out: string[] = [];
    pairs(value as Record<string, unknown>, '', 0, out);
    body = out.join(', ');
  } else body = '';
  if (body.trim() === '') return 'Submitted a card';
  const text = `Submitted: ${body}`;
  return text.length > MAX_LENGTH ? `${text.slice(0, MAX_LENGTH - 1)}…` : text;
}
