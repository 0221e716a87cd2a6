// What the console shows as a message's text. Pure (no DOM).
//
// The handoff middleware writes text 8x8 requires on every message and that an agent desktop
// without previews needs: "[Attachment: name, type, size]" beside each uploaded file, and
// "Submitted: id = value, ..." for a card submit. The console shows the file itself, and it has
// the card the customer answered, so it shows each file once and a submit as the labels chosen.

const SUBMITTED = 'Submitted: ';

/** True when `line` is the middleware's description of `attachment` ("[Attachment: name, ...]"). */
function describesAttachment(line, attachments) {
  return attachments.some((a) => line === `[Attachment: ${a.filename}]` || (line.startsWith(`[Attachment: ${a.filename}, `) && line.endsWith(']')));
}

/** `text` without the lines that describe files the message carries (they are shown as files). */
export function withoutAttachmentLines(text, attachments) {
  if (!text || !attachments || attachments.length === 0) return text;
  return text.split('\n').filter((line) => !describesAttachment(line.trim(), attachments)).join('\n').trim();
}

/** "Submitted: a = 1, b = x, y" -> [['a', '1'], ['b', 'x, y']], or null when it is not that form. */
export function parseSubmitted(text) {
  if (typeof text !== 'string' || !text.startsWith(SUBMITTED)) return null;
  const body = text.slice(SUBMITTED.length);
  // A pair starts after ", " where the next words are followed by " = " (values may hold commas).
  const chunks = body.split(/, (?=[^,=]+ = )/);
  const pairs = [];
  for (const chunk of chunks) {
    const match = /^(.+?) = (.*)$/s.exec(chunk);
    if (!match) return null;
    pairs.push([match[1], match[2]]);
  }
  return pairs.length ? pairs : null;
}

/** Inputs (with the text shown above each) and Action.Submit actions of an Adaptive Card. */
export function cardControls(card) {
  const inputs = new Map();
  const submits = [];
  let lastText = null;
  const visit = (node) => {
    if (Array.isArray(node)) return node.forEach(visit);
    if (!node || typeof node !== 'object') return;
    if (node.type === 'TextBlock' && typeof node.text === 'string') lastText = node.text;
    if (typeof node.type === 'string' && node.type.startsWith('Input.') && typeof node.id === 'string') {
      inputs.set(node.id, { ...node, caption: node.label || node.placeholder || (node.type === 'Input.Toggle' ? node.title : null) || lastText || node.id });
    }
    if (node.type === 'Action.Submit' && node.data && typeof node.data === 'object') submits.push(node);
    for (const key of ['body', 'items', 'columns', 'actions', 'card', 'inlineAction']) visit(node[key]);
  };
  visit(card);
  return { inputs, submits };
}

/** The value as the customer saw it: choice titles for a choice set, Yes/No for a toggle. */
function shownValue(input, value) {
  if (input.type === 'Input.ChoiceSet' && Array.isArray(input.choices)) {
    const titles = new Map(input.choices.map((c) => [String(c.value), c.title]));
    const picked = input.isMultiSelect ? value.split(',') : [value];
    return picked.map((v) => titles.get(v.trim()) ?? v.trim()).join(', ');
  }
  if (input.type === 'Input.Toggle') return value === String(input.valueOn ?? 'true') ? 'Yes' : 'No';
  return value;
}

/** "Plan: Pro"; a caption that is a question or ends in a colon needs no extra colon. */
function labelled(caption, value) {
  return /[?:]$/.test(caption.trim()) ? `${caption.trim()} ${value}` : `${caption}: ${value}`;
}

/**
 * A card submit as the customer chose it, from the newest card (of `cards`, newest first) whose
 * inputs or submit buttons explain the pairs: `Send feedback · How did we do today? Great`.
 * Null when no card explains it (the raw text is shown then).
 */
export function submitLabels(text, cards) {
  const pairs = parseSubmitted(text);
  if (!pairs) return null;
  for (const card of cards) {
    const { inputs, submits } = cardControls(card);
    const pressed = submits.find((s) => Object.entries(s.data).every(([k, v]) => pairs.some(([pk, pv]) => pk === k && pv === String(v))));
    if (!pressed && !pairs.some(([k]) => inputs.has(k))) continue;
    const fromButton = new Set(pressed ? Object.keys(pressed.data) : []);
    const parts = pressed && pressed.title ? [pressed.title] : [];
    for (const [key, value] of pairs) {
      if (fromButton.has(key)) continue;
      const input = inputs.get(key);
      parts.push(input ? labelled(input.caption, shownValue(input, value)) : labelled(key, value));
    }
    return parts.join(' · ');
  }
  return null;
}

/** The Adaptive Card contents of `messages` up to (not including) `index`, newest first. */
function cardsBefore(messages, index) {
  const cards = [];
  for (let i = index - 1; i >= 0; i -= 1) {
    for (const card of messages[i].cards || []) if (card && card.content) cards.push(card.content);
  }
  return cards;
}

/**
 * The text to show for `message` (at `index` of `messages`): attachment lines dropped, a card
 * submit as labels. `raw` is the text as 8x8 has it, when it differs.
 */
export function displayText(message, messages = [], index = messages.indexOf(message)) {
  const text = withoutAttachmentLines(message.text, message.attachments);
  if (message.authorType === 'user') {
    const labels = submitLabels(text, cardsBefore(messages, index < 0 ? messages.length : index));
    if (labels) return { text: labels, raw: message.text };
  }
  return { text, raw: text === message.text ? undefined : message.text };
}
