/**
 * Downloading a Bot Framework attachment's bytes: `data:` URIs and http(s) URLs (streamed with
 * axios and cut off past a size limit), plus Teams file-download info. The URL comes from the
 * channel; query strings are never put in error messages because they often carry tokens.
 */
import axios, { type AxiosInstance } from 'axios';
import type { Readable } from 'node:stream';
import { ConfigurationError } from '../errors';
import { AttachmentFetchError, AttachmentTooLargeError } from './attachment-errors';
import { guessContentType, isMimeType } from './content-type';
import { decodeDataUri } from './data-uri';
import { checkHost, guardedLookup, type NetworkPolicy } from './network-guard';
import { realScheduler, type Scheduler } from '../time';

/** The parts of a Bot Framework attachment a fetcher reads. */
export interface FetchableAttachment {
  contentUrl?: string;
  content?: unknown;
  contentType?: string;
  name?: string;
}

/** A downloaded file. */
export interface FetchedAttachment {
  data: Buffer;
  contentType: string;
  filename: string;
}

/** Reads an attachment's bytes; rejects with {@link AttachmentTooLargeError} or {@link AttachmentFetchError}. */
export type AttachmentFetcher = (attachment: FetchableAttachment) => Promise<FetchedAttachment>;

/** Options of {@link createAttachmentFetcher}. */
export interface AttachmentFetcherOptions {
  /** Largest file in bytes; larger downloads are aborted. Required. */
  maxBytes: number;
  /** Whole-download deadline in milliseconds. Default 10 000. */
  timeoutMs?: number;
  /** Extra request headers (e.g. a channel token), fixed or per URL. Default none. */
  headers?: Record<string, string> | ((url: URL) => Record<string, string> | Promise<Record<string, string>>);
  /** The axios instance to use. Default: a new one. */
  http?: AxiosInstance;
  /**
   * Allow downloads from loopback and private addresses. Default false: a user-supplied
   * `contentUrl` must not make the bot read internal services (SSRF). Set it when the channel
   * serves files from a private network.
   */
  allowPrivateNetwork?: boolean;
  /** Host names always allowed even when private, e.g. `['localhost']` for a local Direct Line. Default none. */
  allowHosts?: string[];
  /** Redirects followed (each hop is checked like the first). Default 3. */
  maxRedirects?: number;
  /** Runs the `timeoutMs` deadline. Default `realScheduler` (`setTimeout`); tests pass a fake one. */
  scheduler?: Scheduler;
}

const TEAMS_DOWNLOAD_INFO = 'application/vnd.microsoft.teams.file.download.info';

function sourceUrl(a: FetchableAttachment): string | undefined {
  if (a.contentType === TEAMS_DOWNLOAD_INFO) {
    const url = (a.content as { downloadUrl?: unknown } | undefined)?.downloadUrl;
    if (typeof url === 'string') return url;
  }
  return a.contentUrl;
}

function filenameOf(a: FetchableAttachment, url: URL | undefined): string {
  if (a.name && a.name.trim() !== '') return a.name.trim();
  const last = url && url.protocol !== 'data:' ? decodeURIComponent(url.pathname.split('/').pop() ?? '') : '';
  return last !== '' ? last : 'attachment';
}

type ResolvedFetcherOptions = Required<Omit<AttachmentFetcherOptions, 'headers' | 'allowPrivateNetwork' | 'allowHosts'>> &
  Pick<AttachmentFetcherOptions, 'headers'> & { policy: NetworkPolicy };

function resolveOptions(options: AttachmentFetcherOptions): ResolvedFetcherOptions {
  if (!Number.isInteger(options?.maxBytes) || options.maxBytes <= 0) {
    throw new ConfigurationError('maxBytes', `must be a positive whole number of bytes, got ${String(options?.maxBytes)}`, 'Use e.g. { maxBytes: 10 * 1024 * 1024 }');
  }
  const timeoutMs = options.timeoutMs ?? 10_000;
  if (!(timeoutMs > 0)) throw new ConfigurationError('timeoutMs', `must be a positive number of milliseconds, got ${String(timeoutMs)}`, 'Use e.g. { timeoutMs: 10000 }');
  const maxRedirects = options.maxRedirects ?? 3;
  if (!Number.isInteger(maxRedirects) || maxRedirects < 0) throw new ConfigurationError('maxRedirects', `must be a whole number >= 0, got ${String(maxRedirects)}`, 'Use e.g. { maxRedirects: 3 }');
  if (options.allowHosts !== undefined && (!Array.isArray(options.allowHosts) || options.allowHosts.some((h) => typeof h !== 'string'))) {
    throw new ConfigurationError('allowHosts', 'must be a list of host names', "Use e.g. { allowHosts: ['localhost'] }");
  }
  const scheduler = options.scheduler ?? realScheduler;
  if (typeof scheduler?.after !== 'function') {
    throw new ConfigurationError('scheduler', 'must be an object with an after(delayMs, task) method', 'Pass a Scheduler (a fake one in tests), or leave it out for real timers');
  }
  const policy: NetworkPolicy = { allowPrivateNetwork: options.allowPrivateNetwork === true, allowHosts: (options.allowHosts ?? []).map((h) => h.toLowerCase()) };
  return { maxBytes: options.maxBytes, timeoutMs, maxRedirects, headers: options.headers, http: options.http ?? axios.create(), scheduler, policy };
}

/** Creates an {@link AttachmentFetcher} for data URIs and http(s) URLs. */
export function createAttachmentFetcher(options: AttachmentFetcherOptions): AttachmentFetcher {
  const opts = resolveOptions(options);
  return async (attachment) => {
    const raw = sourceUrl(attachment);
    if (!raw) throw new AttachmentFetchError('attachment has no contentUrl');
    let url: URL;
    try {
      url = new URL(raw);
    } catch (err) {
      throw new AttachmentFetchError('attachment contentUrl is not a valid URL', { cause: err });
    }
    const filename = filenameOf(attachment, url);
    const declared = isMimeType(attachment.contentType) && attachment.contentType !== TEAMS_DOWNLOAD_INFO ? attachment.contentType : undefined;
    if (url.protocol === 'data:') {
      const { data, mediaType } = decodeDataUri(raw, opts.maxBytes);
      return { data, filename, contentType: declared ?? mediaType ?? guessContentType(filename) };
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new AttachmentFetchError(`unsupported URL scheme ${url.protocol}`);
    const { data, contentType } = await download(url, opts);
    return { data, filename, contentType: declared ?? (isMimeType(contentType) ? contentType.split(';')[0]!.trim() : guessContentType(filename)) };
  };
}

async function download(url: URL, opts: ResolvedFetcherOptions): Promise<{ data: Buffer; contentType?: string }> {
  const where = `${url.protocol}//${url.host}${url.pathname}`;
  const refused = checkHost(url.hostname, opts.policy);
  if (refused) throw new AttachmentFetchError(`GET ${where} refused: ${refused}`);
  const controller = new AbortController();
  let stream: Readable | undefined;
  // The deadline covers the whole download, so a slow body is cut off too, not just slow headers.
  const deadline = opts.scheduler.after(opts.timeoutMs, () => {
    controller.abort();
    stream?.destroy(new Error('deadline reached'));
  });
  try {
    const headers = typeof opts.headers === 'function' ? await opts.headers(url) : opts.headers;
    const res = await opts.http.get<Readable>(url.toString(), {
      responseType: 'stream',
      signal: controller.signal,
      headers,
      validateStatus: () => true,
      maxRedirects: opts.maxRedirects,
      // Names are checked after DNS resolution; IP literals in redirects are checked here.
      lookup: guardedLookup(opts.policy),
      beforeRedirect: (redirect: { hostname?: string }) => {
        const reason = redirect.hostname ? checkHost(redirect.hostname, opts.policy) : undefined;
        if (reason) throw new AttachmentFetchError(`GET ${where} refused a redirect: ${reason}`);
      },
    });
    stream = res.data;
    if (res.status < 200 || res.status > 299) throw new AttachmentFetchError(`GET ${where} answered ${res.status}`, { status: res.status });
    const length = Number(res.headers['content-length']);
    if (Number.isFinite(length) && length > opts.maxBytes) throw new AttachmentTooLargeError(opts.maxBytes, length);
    const chunks: Buffer[] = [];
    let total = 0;
    for await (const chunk of stream) {
      total += (chunk as Buffer).length;
      if (total > opts.maxBytes) throw new AttachmentTooLargeError(opts.maxBytes);
      chunks.push(chunk as Buffer);
    }
    const type = res.headers['content-type'];
    return { data: Buffer.concat(chunks), contentType: typeof type === 'string' ? type : undefined };
  } catch (err) {
    if (err instanceof AttachmentTooLargeError || err instanceof AttachmentFetchError) throw err;
    if (controller.signal.aborted) throw new AttachmentFetchError(`GET ${where} timed out after ${opts.timeoutMs} ms`, { cause: err });
    throw new AttachmentFetchError(`GET ${where} failed: ${(err as Error).message}`, { cause: err });
  } finally {
    deadline.cancel();
    // Release the socket whether we finished, hit the limit or failed half-way.
    stream?.destroy();
  }
}
