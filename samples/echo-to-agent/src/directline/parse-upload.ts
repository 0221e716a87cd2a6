/**
 * Reads Web Chat's upload body: `multipart/form-data` with one `activity` part (the message as
 * JSON, attachments without their bytes) and one `file` part per attachment, in the same order.
 */
import type { IncomingMessage } from 'node:http';
import busboy from 'busboy';
import type { Activity } from 'botbuilder';

/** One uploaded file part. */
export interface UploadedFile {
  name: string;
  contentType: string;
  bytes: Buffer;
}

/** The parsed upload. */
export interface ParsedUpload {
  activity: Partial<Activity>;
  files: UploadedFile[];
}

/** An upload the sample refuses; `status` is the HTTP status to answer with. */
export class UploadError extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
  }
}

/** Parses a Direct Line upload request. Rejects with {@link UploadError} on a bad or oversized body. */
export function parseUpload(req: IncomingMessage, maxFileBytes: number): Promise<ParsedUpload> {
  return new Promise((resolve, reject) => {
    let parser: busboy.Busboy;
    try {
      parser = busboy({ headers: req.headers, limits: { fileSize: maxFileBytes, files: 10 } });
    } catch {
      reject(new UploadError(415, 'Expected multipart/form-data'));
      return;
    }
    const files: UploadedFile[] = [];
    let activityJson = '';
    parser.on('file', (field, stream, info) => {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('limit', () => reject(new UploadError(413, `A file is larger than ${maxFileBytes} bytes`)));
      stream.on('close', () => {
        const bytes = Buffer.concat(chunks);
        // Browsers send the activity part as a Blob, so it may arrive as a file.
        if (field === 'activity') activityJson += bytes.toString('utf8');
        else files.push({ name: info.filename || 'file', contentType: info.mimeType || 'application/octet-stream', bytes });
      });
    });
    parser.on('field', (field, value) => {
      if (field === 'activity') activityJson += value;
    });
    parser.on('error', () => reject(new UploadError(400, 'Malformed multipart body')));
    parser.on('close', () => {
      try {
        resolve({ activity: JSON.parse(activityJson || '{}') as Partial<Activity>, files });
      } catch {
        reject(new UploadError(400, 'The activity part is not JSON'));
      }
    });
    req.pipe(parser);
  });
}
