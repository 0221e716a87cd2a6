/**
 * What the emulator's two browser pages (the agent console and the 8x8 web widget) share on the
 * server side: their static folder, and live Server-Sent Event streams of the emulator's state.
 */
import fs from 'node:fs';
import path from 'node:path';
import express, { type Request, type Response, type Router } from 'express';

/**
 * Serves `dir/index.html` at the router's root and `dir/static/` under `static/`. The page loads
 * `static/...` relatively, so a request without the trailing slash is redirected to it. Without an
 * `index.html` (a build that did not copy the assets) the request falls through.
 */
export function servePageFolder(router: Router, dir: string): void {
  router.get('/', (req, res, next) => {
    if (!req.originalUrl.split('?')[0]!.endsWith('/')) return res.redirect(301, `${req.baseUrl}/`);
    const page = path.join(dir, 'index.html');
    if (!fs.existsSync(page)) return next();
    res.sendFile(page);
  });
  router.use('/static', express.static(path.join(dir, 'static'), { fallthrough: false }));
}

/**
 * The open event streams of one page. Each stream gets its payload at once, then again after
 * changes (a burst of changes, as one create makes, becomes one send per tick), and a comment line
 * every `heartbeatMs` so proxies keep it open.
 */
export class EventStreams {
  private readonly streams = new Set<Response>();

  constructor(
    /** Registers a change listener; returns its remover. */
    private readonly subscribe: (listener: () => void) => () => void,
    private readonly heartbeatMs = 15_000,
  ) {}

  /** Turns `res` into a stream of `event` messages carrying `payload()`. */
  open(req: Request, res: Response, event: string, payload: () => unknown): void {
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
    this.streams.add(res);
    const send = () => res.write(`event: ${event}\ndata: ${JSON.stringify(payload())}\n\n`);
    let pending = false;
    const unsubscribe = this.subscribe(() => {
      if (pending) return;
      pending = true;
      setImmediate(() => {
        pending = false;
        if (this.streams.has(res)) send();
      });
    });
    const heartbeat = setInterval(() => res.write(': heartbeat\n\n'), this.heartbeatMs);
    const cleanup = () => {
      clearInterval(heartbeat);
      unsubscribe();
      this.streams.delete(res);
    };
    req.on('close', cleanup);
    res.on('close', cleanup);
    send();
  }

  /** Ends every open stream (the emulator is closing). */
  close(): void {
    for (const res of this.streams) res.end();
    this.streams.clear();
  }
}
