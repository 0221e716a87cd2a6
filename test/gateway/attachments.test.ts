import busboy from 'busboy';
import { ChatGatewayApiError, parseContentDisposition } from '../../src/gateway';
import { useFakeGateway } from './support/client';
import { FakeGateway, type RecordedRequest } from './support/fake-gateway';

interface Parsed {
  fields: Record<string, string>;
  files: Record<string, { filename: string; mimeType: string; data: Buffer }>;
}

/** Parses a recorded multipart body the way a server would. */
function parseMultipart(req: RecordedRequest): Promise<Parsed> {
  return new Promise((resolve, reject) => {
    const parsed: Parsed = { fields: {}, files: {} };
    const bb = busboy({ headers: req.headers });
    bb.on('field', (name, value) => (parsed.fields[name] = value));
    bb.on('file', (name, stream, info) => {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => (parsed.files[name] = { filename: info.filename ?? '', mimeType: info.mimeType, data: Buffer.concat(chunks) }));
    });
    bb.on('close', () => resolve(parsed));
    bb.on('error', reject);
    bb.end(req.body);
  });
}

async function readAll(stream: NodeJS.ReadableStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of stream) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

describe('#parseContentDisposition()', () => {
  it.each([
    ['attachment; filename="report.pdf"', 'report.pdf'],
    ['inline; filename=photo.png', 'photo.png'],
    ['attachment; filename="a \\"quoted\\" name.txt"', 'a "quoted" name.txt'],
    ['attachment; filename="fallback.txt"; filename*=UTF-8\'\'r%C3%A9sum%C3%A9.txt', 'résumé.txt'],
    ['attachment', undefined],
    [undefined, undefined],
  ])('should read %p as %p', (header, expected) => {
    expect(parseContentDisposition(header)).toBe(expected);
  });
});

describe('ChatGatewayClient attachments', () => {
  const suite = useFakeGateway(() => FakeGateway.start());

  describe('#uploadAttachment()', () => {
    it('should post multipart/form-data with the attachment and authorType parts and return the attachment', async () => {
      const result = { id: 'att-1', filename: 'notes.txt', sizeInBytes: 5, createdAt: '2026-01-01T00:00:00Z' };
      suite.fake.reply({ status: 200, body: result });
      const data = Buffer.from('hello');
      await expect(suite.client.uploadAttachment('c1', { data, filename: 'notes.txt', contentType: 'text/plain', authorType: 'user' })).resolves.toEqual(result);
      const req = suite.fake.last();
      expect(req.path).toBe('/chat-gateway/v1/conversations/c1/attachments');
      expect(req.headers['content-type']).toMatch(/^multipart\/form-data; boundary=/);
      expect(req.headers['x-api-key']).toBeDefined();
      const parsed = await parseMultipart(req);
      expect(parsed.fields).toEqual({ authorType: 'user' });
      expect(parsed.files.attachment).toEqual({ filename: 'notes.txt', mimeType: 'text/plain', data });
    });

    it('should send the whole form again when 8x8 answers 503 first', async () => {
      suite.fake.reply({ status: 503 }, { status: 200, body: { id: 'att-2', filename: 'b.bin' } });
      await suite.client.uploadAttachment('c1', { data: new Uint8Array([1, 2, 3]), filename: 'b.bin', authorType: 'bot' });
      expect(suite.fake.requests).toHaveLength(2);
      const second = await parseMultipart(suite.fake.requests[1]!);
      expect(second.files.attachment!.data).toEqual(Buffer.from([1, 2, 3]));
      expect(second.files.attachment!.mimeType).toBe('application/octet-stream');
      expect(second.fields.authorType).toBe('bot');
    });
  });

  describe('#downloadAttachment()', () => {
    it('should stream the bytes and report content type, file name and length', async () => {
      const bytes = Buffer.from('%PDF-1.7 fake');
      suite.fake.reply({
        status: 200,
        body: bytes,
        headers: { 'content-type': 'application/octet-stream', 'content-disposition': 'attachment; filename="doc.pdf"', 'content-length': String(bytes.length) },
      });
      const download = await suite.client.downloadAttachment('c1', 'a/1');
      expect(suite.fake.last().path).toBe('/chat-gateway/v1/conversations/c1/attachments/a%2F1/content');
      expect(download).toMatchObject({ contentType: 'application/octet-stream', filename: 'doc.pdf', contentLength: bytes.length });
      expect(await readAll(download.stream)).toEqual(bytes);
    });

    it('should map a 404 with a JSON body to ChatGatewayApiError when the file does not exist', async () => {
      suite.fake.reply({ status: 404, body: { message: 'Attachment not found', errors: ['no such attachment'] } });
      const error = await suite.client.downloadAttachment('c1', 'nope').catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ChatGatewayApiError);
      expect(error).toMatchObject({ status: 404, message: expect.stringContaining('Attachment not found'), errors: [{ message: 'no such attachment' }] });
    });
  });
});
