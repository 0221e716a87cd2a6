/**
 * A local Bot Framework connector endpoint for `CloudAdapter` tests: it records every
 * `POST /v3/conversations/:id/activities[/:replyToId]` and answers `{ id }`, like the channel
 * service would. Real HTTP on 127.0.0.1, port 0.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import type { Activity } from 'botbuilder-core';

/** One activity the bot sent. */
export interface ConnectorPost {
  conversationId: string;
  replyToId?: string;
  activity: Partial<Activity>;
}

/** A running stub. `url` is the `serviceUrl` to put in incoming activities. */
export interface ConnectorStub {
  url: string;
  posts: ConnectorPost[];
  /** Resolves with the posts once `predicate` holds for at least `count` of them. */
  waitFor(predicate: (post: ConnectorPost) => boolean, count?: number, timeoutMs?: number): Promise<ConnectorPost[]>;
  close(): Promise<void>;
}

/** Starts the stub. `delayMs` (e.g. a seeded random pause) holds each answer, like a real connector's latency. */
export async function startConnectorStub(options: { delayMs?: () => number } = {}): Promise<ConnectorStub> {
  const posts: ConnectorPost[] = [];
  const listeners = new Set<() => void>();
  const app = express();
  app.use(express.json({ limit: '5mb' }));
  app.post('/v3/conversations/:conversationId/activities{/:replyToId}', async (req, res) => {
    const pause = options.delayMs?.() ?? 0;
    if (pause > 0) await new Promise((resolve) => setTimeout(resolve, pause));
    const params = req.params as { conversationId: string; replyToId?: string };
    posts.push({ conversationId: params.conversationId, replyToId: params.replyToId, activity: req.body as Partial<Activity> });
    for (const listener of listeners) listener();
    res.status(200).json({ id: `stub-${posts.length}` });
  });
  const server = http.createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    posts,
    waitFor(predicate, count = 1, timeoutMs = 5000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const found = posts.filter(predicate);
          if (found.length < count) return;
          cleanup();
          resolve(found);
        };
        const timer = setTimeout(() => {
          cleanup();
          reject(new Error(`connector stub: timed out waiting for ${count} matching post(s); got ${JSON.stringify(posts.map((p) => p.activity.text ?? p.activity.type))}`));
        }, timeoutMs);
        const cleanup = () => {
          clearTimeout(timer);
          listeners.delete(check);
        };
        listeners.add(check);
        check();
      });
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
