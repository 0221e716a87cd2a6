/**
 * A real local webhook receiver for the emulator suites: records every request (raw body and
 * headers) and answers with a status the test chooses per request.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** One received webhook request. */
export interface Received {
  headers: http.IncomingHttpHeaders;
  rawBody: string;
  body: Record<string, unknown>;
  /** What the receiver answered. */
  status: number;
}

/** The receiver. */
export interface Receiver {
  url: string;
  received: Received[];
  /** Decides the status per request; default 200; 0 leaves the request hanging (a timeout). */
  respond: (req: { body: Record<string, unknown>; headers: http.IncomingHttpHeaders }) => number;
  /** Resolves once `count` requests matching `predicate` arrived. */
  waitFor(predicate: (r: Received) => boolean, count?: number, timeoutMs?: number): Promise<Received[]>;
  close(): Promise<void>;
}

/** Starts a receiver on 127.0.0.1, port 0. */
export async function startReceiver(): Promise<Receiver> {
  const waiters = new Set<() => void>();
  const receiver: Receiver = {
    url: '',
    received: [],
    respond: () => 200,
    waitFor(predicate, count = 1, timeoutMs = 5000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const hits = receiver.received.filter(predicate);
          if (hits.length < count) return;
          clearTimeout(timer);
          waiters.delete(check);
          resolve(hits);
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`receiver: expected ${count} matching requests, got ${receiver.received.filter(predicate).length} of ${receiver.received.length}`));
        }, timeoutMs);
        waiters.add(check);
        check();
      });
    },
    close: () => new Promise((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const rawBody = Buffer.concat(chunks).toString('utf8');
      const body = JSON.parse(rawBody) as Record<string, unknown>;
      const status = receiver.respond({ body, headers: req.headers });
      receiver.received.push({ headers: req.headers, rawBody, body, status });
      if (status !== 0) {
        res.statusCode = status;
        res.end();
      }
      for (const w of [...waiters]) w();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  receiver.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/8x8/webhook`;
  return receiver;
}
