/**
 * A real HTTP file server on 127.0.0.1 (port 0) for attachment tests: serves fixed files, a
 * chunked stream without content-length, a slow body, and error statuses.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FileServer {
  url: (path: string) => string;
  /** Request headers seen, by path. */
  seen: Map<string, http.IncomingHttpHeaders>;
  close: () => Promise<void>;
}

export const PNG = Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex');

export async function startFileServer(): Promise<FileServer> {
  const seen = new Map<string, http.IncomingHttpHeaders>();
  const timers = new Set<NodeJS.Timeout>();
  const server = http.createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0]!;
    seen.set(path, req.headers);
    if (path === '/files/report.pdf') {
      res.writeHead(200, { 'content-type': 'application/pdf', 'content-length': '2048' }).end(Buffer.alloc(2048, 7));
    } else if (path === '/files/photo') {
      res.writeHead(200, { 'content-type': 'image/png; charset=binary' }).end(PNG);
    } else if (path === '/files/huge.bin') {
      res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': String(50 * 1024 * 1024) });
      res.write(Buffer.alloc(1024));
      // never finishes: the client must stop on content-length alone
    } else if (path === '/files/chunked.bin') {
      res.writeHead(200, { 'content-type': 'application/octet-stream' });
      let sent = 0;
      const pump = () => {
        if (res.destroyed || sent > 5 * 1024 * 1024) return res.end();
        sent += 64 * 1024;
        res.write(Buffer.alloc(64 * 1024), pump);
      };
      pump();
    } else if (path === '/files/slow.txt') {
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.write('partial');
      const t = setTimeout(() => res.end('late'), 5_000);
      timers.add(t);
      res.on('close', () => clearTimeout(t));
    } else {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: (path) => `http://127.0.0.1:${port}${path}`,
    seen,
    close: async () => {
      timers.forEach(clearTimeout);
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
