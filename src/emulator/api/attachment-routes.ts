/**
 * Attachments: multipart upload (parts `attachment` and `authorType`, 200), list, get, and the
 * `/content` download (`application/octet-stream` with `Content-Disposition`). Also the
 * pre-signed `/files/:id` links of MESSAGE events, served without an api key.
 */
import busboy from 'busboy';
import { Router, type Request, type Response } from 'express';
import type { Attachment } from '../../gateway/types';
import type { StoredAttachment, StoredConversation } from '../store';
import { conversationOr404, selfHref, sendHal, type ApiContext } from './context';
import { halList, parseListParams } from './paging';
import { generalError, notFound } from './problems';

/** Largest upload accepted (8x8 documents no limit; this keeps a runaway test bounded). */
const MAX_UPLOAD_BYTES = 25 * 1024 * 1024;

/**
 * The `AttachmentResult` view. The schema defines `sizeInBytes` but lists `size` and `type` as
 * required without defining them; the emulator sends all three (size in bytes, MIME type) so it
 * matches the schema as written.
 */
export function attachmentView(a: StoredAttachment): Attachment & { size: number; type: string } {
  return { id: a.id, filename: a.filename, sizeInBytes: a.data.length, size: a.data.length, type: a.contentType, createdAt: a.createdAt };
}

/** A parsed multipart upload. */
export interface Upload {
  fields: Record<string, string>;
  file?: { field: string; filename: string; contentType: string; data: Buffer };
}

/** Reads a multipart body with busboy; keeps the first file part named `fileField`. */
export function readMultipart(req: Request, fileField: string): Promise<Upload> {
  return new Promise((resolve, reject) => {
    let parser: busboy.Busboy;
    try {
      parser = busboy({ headers: req.headers, limits: { fileSize: MAX_UPLOAD_BYTES, files: 5 } });
    } catch {
      reject(generalError(400, 'invalid_multipart', 'Expected a multipart/form-data body.'));
      return;
    }
    const upload: Upload = { fields: {} };
    parser.on('field', (name, value) => (upload.fields[name] = value));
    parser.on('file', (name, stream, info) => {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        if (name === fileField && !upload.file) {
          upload.file = { field: name, filename: info.filename || 'file', contentType: info.mimeType || 'application/octet-stream', data: Buffer.concat(chunks) };
        }
      });
    });
    parser.on('error', () => reject(generalError(400, 'invalid_multipart', 'The multipart body could not be read.')));
    parser.on('close', () => resolve(upload));
    req.pipe(parser);
  });
}

/** Sends a file's bytes; `disposition` is `inline` or `attachment`. */
export function sendFile(res: Response, a: StoredAttachment, contentType: string, disposition: 'inline' | 'attachment'): void {
  res
    .status(200)
    .set('content-type', contentType)
    .set('content-disposition', `${disposition}; filename="${a.filename.replace(/["\\\r\n]/g, '_')}"; filename*=UTF-8''${encodeURIComponent(a.filename)}`)
    .send(a.data);
}

/** The attachment routes under `/chat-gateway/v1`. */
export function attachmentRoutes(ctx: ApiContext): Router {
  const router = Router();
  const find = (conversation: StoredConversation, id: string): StoredAttachment => {
    const attachment = ctx.store.attachments.get(id);
    if (!attachment || attachment.conversationId !== conversation.id) throw notFound('Attachment', id);
    return attachment;
  };

  router.post('/conversations/:conversationId/attachments', async (req, res) => {
    const conversation = conversationOr404(ctx, req);
    const upload = await readMultipart(req, 'attachment');
    const authorType = upload.fields.authorType;
    if (authorType !== 'user' && authorType !== 'bot') throw generalError(400, 'invalid_author_type', `Invalid authorType=${String(authorType)}, has to be one of user, bot.`);
    if (!upload.file) throw generalError(400, 'missing_attachment', 'The multipart part `attachment` is required.');
    const { filename, contentType, data } = upload.file;
    const attachment = ctx.engine.addAttachment(conversation, { filename, contentType, data, authorType });
    sendHal(res, 200, attachmentView(attachment));
  });

  router.get('/conversations/:conversationId/attachments', (req, res) => {
    const conversation = conversationOr404(ctx, req);
    const params = parseListParams(req.query, 'createdAt:asc');
    const items = [...ctx.store.attachments.values()].filter((a) => a.conversationId === conversation.id).map(attachmentView);
    sendHal(res, 200, halList('attachments', items, params, selfHref(ctx, req)));
  });

  router.get('/conversations/:conversationId/attachments/:attachmentId', (req, res) => {
    sendHal(res, 200, attachmentView(find(conversationOr404(ctx, req), req.params.attachmentId)));
  });

  router.get('/conversations/:conversationId/attachments/:attachmentId/content', (req, res) => {
    sendFile(res, find(conversationOr404(ctx, req), req.params.attachmentId), 'application/octet-stream', 'attachment');
  });

  return router;
}

/** `GET /files/:attachmentId?expires&signature`: the pre-signed download links (no api key). */
export function fileRoutes(ctx: ApiContext): Router {
  const router = Router();
  router.get('/files/:attachmentId', (req, res) => {
    const attachment = ctx.store.attachments.get(req.params.attachmentId);
    if (!attachment || !ctx.fileLinks.verify(attachment.id, req.query.expires, req.query.signature)) {
      res.status(403).type('text/plain').send('This link is invalid or has expired.');
      return;
    }
    sendFile(res, attachment, attachment.contentType, req.query.download ? 'attachment' : 'inline');
  });
  return router;
}
