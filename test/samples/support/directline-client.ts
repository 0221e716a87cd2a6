/**
 * A tiny Direct Line v3 client for tests: what Web Chat's directlinejs does in polling mode, over
 * real HTTP with fetch.
 */
import type { Activity } from 'botbuilder';

/** One started conversation. */
export class TestDirectLine {
  private watermark = '0';
  /** Every activity polled so far, in order. */
  readonly seen: Partial<Activity>[] = [];

  private constructor(readonly domain: string, readonly conversationId: string, readonly token: string, readonly userId: string) {}

  /** Generates a token for `userId` and starts the conversation (as Web Chat does). */
  static async start(domain: string, userId = 'dl_test_user'): Promise<TestDirectLine> {
    const generated = await json(await fetch(`${domain}/tokens/generate`, post({ user: { id: userId, name: 'Test Customer' } })));
    const started = await fetch(`${domain}/conversations`, post({}, generated.token as string));
    if (started.status !== 201) throw new Error(`start conversation answered ${started.status}`);
    const body = await json(started);
    return new TestDirectLine(domain, body.conversationId as string, body.token as string, userId);
  }

  /** Posts a message; resolves to the HTTP status and the activity id. */
  async say(text: string, extra: Partial<Activity> = {}): Promise<{ status: number; id?: string }> {
    const res = await fetch(`${this.domain}/conversations/${this.conversationId}/activities`, post({ type: 'message', text, from: { id: this.userId }, ...extra }, this.token));
    const body = await json(res);
    return { status: res.status, id: body.id as string | undefined };
  }

  /** Uploads files with a message the way directlinejs does (multipart: `activity` + `file` parts). */
  async upload(files: Array<{ name: string; type: string; bytes: Buffer }>, text?: string): Promise<{ status: number; id?: string }> {
    const form = new FormData();
    const activity = { type: 'message', text, from: { id: this.userId }, attachments: files.map((f) => ({ name: f.name, contentType: f.type })) };
    form.append('activity', new Blob([JSON.stringify(activity)], { type: 'application/vnd.microsoft.activity' }));
    for (const f of files) form.append('file', new Blob([new Uint8Array(f.bytes)], { type: f.type }), f.name);
    const res = await fetch(`${this.domain}/conversations/${this.conversationId}/upload?userId=${this.userId}`, {
      method: 'POST', body: form, headers: { authorization: `Bearer ${this.token}` },
    });
    const body = await json(res);
    return { status: res.status, id: body.id as string | undefined };
  }

  /** Polls once and returns the new activities. */
  async poll(): Promise<Partial<Activity>[]> {
    const res = await fetch(`${this.domain}/conversations/${this.conversationId}/activities?watermark=${this.watermark}`, { headers: { authorization: `Bearer ${this.token}` } });
    if (res.status !== 200) throw new Error(`poll answered ${res.status}`);
    const body = await json(res);
    this.watermark = body.watermark as string;
    const fresh = body.activities as Partial<Activity>[];
    this.seen.push(...fresh);
    return fresh;
  }

  /** Polls (every 50 ms, up to `timeoutMs`) until an activity matches; resolves to it. */
  async waitFor(match: (a: Partial<Activity>) => boolean, timeoutMs = 10_000): Promise<Partial<Activity>> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.seen.find(match);
      if (found) return found;
      if (Date.now() > deadline) throw new Error(`no matching activity within ${timeoutMs} ms; saw ${JSON.stringify(this.seen.map(summary))}`);
      await this.poll();
      if (!this.seen.some(match)) await new Promise((r) => setTimeout(r, 50));
    }
  }

  /** Waits for a bot message whose text matches. */
  botSays(text: string | RegExp, timeoutMs?: number): Promise<Partial<Activity>> {
    return this.waitFor((a) => a.type === 'message' && a.from?.role === 'bot' && matches(a.text, text), timeoutMs);
  }
}

function matches(actual: string | undefined, expected: string | RegExp): boolean {
  return typeof expected === 'string' ? actual === expected : expected.test(actual ?? '');
}

function summary(a: Partial<Activity>): string {
  return `${a.from?.role ?? '?'}:${a.type}:${a.text ?? a.name ?? ''}`;
}

function post(body: unknown, token?: string): RequestInit {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (token) headers.authorization = `Bearer ${token}`;
  return { method: 'POST', headers, body: JSON.stringify(body) };
}

async function json(res: Response): Promise<Record<string, unknown>> {
  const text = await res.text();
  return text ? (JSON.parse(text) as Record<string, unknown>) : {};
}
