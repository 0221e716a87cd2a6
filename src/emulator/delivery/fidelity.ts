/**
 * Fidelity profiles: the other forms 8x8's documents show for the same events (REFERENCE.md
 * section 4 and its legacy notes). The emulator's own reading is `standard`; each other profile
 * rewrites the events it delivers into one documented alternate, so a bot can be tested against
 * every form a real deployment may meet. Pure functions, except the reorder buffer at the end.
 */

/** The profiles, in the order the console lists them. */
export const FIDELITY_PROFILES = ['standard', 'blank-sender', 'id-only-files', 'legacy', 'loose-types', 'reordered'] as const;

/**
 * One fidelity profile:
 * - `standard`: the emulator's reading of the v1.0 events (the default);
 * - `blank-sender`: agent messages and typing with `sender.type: ""` (8x8's chat-workflow example);
 * - `id-only-files`: message attachments as `{ id }` only, no `preSignedUrl` (8x8's older example);
 * - `legacy`: Chat API v2 forms: `AGENT_JOINED` / `AGENT_LEFT`, text-only agent messages as
 *   `TEXT`, flat `QUEUED` and `TRANSFER` with `messageType`;
 * - `loose-types`: informational fields with other types (string `timestamp` and
 *   `timezoneOffset`, non-string `additionalProperties` values), unknown extra fields, and a
 *   `MEMBERS_CHANGED` with a `change` other than joined/left;
 * - `reordered`: `CONVERSATION_UPDATE` after the `QUEUED` or `MEMBERS_CHANGED` it accompanies,
 *   `idle` before the agent's `left`, and every `CONVERSATION_UPDATE` / `QUEUED` repeated under a
 *   new event id.
 */
export type FidelityProfile = (typeof FIDELITY_PROFILES)[number];

/** True when `value` names a profile. */
export function isFidelityProfile(value: unknown): value is FidelityProfile {
  return typeof value === 'string' && (FIDELITY_PROFILES as readonly string[]).includes(value);
}

type Event = Record<string, unknown>;
type Data = Record<string, unknown>;

const dataOf = (event: Event): Data | undefined => (typeof event.data === 'object' && event.data !== null ? (event.data as Data) : undefined);

/**
 * The events to deliver for one emulator event under `profile` (one, or more for extra variants).
 * `reordered` is done by {@link ReorderBuffer} instead.
 */
export function applyFidelityProfile(profile: FidelityProfile, event: Event): Event[] {
  switch (profile) {
    case 'standard':
      return [event];
    case 'blank-sender':
      return [blankSender(event)];
    case 'id-only-files':
      return [idOnlyFiles(event)];
    case 'legacy':
      return [legacy(event)];
    case 'loose-types':
      return looseTypes(event);
    case 'reordered':
      return [event];
  }
}

function blankSender(event: Event): Event {
  const data = dataOf(event);
  if (!data) return event;
  if (event.eventType === 'MESSAGE' && !data.isEcho) return { ...event, data: { ...data, sender: { ...(data.sender as object), type: '' } } };
  if (event.eventType === 'ACTIVITY' && data.name === 'typing') {
    const users = ((data.value as { users?: Array<Record<string, unknown>> } | undefined)?.users ?? []).map((u) => ({ ...u, type: '' }));
    return { ...event, data: { ...data, value: { users } } };
  }
  return event;
}

function idOnlyFiles(event: Event): Event {
  const data = dataOf(event);
  if (event.eventType !== 'MESSAGE' || !data || !Array.isArray(data.attachments)) return event;
  return { ...event, data: { ...data, attachments: (data.attachments as Array<{ id: string }>).map((a) => ({ id: a.id })) } };
}

function legacy(event: Event): Event {
  const data = dataOf(event) ?? {};
  const envelope = { conversationId: event.conversationId, timestamp: event.timestamp };
  switch (event.eventType) {
    case 'MEMBERS_CHANGED':
      if (data.memberType !== 'agent') return event;
      return { eventType: data.change === 'joined' ? 'AGENT_JOINED' : 'AGENT_LEFT', messageType: 'SYSTEM', ...envelope, agentId: data.id };
    case 'QUEUED':
      return { eventType: 'QUEUED', messageType: 'SYSTEM', ...envelope, queueId: data.queueId, queueName: data.queueName };
    case 'TRANSFER':
      return { eventType: 'TRANSFER', messageType: 'SYSTEM', ...envelope };
    case 'MESSAGE': {
      const sender = (data.sender ?? {}) as { id?: string; type?: string };
      const plain = !(data.attachments as unknown[] | undefined)?.length && !(data.cards as unknown[] | undefined)?.length;
      // Only text-only agent messages had a legacy form; files and cards stay v1.0 MESSAGEs.
      if (data.isEcho || sender.type !== 'agent' || !plain) return event;
      return { eventType: 'TEXT', messageType: 'AGENT', ...envelope, agentId: sender.id, message: data.text };
    }
    default:
      return event;
  }
}

function looseTypes(event: Event): Event[] {
  const data = dataOf(event);
  const out: Event = { ...event, timestamp: String(event.timestamp), x8x8Trace: { hop: 1, region: 'emulator' } };
  if (!data) return [out];
  const looseData: Data = { ...data, x8x8Extra: [1, 'two', null] };
  if (event.eventType === 'CONVERSATION_UPDATE' && typeof data.user === 'object' && data.user !== null) {
    const user = data.user as Data;
    const properties = Array.isArray(user.additionalProperties) ? (user.additionalProperties as Array<{ key: string; value: unknown }>) : [];
    looseData.user = {
      ...user,
      timezoneOffset: String(typeof user.timezoneOffset === 'number' ? user.timezoneOffset : -60),
      additionalProperties: [...properties.map((p) => ({ ...p, value: numberOrBoolean(p.value) })), { key: 'visits', value: 3 }, { key: 'vip', value: false }],
    };
  }
  if (event.eventType === 'MESSAGE' && typeof data.sender === 'object' && data.sender !== null) looseData.sender = { ...(data.sender as Data), avatar: 42 };
  out.data = looseData;
  // A change value the v1.0 page does not list, right after a documented one.
  if (event.eventType === 'MEMBERS_CHANGED') return [out, { ...out, data: { ...looseData, change: 'updated' } }];
  return [out];
}

function numberOrBoolean(value: unknown): unknown {
  if (value === 'yes' || value === 'true') return true;
  if (value === 'no' || value === 'false') return false;
  return typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value)) ? Number(value) : value;
}

/** Whether `event` is held back under `reordered` until the next event of its conversation. */
function heldWhenReordered(event: Event): boolean {
  const data = dataOf(event) ?? {};
  // The accompanying update comes after the event it explains; the agent's left after the idle.
  if (event.eventType === 'MEMBERS_CHANGED') return data.memberType === 'agent';
  return event.eventType === 'CONVERSATION_UPDATE' && data.state === 'active' && (data.assignment as { type?: string } | undefined)?.type !== 'agent';
}

/** What `reordered` sends for one event: `CONVERSATION_UPDATE` and `QUEUED` twice (the copy gets its own event id). */
function withRepeat(event: Event): Event[] {
  return event.eventType === 'CONVERSATION_UPDATE' || event.eventType === 'QUEUED' ? [event, structuredClone(event)] : [event];
}

/**
 * The `reordered` profile's buffer: an event it holds goes out right after the next event of the
 * same conversation (the two swap), or alone after `flushMs` when nothing follows; updates and
 * QUEUED are sent twice.
 */
export class ReorderBuffer {
  private readonly held = new Map<string, { event: Event; timer: NodeJS.Timeout }>();

  constructor(
    private readonly send: (event: Event) => void,
    private readonly schedule: (fn: () => void, ms: number) => NodeJS.Timeout,
    private readonly cancel: (timer: NodeJS.Timeout) => void,
    private readonly flushMs = 30,
  ) {}

  /** Sends (or holds) one event of `conversationId`. */
  push(conversationId: string, event: Event): void {
    const pending = this.held.get(conversationId);
    if (pending) {
      this.cancel(pending.timer);
      this.held.delete(conversationId);
      this.sendAll(event);
      this.sendAll(pending.event);
      return;
    }
    if (!heldWhenReordered(event)) return this.sendAll(event);
    const timer = this.schedule(() => {
      this.held.delete(conversationId);
      this.sendAll(event);
    }, this.flushMs);
    this.held.set(conversationId, { event, timer });
  }

  private sendAll(event: Event): void {
    for (const one of withRepeat(event)) this.send(one);
  }
}
