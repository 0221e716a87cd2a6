/**
 * The local Direct Line's memory: conversations with their activity logs, tokens, and uploaded
 * files. Everything lives in memory and is bounded, because this is a single-process sandbox.
 */
import { randomBytes } from 'node:crypto';
import type { Activity, ChannelAccount } from 'botbuilder';

/** A file uploaded through Web Chat, kept so the bot (and then 8x8) can fetch it by URL. */
export interface StoredFile {
  id: string;
  name: string;
  contentType: string;
  bytes: Buffer;
}

/** A conversation as the local Direct Line knows it. */
export interface DirectLineConversation {
  id: string;
  token: string;
  user: ChannelAccount;
}

/** Options of {@link DirectLineStore}. */
export interface DirectLineStoreOptions {
  /** Activities kept per conversation; older ones are dropped. Default 500. */
  maxActivities?: number;
  /** Uploaded bytes kept in total; the oldest files are dropped first. Default 50 MB. */
  maxFileBytes?: number;
  /** Random ids and tokens; injectable so tests can make them predictable. Default: crypto. */
  randomId?: (bytes: number) => string;
}

interface Log {
  conversation: DirectLineConversation;
  activities: Partial<Activity>[];
  /** How many activities were dropped from the front: watermarks stay absolute. */
  dropped: number;
}

/** In-memory conversations, activity logs and files of the local Direct Line. */
export class DirectLineStore {
  private readonly logs = new Map<string, Log>();
  private readonly files = new Map<string, StoredFile>();
  private fileBytes = 0;
  private readonly maxActivities: number;
  private readonly maxFileBytes: number;
  private readonly randomId: (bytes: number) => string;

  constructor(options: DirectLineStoreOptions = {}) {
    this.maxActivities = options.maxActivities ?? 500;
    this.maxFileBytes = options.maxFileBytes ?? 50 * 1024 * 1024;
    this.randomId = options.randomId ?? ((n) => randomBytes(n).toString('base64url'));
  }

  /** Starts a conversation for `user` and issues the token that guards it. */
  createConversation(user: ChannelAccount): DirectLineConversation {
    const conversation = { id: `dl-${this.randomId(12)}`, token: this.randomId(24), user: { ...user, role: 'user' } };
    this.logs.set(conversation.id, { conversation, activities: [], dropped: 0 });
    return conversation;
  }

  /** The conversation a bearer token was issued for, if any. */
  byToken(token: string): DirectLineConversation | undefined {
    for (const { conversation } of this.logs.values()) if (conversation.token === token) return conversation;
    return undefined;
  }

  /** The conversation with this id, if any. */
  get(conversationId: string): DirectLineConversation | undefined {
    return this.logs.get(conversationId)?.conversation;
  }

  /** Appends an activity, giving it an id and a timestamp; returns the stored copy. */
  append(conversationId: string, activity: Partial<Activity>): Partial<Activity> {
    const log = this.mustGet(conversationId);
    const sequence = log.dropped + log.activities.length;
    const stored = {
      ...activity,
      id: `${conversationId}|${String(sequence).padStart(7, '0')}`,
      timestamp: new Date(),
      conversation: { ...activity.conversation, id: conversationId },
    } as Partial<Activity>;
    log.activities.push(stored);
    if (log.activities.length > this.maxActivities) {
      log.activities.shift();
      log.dropped += 1;
    }
    return stored;
  }

  /** True when the conversation holds an activity with this id. */
  has(conversationId: string, activityId: string): boolean {
    return this.logs.get(conversationId)?.activities.some((a) => a.id === activityId) ?? false;
  }

  /** Activities after `watermark` and the watermark to poll with next. */
  since(conversationId: string, watermark: number): { activities: Partial<Activity>[]; watermark: string } {
    const log = this.mustGet(conversationId);
    const from = Math.max(0, watermark - log.dropped);
    return { activities: log.activities.slice(from), watermark: String(log.dropped + log.activities.length) };
  }

  /** Keeps an uploaded file and returns its id. */
  putFile(name: string, contentType: string, bytes: Buffer): StoredFile {
    const file = { id: this.randomId(16), name, contentType, bytes };
    this.files.set(file.id, file);
    this.fileBytes += bytes.length;
    for (const [id, old] of this.files) {
      if (this.fileBytes <= this.maxFileBytes || id === file.id) break;
      this.files.delete(id);
      this.fileBytes -= old.bytes.length;
    }
    return file;
  }

  /** An uploaded file by id, if still kept. */
  getFile(id: string): StoredFile | undefined {
    return this.files.get(id);
  }

  private mustGet(conversationId: string): Log {
    const log = this.logs.get(conversationId);
    if (!log) throw new Error(`Unknown Direct Line conversation ${conversationId}`);
    return log;
  }
}
