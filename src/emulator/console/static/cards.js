// Cards in messages: Adaptive Cards (rendered by the adaptivecards library), 8x8 quick replies
// (chips), anything else as readable JSON. Also validation of cards the agent is about to send.
import { h } from './dom.js';

const ADAPTIVE = 'application/vnd.microsoft.card.adaptive';
const QUICK_REPLIES = 'application/8x8.quick.replies';

/** Renders one 8x8 card (`{ contentType, content }`). */
export function renderCard(card) {
  if (card.contentType === ADAPTIVE) return renderAdaptiveCard(card.content);
  if (card.contentType === QUICK_REPLIES) return renderQuickReplies(card.content);
  return h('details', { class: 'card-raw', testid: 'card-raw' },
    h('summary', null, `${card.contentType} card`),
    h('pre', null, JSON.stringify(card.content, null, 2)));
}

/** Renders an Adaptive Card, or a readable fallback when the library rejects it. */
export function renderAdaptiveCard(content) {
  const host = h('div', { class: 'card-host', testid: 'adaptive-card' });
  try {
    host.append(renderWithLibrary(content));
  } catch (error) {
    host.append(renderFallback(content, error));
  }
  return host;
}

function renderWithLibrary(content) {
  const AC = window.AdaptiveCards;
  if (!AC) throw new Error('the adaptivecards library did not load');
  if (!content || content.type !== 'AdaptiveCard') throw new Error(`expected "type": "AdaptiveCard", got ${JSON.stringify(content && content.type)}`);
  // A static hook in adaptivecards 3; set before the first render.
  if (!AC.AdaptiveCard.onProcessMarkdown) AC.AdaptiveCard.onProcessMarkdown = processMarkdown;
  const card = new AC.AdaptiveCard();
  card.hostConfig = hostConfig(AC);
  // The agent sees the card as the customer did; its actions belong to the customer.
  card.onExecuteAction = () => {};
  card.parse(content);
  // The library drops elements it does not know; a card that loses everything is not a rendering.
  const declared = (content.body || []).length + (content.actions || []).length;
  if (declared > 0 && card.getItemCount() === 0 && card.getActionCount() === 0) {
    throw new Error('none of its elements are supported');
  }
  const element = card.render();
  if (!element) throw new Error('the card rendered nothing');
  return element;
}

/** A small, HTML-safe subset of the card Markdown: **bold**, _italic_, [links](https://…). */
export function processMarkdown(text, result) {
  const escaped = String(text).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
  result.outputHtml = escaped
    .replace(/\*\*(.+?)\*\*/g, '<strong>$1</strong>')
    .replace(/(^|\W)_(.+?)_(?=\W|$)/g, '$1<em>$2</em>')
    .replace(/\[([^\]]+)\]\((https?:[^)\s]+)\)/g, '<a href="$2" target="_blank" rel="noopener">$1</a>');
  result.didProcess = true;
}

let cachedHostConfig;
function hostConfig(AC) {
  cachedHostConfig = cachedHostConfig || new AC.HostConfig({
    fontFamily: 'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif',
    supportsInteractivity: true,
    spacing: { small: 4, default: 8, medium: 16, large: 20, extraLarge: 28, padding: 12 },
  });
  return cachedHostConfig;
}

function renderFallback(content, error) {
  const lines = readableText(content);
  return h('div', { class: 'card-fallback', testid: 'card-fallback' },
    h('div', { class: 'card-fallback__title' }, `Card could not be rendered: ${error.message}`),
    lines.length ? h('ul', null, lines.map((line) => h('li', null, line))) : null,
    h('details', null, h('summary', null, 'Card JSON'), h('pre', null, JSON.stringify(content, null, 2))));
}

/** Collects the human-readable strings of a card (texts, facts, action titles), depth first. */
export function readableText(node, out = []) {
  if (Array.isArray(node)) node.forEach((item) => readableText(item, out));
  else if (node && typeof node === 'object') {
    if (typeof node.text === 'string') out.push(node.text);
    if (typeof node.title === 'string' && typeof node.value === 'string') out.push(`${node.title}: ${node.value}`);
    else if (typeof node.title === 'string') out.push(node.title);
    for (const [key, value] of Object.entries(node)) {
      if (key !== 'text' && key !== 'title' && typeof value === 'object') readableText(value, out);
    }
  }
  return out;
}

/** Renders 8x8 quick replies as chips (display only: the customer picks one). */
export function renderQuickReplies(content) {
  const options = (content && Array.isArray(content.options)) ? content.options : [];
  return h('div', { class: 'quick-replies', testid: 'quick-replies' },
    h('span', { class: 'quick-replies__label' }, 'Quick replies'),
    options.map((option) => h('span', {
      class: 'chip',
      testid: 'quick-reply',
      title: option.data && option.data.postback ? `postback: ${option.data.postback}` : undefined,
    }, option.title)));
}

/**
 * Validates the JSON an agent typed: resolves to `{ ok: true, content }` or `{ ok: false, error }`.
 * Checks the JSON syntax, the AdaptiveCard shape, and that the library renders it.
 */
export function validateCardJson(text) {
  let content;
  try {
    content = JSON.parse(text);
  } catch (error) {
    return { ok: false, error: `Not valid JSON: ${error.message}` };
  }
  if (!content || typeof content !== 'object' || Array.isArray(content)) return { ok: false, error: 'The card must be a JSON object.' };
  if (content.type !== 'AdaptiveCard') return { ok: false, error: 'The card needs "type": "AdaptiveCard".' };
  if (typeof content.version !== 'string') return { ok: false, error: 'The card needs a "version", e.g. "1.3".' };
  try {
    renderWithLibrary(content);
  } catch (error) {
    return { ok: false, error: `The card does not render: ${error.message}` };
  }
  return { ok: true, content };
}

/** Wraps Adaptive Card content as an 8x8 card. */
export function adaptiveCard(content) {
  return { contentType: ADAPTIVE, content };
}
