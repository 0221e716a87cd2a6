/**
 * A Bot Framework connector stand-in for the relay benchmark: it answers
 * `POST /v3/conversations/:id/activities` like the channel service, and records when each
 * activity arrived, keyed by a `#seq:N#` marker in its text. It can also hang (hold every
 * request unanswered) to measure that webhook acks do not wait for the relay (RELIABILITY D3).
 * (test/support/connector-stub.ts has no arrival times and cannot hang.)
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { nowMs } from './stats';

/** A running connector. */
export interface BenchConnector {
  /** The `serviceUrl` of stored conversation references. */
  url: string;
  /** Arrival time ({@link nowMs}) of each marked activity, by seq; the first arrival wins. */
  arrivals: Map<number, number>;
  /** Marked activities that arrived more than once. */
  duplicates: number;
  /** Activities posted (all, marked or not). */
  posts: number;
  /** While true, requests are held unanswered until {@link BenchConnector.release}. */
  hang: boolean;
  /** Answers every held request and stops hanging. */
  release(): void;
  /** Resolves once `seq` arrived (immediately if it already has). */
  waitFor(seq: number, timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

const MARKER = /#seq:(\d+)#/;

/** Starts the connector on 127.0.0.1, port 0. */
export async function startBenchConnector(): Promise<BenchConnector> {
  const held: http.ServerResponse[] = [];
  const waiters = new Map<number, () => void>();
  let answered = 0;
  const answer = (res: http.ServerResponse): void => void res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ id: `act-${++answered}` }));
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const arrived = nowMs();
      connector.posts++;
      const seq = Number(MARKER.exec(Buffer.concat(chunks).toString('utf8'))?.[1] ?? Number.NaN);
      if (Number.isInteger(seq)) {
        if (connector.arrivals.has(seq)) connector.duplicates++;
        else connector.arrivals.set(seq, arrived);
        waiters.get(seq)?.();
      }
      if (connector.hang) held.push(res);
      else answer(res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const connector: BenchConnector = {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    arrivals: new Map(),
    duplicates: 0,
    posts: 0,
    hang: false,
    release() {
      connector.hang = false;
      for (const res of held.splice(0)) answer(res);
    },
    waitFor(seq, timeoutMs = 10_000) {
      if (connector.arrivals.has(seq)) return Promise.resolve();
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`connector: #seq:${seq}# did not arrive in ${timeoutMs} ms`)), timeoutMs);
        waiters.set(seq, () => {
          clearTimeout(timer);
          waiters.delete(seq);
          resolve();
        });
      });
    },
    async close() {
      connector.release();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  return connector;
}
