/**
 * Reading the `value` of a `handoff.initiate` event: hand-written (`EventFactory`), Composer's
 * `SendHandoffActivity` (an arbitrary handoff context object) and Copilot Studio (`va_*` context
 * variables). Pure functions.
 */
import type { Activity } from 'botbuilder';

/** What a handoff context says about routing. */
export interface HandoffContextInfo {
  queueId?: string;
  language?: string;
  reason?: string;
  properties: Record<string, string>;
}

const QUEUE_KEYS = ['queueId', 'queue', 'skill'];
const LANGUAGE_KEYS = ['language', 'locale', 'va_Language'];
const NESTED_PROPERTY_KEYS = ['properties', 'additionalProperties'];
const MAX_DEPTH = 2;

function primitive(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  if (Array.isArray(value) && value.length > 0 && value.every((v) => primitive(v) !== undefined && typeof v !== 'object')) {
    return value.map((v) => primitive(v)).join(', ');
  }
  return undefined;
}

/** Copilot Studio variables arrive as `va_LastTopic`; the agent reads `LastTopic`. */
function propertyKey(key: string): string {
  return key.startsWith('va_') && key.length > 3 ? key.slice(3) : key;
}

function flatten(value: Record<string, unknown>, prefix: string, depth: number, out: Record<string, string>): void {
  for (const [rawKey, v] of Object.entries(value)) {
    const key = prefix + propertyKey(rawKey);
    const p = primitive(v);
    if (p !== undefined) out[key] = p;
    // 8x8 `additionalProperties` form: [{ key, value }]
    else if (Array.isArray(v) && v.every((i) => typeof i === 'object' && i !== null && 'key' in i && 'value' in i)) {
      for (const item of v as Array<{ key: unknown; value: unknown }>) {
        const pv = primitive(item.value);
        if (typeof item.key === 'string' && pv !== undefined) out[item.key] = pv;
      }
    } else if (typeof v === 'object' && v !== null && !Array.isArray(v) && depth < MAX_DEPTH) {
      flatten(v as Record<string, unknown>, `${key}.`, depth + 1, out);
    }
  }
}

function firstString(value: Record<string, unknown>, keys: string[]): string | undefined {
  for (const k of keys) {
    const v = value[k];
    if (typeof v === 'string' && v.trim() !== '') return v.trim();
  }
  return undefined;
}

/** Extracts the queue, language, reason and flattened properties from a handoff context. */
export function readHandoffContext(value: unknown): HandoffContextInfo {
  if (typeof value === 'string' && value.trim() !== '') return { reason: value.trim(), properties: {} };
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return { properties: {} };
  const record = value as Record<string, unknown>;
  const properties: Record<string, string> = {};
  const reserved = new Set([...QUEUE_KEYS, ...LANGUAGE_KEYS, ...NESTED_PROPERTY_KEYS]);
  flatten(Object.fromEntries(Object.entries(record).filter(([k]) => !reserved.has(k))), '', 0, properties);
  for (const k of NESTED_PROPERTY_KEYS) {
    const nested = record[k];
    if (typeof nested === 'object' && nested !== null) flatten({ [k]: nested }, '', 0, properties);
  }
  // Both forms land under the nested key's name; lift them to the top level for the agent.
  for (const [k, v] of Object.entries(properties)) {
    const m = /^(?:properties|additionalProperties)\.(.+)$/.exec(k);
    if (m) {
      delete properties[k];
      properties[m[1]!] = v;
    }
  }
  return { queueId: firstString(record, QUEUE_KEYS), language: firstString(record, LANGUAGE_KEYS), reason: firstString(record, ['reason', 'va_AgentMessage']), properties };
}

/** The activities of a `Transcript` attachment (`EventFactory.createHandoffInitiation`), if any. */
export function readTranscriptAttachment(activity: Partial<Activity>): Array<Partial<Activity>> | undefined {
  for (const attachment of activity.attachments ?? []) {
    const named = typeof attachment.name === 'string' && attachment.name.toLowerCase() === 'transcript';
    if (!named && attachment.contentType !== 'application/json') continue;
    let content: unknown = attachment.content;
    if (typeof content === 'string') {
      try {
        content = JSON.parse(content);
      } catch {
        continue;
      }
    }
    const activities = (content as { activities?: unknown } | null)?.activities;
    if (Array.isArray(activities)) return activities.filter((a): a is Partial<Activity> => typeof a === 'object' && a !== null);
  }
  return undefined;
}
