/**
 * The recorded form of an activity: a small, JSON-serialisable subset that survives a round trip
 * through any botbuilder `Storage` and is enough to rebuild the conversation for an agent.
 */
import type { Activity } from 'botbuilder';

/** A recorded attachment. `dropped` marks bytes or card content removed to respect the size bounds. */
export interface TranscriptAttachment {
  contentType: string;
  contentUrl?: string;
  content?: unknown;
  name?: string;
  /** Size in bytes of removed inline data, when known. */
  size?: number;
  /** True when `contentUrl` (a data URI) or `content` was removed to fit the bounds. */
  dropped?: boolean;
}

/** A recorded suggested action. */
export interface TranscriptAction {
  type: string;
  title: string;
  value?: unknown;
}

/** One activity in or out of the bot. */
export interface TranscriptEntry {
  /** `in`: from the user; `out`: from the bot. */
  direction: 'in' | 'out';
  type: string;
  text?: string;
  attachments?: TranscriptAttachment[];
  value?: unknown;
  name?: string;
  suggestedActions?: { actions: TranscriptAction[] };
  from?: { role?: string; name?: string };
  locale?: string;
  /** ISO 8601. */
  timestamp?: string;
  /** How many older entries were dropped before this one (set on the first entry by the bounds). */
  omittedBefore?: number;
  /** True when this entry was shortened to fit the bounds. */
  truncated?: boolean;
}

/** A JSON round trip; undefined for values JSON cannot carry (cycles, BigInt). */
export function jsonSafe(value: unknown): unknown {
  if (value === undefined) return undefined;
  try {
    const text = JSON.stringify(value);
    return text === undefined ? undefined : JSON.parse(text);
  } catch {
    return undefined;
  }
}

function timestampOf(value: unknown): string | undefined {
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? undefined : value.toISOString();
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function setIfDefined<T extends object, K extends keyof T>(target: T, key: K, value: T[K] | undefined): void {
  if (value !== undefined) target[key] = value;
}

/**
 * Records an activity, or returns undefined for what an agent never needs: typing, trace,
 * `ContinueConversation` and every non-message activity, and empty messages.
 */
export function toTranscriptEntry(activity: Partial<Activity>, direction: 'in' | 'out'): TranscriptEntry | undefined {
  if (activity.type !== 'message') return undefined;
  const attachments = (activity.attachments ?? [])
    .filter((a) => a && typeof a.contentType === 'string')
    .map((a) => {
      const out: TranscriptAttachment = { contentType: a.contentType };
      setIfDefined(out, 'contentUrl', typeof a.contentUrl === 'string' ? a.contentUrl : undefined);
      setIfDefined(out, 'content', jsonSafe(a.content));
      setIfDefined(out, 'name', typeof a.name === 'string' ? a.name : undefined);
      return out;
    });
  const actions = (activity.suggestedActions?.actions ?? [])
    .filter((a) => a && typeof a.title === 'string')
    .map((a) => {
      const out: TranscriptAction = { type: String(a.type), title: a.title };
      setIfDefined(out, 'value', jsonSafe(a.value));
      return out;
    });
  const text = typeof activity.text === 'string' && activity.text.trim() !== '' ? activity.text : undefined;
  const value = jsonSafe(activity.value);
  if (text === undefined && attachments.length === 0 && actions.length === 0 && value === undefined) return undefined;
  const entry: TranscriptEntry = { direction, type: 'message' };
  setIfDefined(entry, 'text', text);
  if (attachments.length > 0) entry.attachments = attachments;
  setIfDefined(entry, 'value', value);
  setIfDefined(entry, 'name', typeof activity.name === 'string' ? activity.name : undefined);
  if (actions.length > 0) entry.suggestedActions = { actions };
  const from: TranscriptEntry['from'] = {};
  setIfDefined(from, 'role', activity.from?.role);
  setIfDefined(from, 'name', activity.from?.name);
  if (Object.keys(from).length > 0) entry.from = from;
  setIfDefined(entry, 'locale', typeof activity.locale === 'string' ? activity.locale : undefined);
  setIfDefined(entry, 'timestamp', timestampOf(activity.timestamp));
  return entry;
}

/**
 * Records the activities of a `handoff.initiate` transcript: the bot's own activities
 * (`from.role` `bot` or `skill`) are outgoing, everything else incoming.
 */
export function transcriptFromActivities(activities: ReadonlyArray<Partial<Activity>>): TranscriptEntry[] {
  return activities
    .map((a) => toTranscriptEntry(a, a.from?.role === 'bot' || a.from?.role === 'skill' ? 'out' : 'in'))
    .filter((e): e is TranscriptEntry => e !== undefined);
}
