/**
 * Agent files as the user receives them, decided when the message is delivered (not when the
 * webhook arrives: a link or bytes taken then could be stale by the time a failed send is retried).
 *
 * 8x8 describes a file by id, sometimes with a `preSignedUrl` that expires (REFERENCE.md section 4;
 * the older form has only `{ id }`). In order of preference:
 * 1. `fileLinks` configured: a link to the bot's own `handoff.files()` route, which downloads the
 *    file from 8x8 by id when opened. It keeps working after 8x8's URL expires.
 * 2. Otherwise a file up to `inlineFileMaxBytes` is downloaded by id now and sent inline as a
 *    `data:` URL: it lives in the channel's own history, nothing to expire.
 * 3. A larger file links to 8x8's `preSignedUrl` (it expires), or, with none, becomes a line of text
 *    naming it. A failed download is reported to `onError` and falls back the same way.
 */
import type { Readable } from 'node:stream';
import type { Attachment } from 'botbuilder';
import type { DownloadedAttachment } from '../gateway/attachments';
import { formatBytes, guessContentType, type GatewayFile } from '../transcript';
import { isMimeType } from '../transcript/content-type';
import type { FileLinkSigner } from './file-links';

/** What resolving needs. */
export interface AgentFileDeps {
  /** Downloads a file by id (`ChatGatewayClient.downloadAttachment`); without it only links can be given. */
  download?: (conversationId: string, attachmentId: string) => Promise<DownloadedAttachment>;
  /** Reads a file's name by id (`ChatGatewayClient.getAttachment`), for id-only files that get a link. */
  describe?: (conversationId: string, attachmentId: string) => Promise<{ filename?: string }>;
  /** The bot's own file links (`fileLinks`), when configured. */
  fileLinks?: FileLinkSigner;
  /** Largest file sent inline as a `data:` URL; 0 sends none inline. */
  inlineFileMaxBytes: number;
  /** Where a failed download is reported. */
  onError: (error: unknown) => void;
}

/** The files of one message, in order: attachments, and lines of text for files that cannot be attached. */
export interface ResolvedFiles {
  attachments: Attachment[];
  lines: string[];
}

/** Resolves the files of one agent message of 8x8 conversation `conversationId`. */
export async function resolveAgentFiles(deps: AgentFileDeps, conversationId: string, files: readonly GatewayFile[]): Promise<ResolvedFiles> {
  const out: ResolvedFiles = { attachments: [], lines: [] };
  for (const file of files) {
    const resolved = await resolveOne(deps, conversationId, file);
    if (typeof resolved === 'string') out.lines.push(resolved);
    else out.attachments.push(resolved);
  }
  return out;
}

async function resolveOne(deps: AgentFileDeps, conversationId: string, file: GatewayFile): Promise<Attachment | string> {
  if (deps.fileLinks) {
    // An id-only file has no name: ask 8x8 for it, so the user sees "invoice.pdf", not an id.
    const fileName = file.fileName ?? (await nameOf(deps, conversationId, file.id));
    const name = fileName ?? file.id;
    return { contentType: guessContentType(fileName, file.type), name, contentUrl: deps.fileLinks.url({ conversationId, attachmentId: file.id, fileName: name }) };
  }
  let name = file.fileName ?? file.id;
  let tooLarge: number | undefined;
  if (deps.download && deps.inlineFileMaxBytes > 0) {
    try {
      const got = await readLimited(await deps.download(conversationId, file.id), deps.inlineFileMaxBytes);
      // 8x8 names the file in Content-Disposition: the name of an id-only file.
      const fileName = file.fileName ?? got.filename;
      name = fileName ?? name;
      if (got.kind === 'bytes') {
        // 8x8 serves downloads as application/octet-stream: the name says more.
        const type = isMimeType(got.contentType) && got.contentType !== 'application/octet-stream' ? got.contentType.split(';')[0]!.trim() : guessContentType(fileName, file.type);
        return { contentType: type, name, contentUrl: `data:${type};base64,${got.data.toString('base64')}` };
      }
      tooLarge = got.size ?? -1;
    } catch (error) {
      deps.onError(error);
    }
  }
  if (file.preSignedUrl) return { contentType: guessContentType(file.fileName, file.type), name, contentUrl: file.preSignedUrl };
  if (tooLarge === undefined) return `[Attachment: ${name} (not available)]`;
  return `[Attachment: ${name} (${tooLarge >= 0 ? `${formatBytes(tooLarge)}, ` : ''}too large to show here)]`;
}

async function nameOf(deps: AgentFileDeps, conversationId: string, attachmentId: string): Promise<string | undefined> {
  if (!deps.describe) return undefined;
  try {
    const { filename } = await deps.describe(conversationId, attachmentId);
    return typeof filename === 'string' && filename ? filename : undefined;
  } catch (error) {
    // The link works without a name: report and go on.
    deps.onError(error);
    return undefined;
  }
}

/** `size` of a file too large: known only when 8x8 sent a Content-Length. */
type Limited = { kind: 'bytes'; data: Buffer; contentType: string; filename?: string } | { kind: 'tooLarge'; size?: number; filename?: string };

/** Reads a download up to `maxBytes`; a larger one is abandoned (the stream destroyed) as soon as it is known. */
async function readLimited(download: DownloadedAttachment, maxBytes: number): Promise<Limited> {
  const stream: Readable = download.stream;
  const named = download.filename ? { filename: download.filename } : {};
  if (download.contentLength !== undefined && download.contentLength > maxBytes) {
    stream.destroy();
    return { kind: 'tooLarge', size: download.contentLength, ...named };
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream) {
    const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as Uint8Array);
    size += buffer.length;
    if (size > maxBytes) {
      stream.destroy();
      return { kind: 'tooLarge', size: download.contentLength, ...named };
    }
    chunks.push(buffer);
  }
  return { kind: 'bytes', data: Buffer.concat(chunks), contentType: download.contentType, ...named };
}
