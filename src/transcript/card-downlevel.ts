/**
 * Adaptive Card down-levelling: 8x8's guides say agent desktops render schema 1.3 while the
 * OpenAPI file accepts up to 1.6, so a newer card is rewritten for the configured version the way
 * an Adaptive Cards renderer itself falls back: an element's own `fallback` replaces it (or
 * `"drop"` removes it), `Action.Execute` becomes `Action.Submit`, and any other element the target
 * cannot render is replaced by a TextBlock with its text (actions: one TextBlock at the end), so
 * nothing the card said is lost. Pure.
 */

/** A schema version as [major, minor]. */
export type CardVersion = readonly [number, number];

/** The versions this package knows, oldest first. */
export const ADAPTIVE_CARD_VERSIONS = ['1.0', '1.1', '1.2', '1.3', '1.4', '1.5', '1.6'] as const;

/** The schema version that introduced each element and action type (Adaptive Cards schema explorer). */
const INTRODUCED: Record<string, CardVersion> = {
  AdaptiveCard: [1, 0], TextBlock: [1, 0], Image: [1, 0], Container: [1, 0], ColumnSet: [1, 0], Column: [1, 0],
  FactSet: [1, 0], ImageSet: [1, 0], 'Input.Text': [1, 0], 'Input.Number': [1, 0], 'Input.Date': [1, 0],
  'Input.Time': [1, 0], 'Input.Toggle': [1, 0], 'Input.ChoiceSet': [1, 0],
  'Action.OpenUrl': [1, 0], 'Action.Submit': [1, 0], 'Action.ShowCard': [1, 0],
  Media: [1, 1],
  ActionSet: [1, 2], RichTextBlock: [1, 2], TextRun: [1, 2], 'Action.ToggleVisibility': [1, 2],
  'Action.Execute': [1, 4],
  Table: [1, 5], TableRow: [1, 5], TableCell: [1, 5],
  Carousel: [1, 6], CarouselPage: [1, 6],
};

/** Parses `"1.3"`; undefined for anything else. */
export function parseCardVersion(version: unknown): CardVersion | undefined {
  const m = typeof version === 'string' ? /^\s*(\d+)\.(\d+)\s*$/.exec(version) : null;
  return m ? [Number(m[1]), Number(m[2])] : undefined;
}

/** True when `a` is newer than `b`. */
export function isNewer(a: CardVersion, b: CardVersion): boolean {
  return a[0] > b[0] || (a[0] === b[0] && a[1] > b[1]);
}

/** Result of {@link downlevelAdaptiveCard}. */
export interface DownlevelResult {
  card: Record<string, unknown>;
  /** The types of the elements replaced or removed, in document order (empty when nothing changed). */
  replaced: string[];
}

type Node = Record<string, unknown>;

const isNode = (v: unknown): v is Node => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Readable strings of an element, for its TextBlock stand-in. */
function textOf(node: unknown, out: string[] = [], depth = 0): string[] {
  if (depth > 12 || node === null || typeof node !== 'object') return out;
  if (Array.isArray(node)) {
    for (const item of node) textOf(item, out, depth + 1);
    return out;
  }
  const n = node as Node;
  if (n.type === 'Action.OpenUrl' && typeof n.title === 'string' && typeof n.url === 'string') {
    out.push(`${n.title}: ${n.url}`);
    return out;
  }
  for (const [key, value] of Object.entries(n)) {
    if (key === 'fallback' || key === 'id' || key === 'type' || key === 'url' || key === 'style') continue;
    if (typeof value === 'string' && ['text', 'title', 'label', 'altText', 'placeholder', 'value'].includes(key) && value.trim() !== '') out.push(value.trim());
    else if (typeof value === 'object') textOf(value, out, depth + 1);
  }
  return out;
}

class Downleveller {
  readonly replaced: string[] = [];
  /** Text of removed actions, shown once at the end of the card. */
  readonly actionText: string[] = [];

  constructor(private readonly target: CardVersion) {}

  private supported(type: string): boolean {
    const introduced = INTRODUCED[type];
    // A type this package does not know (a host extension, a newer schema) is treated as unrenderable.
    return introduced !== undefined && !isNewer(introduced, this.target);
  }

  /** An element (or action) as the target can show it: itself, its fallback, a stand-in, or nothing. */
  element(node: Node, isAction: boolean): Node | undefined {
    const type = typeof node.type === 'string' ? node.type : undefined;
    if (type === undefined || this.supported(type)) return this.children(node);
    this.replaced.push(type);
    if (isNode(node.fallback)) return this.element(node.fallback, isAction);
    if (node.fallback === 'drop') return undefined;
    if (type === 'Action.Execute' && this.supported('Action.Submit')) {
      // Universal Actions' documented fallback: the same title and data as a submit.
      const { verb, fallback: _fallback, ...rest } = node;
      const data = isNode(rest.data) ? rest.data : rest.data === undefined ? {} : { value: rest.data };
      return this.children({ ...rest, type: 'Action.Submit', data: verb === undefined ? data : { ...data, verb } });
    }
    const lines = [...new Set(textOf(node))];
    if (isAction) {
      this.actionText.push(...lines);
      return undefined;
    }
    return lines.length ? { type: 'TextBlock', text: lines.join('\n\n'), wrap: true } : undefined;
  }

  /** The node with every nested element and action list down-levelled. */
  children(node: Node): Node {
    const out: Node = {};
    for (const [key, value] of Object.entries(node)) {
      if (key === 'fallback') {
        // A fallback is only used when its element cannot be shown; an element shown keeps it as is.
        out[key] = value;
      } else if (Array.isArray(value)) {
        const isActions = key === 'actions';
        out[key] = value.flatMap((item) => {
          if (!isNode(item) || typeof item.type !== 'string') return [isNode(item) ? this.children(item) : item];
          const kept = this.element(item, isActions);
          return kept ? [kept] : [];
        });
      } else if (isNode(value) && typeof value.type === 'string') {
        // `selectAction`, a ShowCard's `card`, ...: a single element; removed when it cannot be shown.
        const kept = this.element(value, key === 'selectAction');
        if (kept) out[key] = kept;
      } else if (isNode(value)) {
        out[key] = this.children(value);
      } else {
        out[key] = value;
      }
    }
    return out;
  }
}

/**
 * Rewrites a card for the `target` schema version. A card that declares `target` or older is
 * returned unchanged; a newer one gets `version: target` and its newer elements replaced.
 */
export function downlevelAdaptiveCard(card: Record<string, unknown>, target: CardVersion): DownlevelResult {
  const declared = parseCardVersion(card.version);
  if (declared && !isNewer(declared, target)) return { card, replaced: [] };
  const d = new Downleveller(target);
  const out = d.children(card);
  out.version = `${target[0]}.${target[1]}`;
  if (d.actionText.length) {
    const body = Array.isArray(out.body) ? out.body : [];
    out.body = [...body, { type: 'TextBlock', text: [...new Set(d.actionText)].join('\n\n'), wrap: true }];
  }
  return { card: out, replaced: d.replaced };
}
