import { ConfigurationError } from '../../src/errors';
import { AttachmentFetchError, AttachmentTooLargeError, createAttachmentFetcher } from '../../src/transcript';
import axios from 'axios';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { guardedLookup, isPrivateAddress } from '../../src/transcript/network-guard';
import { PNG, startFileServer, type FileServer } from './local-files';
import { FakeTime, until } from '../support/fake-time';

describe('createAttachmentFetcher()', () => {
  let files: FileServer;
  beforeAll(async () => { files = await startFileServer(); });
  afterAll(async () => files.close());

  const fetcher = createAttachmentFetcher({ maxBytes: 1024 * 1024, timeoutMs: 1_000, allowHosts: ['127.0.0.1'] });

  it('should download an http attachment with its declared type and name', async () => {
    const got = await fetcher({ contentUrl: files.url('/files/report.pdf'), contentType: 'application/pdf', name: 'Report.pdf' });
    expect(got).toEqual({ data: Buffer.alloc(2048, 7), contentType: 'application/pdf', filename: 'Report.pdf' });
  });

  it('should take the type from the response and the name from the URL when the attachment gives neither', async () => {
    const got = await fetcher({ contentUrl: files.url('/files/photo?sig=secret') });
    expect(got).toMatchObject({ contentType: 'image/png', filename: 'photo' });
    expect(got.data.equals(PNG)).toBe(true);
  });

  it('should decode a base64 data URI without any request', async () => {
    const got = await fetcher({ contentUrl: `data:image/png;base64,${PNG.toString('base64')}`, name: 'dot.png' });
    expect(got).toEqual({ data: PNG, contentType: 'image/png', filename: 'dot.png' });
    expect((await fetcher({ contentUrl: 'data:,hello%20world' })).data.toString()).toBe('hello world');
  });

  it('should refuse before downloading when content-length is over the limit', async () => {
    const err = await fetcher({ contentUrl: files.url('/files/huge.bin') }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AttachmentTooLargeError);
    expect(err).toMatchObject({ code: 'E_ATTACHMENT_TOO_LARGE', size: 50 * 1024 * 1024, limit: 1024 * 1024 });
  });

  it('should abort a chunked download once it passes the limit', async () => {
    const err = await fetcher({ contentUrl: files.url('/files/chunked.bin') }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AttachmentTooLargeError);
    expect((err as AttachmentTooLargeError).size).toBeUndefined();
  });

  it('should refuse an oversized data URI from its length', async () => {
    const small = createAttachmentFetcher({ maxBytes: 10, allowHosts: ['127.0.0.1'] });
    await expect(small({ contentUrl: `data:text/plain;base64,${Buffer.alloc(100).toString('base64')}` })).rejects.toMatchObject({ code: 'E_ATTACHMENT_TOO_LARGE', size: 100 });
  });

  it('should fail with the status and without the query string when the server answers 404', async () => {
    const err = (await fetcher({ contentUrl: files.url('/files/missing.png?token=s3cret') }).catch((e: unknown) => e)) as AttachmentFetchError;
    expect(err).toBeInstanceOf(AttachmentFetchError);
    expect(err.status).toBe(404);
    expect(err.message).not.toContain('s3cret');
  });

  it('should give up after the deadline when the body is slow', async () => {
    const time = new FakeTime();
    const client = axios.create();
    let headersIn = false;
    client.interceptors.response.use((response) => ((headersIn = true), response));
    const quick = createAttachmentFetcher({ maxBytes: 1024, timeoutMs: 200, allowHosts: ['127.0.0.1'], http: client, scheduler: time });
    let settled = false;
    const outcome = quick({ contentUrl: files.url('/files/slow.txt') }).finally(() => (settled = true));
    outcome.catch(() => undefined); // observed below; never an unhandled rejection meanwhile
    await until(() => headersIn, 'the slow response headers'); // the body is now trickling in
    await time.advance(199);
    expect(settled).toBe(false);
    await time.advance(1);
    await expect(outcome).rejects.toThrow(/timed out after 200 ms/);
  });

  it('should send the configured headers, computed per URL', async () => {
    const withAuth = createAttachmentFetcher({ maxBytes: 4096, allowHosts: ['127.0.0.1'], headers: async (url) => ({ authorization: `Bearer for-${url.hostname}` }) });
    await withAuth({ contentUrl: files.url('/files/report.pdf') });
    expect(files.seen.get('/files/report.pdf')!.authorization).toBe('Bearer for-127.0.0.1');
  });

  it('should reject unsupported schemes and missing URLs', async () => {
    await expect(fetcher({ contentUrl: 'file:///etc/passwd' })).rejects.toThrow(/unsupported URL scheme file:/);
    await expect(fetcher({ name: 'x' })).rejects.toThrow(AttachmentFetchError);
  });

  it('should reject a non-positive size limit, a bad timeout or scheduler when constructed', () => {
    expect(() => createAttachmentFetcher({ maxBytes: 0 })).toThrow(ConfigurationError);
    expect(() => createAttachmentFetcher({ maxBytes: 10, timeoutMs: -1 })).toThrow(/timeoutMs/);
    expect(() => createAttachmentFetcher({ maxBytes: 10, scheduler: {} as never })).toThrow(/scheduler/);
  });

  describe('network guard (user-supplied contentUrl must not reach internal services)', () => {
    const strict = createAttachmentFetcher({ maxBytes: 4096, timeoutMs: 1_000 });

    it.each([
      ['loopback IPv4', 'http://127.0.0.1:9/secret'],
      ['cloud metadata', 'http://169.254.169.254/latest/meta-data/'],
      ['private range', 'http://10.1.2.3/admin'],
      ['loopback IPv6', 'http://[::1]:9/secret'],
      ['IPv4-mapped IPv6', 'http://[::ffff:192.168.0.1]/'],
      ['localhost by name', 'http://localhost:9/secret'],
    ])('should refuse %s by default without connecting', async (_label, contentUrl) => {
      await expect(strict({ contentUrl })).rejects.toThrow(/refused: .*private network/);
    });

    it('should refuse a public-looking name that resolves to a private address', async () => {
      const lookup = guardedLookup({ allowPrivateNetwork: false, allowHosts: [] });
      // guardedLookup judges only the resolved address, not the name's spelling.
      await expect(lookup('localhost', {})).rejects.toMatchObject({ code: 'EPRIVATE' });
      await expect(guardedLookup({ allowPrivateNetwork: true, allowHosts: [] })('localhost', {})).resolves.toMatchObject({ address: expect.any(String) });
    });

    it('should refuse a redirect from an allowed host to a private address', async () => {
      const server = http.createServer((req, res) => {
        res.writeHead(302, { location: `http://127.0.0.1:${(server.address() as AddressInfo).port}/inside` }).end();
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      try {
        const viaLocalhost = createAttachmentFetcher({ maxBytes: 4096, timeoutMs: 1_000, allowHosts: ['localhost'] });
        const port = (server.address() as AddressInfo).port;
        await expect(viaLocalhost({ contentUrl: `http://localhost:${port}/start` })).rejects.toThrow(/redirect.*127\.0\.0\.1 is on a private network/);
      } finally {
        await new Promise((resolve) => server.close(resolve));
      }
    });

    it('should classify addresses', () => {
      expect(['127.0.0.1', '10.0.0.1', '172.16.5.4', '192.168.1.1', '169.254.169.254', '100.64.0.1', '::1', 'fe80::1', 'fd00::1', '::ffff:10.0.0.1'].map(isPrivateAddress)).toEqual(Array(10).fill(true));
      expect(['8.8.8.8', '172.32.0.1', '2001:4860:4860::8888', 'example.com'].map(isPrivateAddress)).toEqual([false, false, false, false]);
    });
  });
});
