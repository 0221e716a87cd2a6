/**
 * One webhook POST, with a per-attempt timeout and no connection reuse (so nothing stays open
 * after the emulator closes). The body is sent byte for byte as signed.
 */
import http from 'node:http';
import https from 'node:https';

/** Sends one POST; resolves with the status, rejects on timeout or a network error. */
export type WebhookPoster = (uri: string, body: string, headers: Record<string, string>, timeoutMs: number, signal: AbortSignal) => Promise<number>;

/** The default {@link WebhookPoster} on node:http / node:https. */
export const postWebhook: WebhookPoster = (uri, body, headers, timeoutMs, signal) =>
  new Promise((resolve, reject) => {
    const url = new URL(uri);
    const transport = url.protocol === 'https:' ? https : http;
    const payload = Buffer.from(body, 'utf8');
    const req = transport.request(
      url,
      { method: 'POST', agent: false, signal, headers: { ...headers, 'content-length': String(payload.length), connection: 'close' } },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
        res.on('error', reject);
      },
    );
    req.setTimeout(timeoutMs, () => req.destroy(new Error(`timeout after ${timeoutMs} ms`)));
    req.on('error', reject);
    req.end(payload);
  });
