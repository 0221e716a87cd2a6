// Tiny DOM helpers: the console has no framework, so elements are built with `h()`.

/**
 * Creates an element. `attrs` keys: `class`, `testid` (sets data-testid), `on<event>` (listeners),
 * `dataset` (object), boolean/props (`disabled`, `value`, `checked`, `hidden`), anything else as an attribute.
 * Children may be strings, nodes, arrays, or null/undefined/false (skipped).
 */
export function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key === 'class') el.className = value;
    else if (key === 'testid') el.dataset.testid = value;
    else if (key === 'dataset') Object.assign(el.dataset, value);
    else if (key.startsWith('on') && typeof value === 'function') el.addEventListener(key.slice(2), value);
    else if (key === 'value' || key === 'disabled' || key === 'checked' || key === 'hidden') el[key] = value;
    else el.setAttribute(key, value === true ? '' : String(value));
  }
  append(el, children);
  return el;
}

/** Appends children (flattening arrays, skipping empty values). */
export function append(el, children) {
  for (const child of children.flat(Infinity)) {
    if (child === undefined || child === null || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return el;
}

/** Replaces all children of `el`. */
export function replace(el, ...children) {
  el.replaceChildren();
  return append(el, children);
}

/** Finds an element by its data-testid inside `root` (document by default). */
export function byTestId(testid, root) {
  return (root || document).querySelector(`[data-testid="${testid}"]`);
}
