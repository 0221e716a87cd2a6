/**
 * The HTTP handler behind `fileLinks` (`handoff.files()`): checks a link's signature, then
 * downloads the file from 8x8 by id and streams it to whoever opened the link. Typed with node's
 * own request/response, so it works as an express 5 route and as a plain `http` handler.
 *
 * The bytes come from an agent, so the response is made inert on the bot's origin: `nosniff`, a
 * sandboxing Content-Security-Policy, and `attachment` disposition for anything but plain media,
 * PDF and text (an agent's HTML or SVG file never runs as a page of the bot's site).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { pipeline } from 'node:stream/promises';
import type { DownloadedAttachment } from '../gateway/attachments';
import { guessContentType } from '../transcript';
import type { FileLinkSigner } from './file-links';
import { isConversationGone } from './forward-failure';

/** The handler `handoff.files()` returns (express 5 compatible; it always answers). */
export type FilesHttpHandler = (req: IncomingMessage, res: ServerResponse, next?: (error?: unknown) => void) => Promise<void>;

/** What the handler needs. */
export interface FilesRouteDeps {
  links: FileLinkSigner;
  download: (conversationId: string, attachmentId: string) => Promise<DownloadedAttachment>;
  /** Failed downloads other than 404, with the 8x8 conversation id. */
  onError: (error: unknown, conversationId: string) => void;
}

/** Shown inline; everything else is offered as a download. */
const INLINE_TYPES = /^(image\/(png|jpeg|gif|webp|bmp)|audio\/[\w.+-]+|video\/[\w.+-]+|application\/pdf|text\/plain)$/;

/** Builds the handler. */
export function filesRoute(deps: FilesRouteDeps): FilesHttpHandler {
  return async (req, res) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.setHeader('allow', 'GET, HEAD');
      return answer(res, 405, 'method_not_allowed');
    }
    const url = new URL((req as { originalUrl?: string }).originalUrl ?? req.url ?? '/', 'http://link.invalid');
    const checked = deps.links.check(url.pathname, url.searchParams);
    if (!checked.ok) return answer(res, checked.status, checked.reason.replace(/ /g, '_'));
    const { conversationId, attachmentId, fileName } = checked.target;
    let file: DownloadedAttachment;
    try {
      file = await deps.download(conversationId, attachmentId);
    } catch (error) {
      if (isConversationGone(error)) return answer(res, 404, 'file_not_found');
      deps.onError(error, conversationId);
      return answer(res, 502, 'download_failed');
    }
    const name = file.filename ?? fileName;
    const given = file.contentType.split(';')[0]!.trim().toLowerCase();
    const type = given && given !== 'application/octet-stream' ? given : guessContentType(name);
    res.statusCode = 200;
    res.setHeader('content-type', type);
    if (file.contentLength !== undefined) res.setHeader('content-length', file.contentLength);
    res.setHeader('content-disposition', `${INLINE_TYPES.test(type) ? 'inline' : 'attachment'}; filename="${name.replace(/[^\x20-\x7e]|["\\]/g, '_')}"; filename*=UTF-8''${encodeURIComponent(name)}`);
    res.setHeader('x-content-type-options', 'nosniff');
    res.setHeader('content-security-policy', "default-src 'none'; sandbox");
    res.setHeader('referrer-policy', 'no-referrer');
    res.setHeader('cache-control', 'private, max-age=3600');
    if (req.method === 'HEAD') {
      file.stream.destroy();
      res.end();
      return;
    }
    // A reader that goes away mid-download only ends this response.
    await pipeline(file.stream, res).catch(() => undefined);
  };
}

function answer(res: ServerResponse, status: number, error: string): void {
  const body = Buffer.from(JSON.stringify({ error }));
  res.statusCode = status;
  res.setHeader('content-type', 'application/json; charset=utf-8');
  res.setHeader('cache-control', 'no-store');
  res.setHeader('content-length', body.length);
  res.end(body);
}
