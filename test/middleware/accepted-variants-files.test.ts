/**
 * Issue 10, agent files: files 8x8 describes only by id reach the user, and what the user gets
 * keeps working after 8x8's pre-signed URLs expire. Real emulator, real client, real signed
 * webhook into the middleware (TestAdapter); the bot's file route on its own express server.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Attachment } from 'botbuilder';
import express from 'express';
import { DEFAULT_MESSAGES, FileLinkSigner } from '../../src/handoff';
import { triggers } from '../../src/triggers';
import { connectorError } from '../handoff/connector-errors';
import { connectedUser, eventually, startHarness, type Harness } from './harness';

const SECRET = 'test-secret-0123456789-0123456789-abcdef';

const agentFiles = (activity: { attachments?: Attachment[] }) => (activity.attachments ?? []).filter((a) => a.contentType !== 'application/vnd.microsoft.card.adaptive');

describe('agent files without fileLinks: inline up to inlineFileMaxBytes, by id', () => {
  let h: Harness;

  beforeAll(async () => {
    // 8x8's older form (`{ id }` only), and its links expire at once: only a download by id can work.
    h = await startHarness({ middleware: { triggers: [triggers.keywords(['agent'])], inlineFileMaxBytes: 64 }, emulator: { fidelity: 'id-only-files', fileLinkTtlMs: 1 } });
  });
  afterAll(async () => {
    await h.close();
  });

  it('should download an id-only file by id and send it inline, not "(not available)"', async () => {
    const { user, gatewayId } = await connectedUser(h, 'id-only-small');
    await h.emulator.agent('agent-1').say('your receipt', { conversationId: gatewayId, attachments: [{ filename: 'receipt.txt', contentType: 'text/plain', data: Buffer.from('receipt 42') }] });
    const reply = await user.waitForText('your receipt');
    const delivered = await h.emulator.waitForDelivery((d) => d.conversationId === gatewayId && d.eventType === 'MESSAGE' && !(d.event.data as { isEcho?: boolean }).isEcho);
    expect((delivered.event.data as { attachments: unknown[] }).attachments).toEqual([{ id: expect.any(String) }]);
    expect(agentFiles(reply)).toEqual([{ contentType: 'text/plain', name: 'receipt.txt', contentUrl: `data:text/plain;base64,${Buffer.from('receipt 42').toString('base64')}` }]);
    expect(await (await fetch(agentFiles(reply)[0]!.contentUrl!)).text()).toBe('receipt 42');
  });

  it('should still deliver a file whose first send failed after the handoff had ended', async () => {
    const { user, gatewayId } = await connectedUser(h, 'file-then-leave');
    await h.handoff.whenIdle();
    const { id } = await h.gateway.uploadAttachment(gatewayId, { data: Buffer.from('bye'), filename: 'bye.txt', contentType: 'text/plain', authorType: 'bot' });
    // The message's first send fails, so it is still in the outbox when the agent's left (right
    // behind it) ends the handoff; it goes out in a later drain, after the record forgot the 8x8 conversation.
    h.adapter.failures.push(connectorError(503));
    const at = Date.now();
    const message = h.emulator.deliverEvent({ eventType: 'MESSAGE', conversationId: gatewayId, timestamp: at, data: { isEcho: false, sender: { id: 'agent-1', type: 'agent' }, text: 'last file', attachments: [{ id }] } });
    const left = h.emulator.deliverEvent({ eventType: 'MEMBERS_CHANGED', conversationId: gatewayId, timestamp: at + 1, data: { memberType: 'agent', change: 'left', id: 'agent-1' } });
    await h.emulator.waitForDelivery((d) => d.eventId === left.eventId && d.status === 'delivered');
    expect(message.eventId).toBeDefined();
    await h.handoff.whenIdle();
    await user.say('hello again');
    const reply = await user.waitForText('last file');
    await user.waitForText(DEFAULT_MESSAGES.agentLeft);
    expect(h.errors.some((e) => e.where === 'relay')).toBe(true);
    expect(agentFiles(reply)).toEqual([{ contentType: 'text/plain', name: 'bye.txt', contentUrl: `data:text/plain;base64,${Buffer.from('bye').toString('base64')}` }]);
  });

  it('should name a larger id-only file in text, with its size, rather than drop it', async () => {
    const { user, gatewayId } = await connectedUser(h, 'id-only-large');
    await h.emulator.agent('agent-1').say('the manual', { conversationId: gatewayId, attachments: [{ filename: 'manual.pdf', contentType: 'application/pdf', data: Buffer.alloc(2048, 1) }] });
    const reply = await user.waitFor((a) => a.text?.startsWith('the manual') ?? false, 'the agent message');
    expect(reply.text).toBe('the manual\n[Attachment: manual.pdf (2 KB, too large to show here)]');
    expect(agentFiles(reply)).toEqual([]);
  });
});

describe('agent files without fileLinks, standard form', () => {
  let h: Harness;

  beforeAll(async () => {
    h = await startHarness({ middleware: { triggers: [triggers.keywords(['agent'])], inlineFileMaxBytes: 64 } });
  });
  afterAll(async () => {
    await h.close();
  });

  it('should link a file over the inline limit to 8x8\'s pre-signed URL, and keep several files in 8x8\'s order', async () => {
    const { user, gatewayId } = await connectedUser(h, 'presigned');
    await h.emulator.agent('agent-1').say('two files', {
      conversationId: gatewayId,
      attachments: [{ filename: 'big.bin', contentType: 'application/octet-stream', data: Buffer.alloc(500, 7) }, { filename: 'small.txt', contentType: 'text/plain', data: Buffer.from('tiny') }],
    });
    const reply = await user.waitForText('two files');
    const [big, small] = agentFiles(reply);
    expect(big).toMatchObject({ name: 'big.bin', contentUrl: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+\/files\//) });
    expect(Buffer.from(await (await fetch(big!.contentUrl!)).arrayBuffer())).toEqual(Buffer.alloc(500, 7));
    expect(small).toMatchObject({ name: 'small.txt', contentUrl: `data:text/plain;base64,${Buffer.from('tiny').toString('base64')}` });
  });
});

describe('agent files with fileLinks: the bot serves them through handoff.files()', () => {
  let h: Harness;
  let files: http.Server;
  let baseUrl: string;
  let route: express.RequestHandler = (_req, res) => void res.status(503).end();

  beforeAll(async () => {
    const app = express();
    app.get('/api/8x8/files/*path', (req, res, next) => route(req, res, next));
    files = http.createServer(app);
    await new Promise<void>((resolve) => files.listen(0, '127.0.0.1', () => resolve()));
    baseUrl = `http://127.0.0.1:${(files.address() as AddressInfo).port}/api/8x8/files`;
    // 8x8's own links last 1 ms here: whatever still works later is served by the bot.
    h = await startHarness({
      middleware: { triggers: [triggers.keywords(['agent'])], fileLinks: { baseUrl, secret: SECRET } },
      emulator: { fileLinkTtlMs: 1 },
    });
    route = h.handoff.files() as unknown as express.RequestHandler;
  });
  afterAll(async () => {
    await h.close();
    files.closeAllConnections();
    await new Promise<void>((resolve) => files.close(() => resolve()));
  });

  async function agentSends(conversation: string, name: string, contentType: string, data: Buffer): Promise<{ link: string; preSignedUrl: string; gatewayId: string }> {
    const { user, gatewayId } = await connectedUser(h, conversation);
    await h.emulator.agent('agent-1').say(`here: ${name}`, { conversationId: gatewayId, attachments: [{ filename: name, contentType, data }] });
    const reply = await user.waitForText(`here: ${name}`);
    const delivered = await h.emulator.waitForDelivery((d) => d.conversationId === gatewayId && d.eventType === 'MESSAGE' && !(d.event.data as { isEcho?: boolean }).isEcho);
    const [file] = agentFiles(reply);
    expect(file).toMatchObject({ name, contentType });
    return { link: file!.contentUrl!, preSignedUrl: (delivered.event.data as { attachments: Array<{ preSignedUrl: string }> }).attachments[0]!.preSignedUrl, gatewayId };
  }

  it('should give a link to the bot\'s route that still downloads after 8x8\'s pre-signed URL expired', async () => {
    const { link, preSignedUrl } = await agentSends('links', 'photo.png', 'image/png', Buffer.from([137, 80, 78, 71, 1, 2, 3]));
    expect(link.startsWith(`${baseUrl}/`)).toBe(true);
    // Neither 8x8's key nor its pre-signed token is in the link.
    expect(link).not.toContain('emulator-api-key');
    expect(link).not.toContain(new URL(preSignedUrl).searchParams.get('signature')!);
    await eventually(async () => (await fetch(preSignedUrl)).status >= 400, '8x8\'s link to expire');
    const res = await fetch(link);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('image/png');
    expect(res.headers.get('content-disposition')).toMatch(/^inline; filename="photo.png"/);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(Buffer.from(await res.arrayBuffer())).toEqual(Buffer.from([137, 80, 78, 71, 1, 2, 3]));
    expect((await fetch(link, { method: 'HEAD' })).status).toBe(200);
  });

  it('should refuse a link whose signature, attachment or conversation was changed (403), and say 404 for a file 8x8 does not have', async () => {
    const { link, gatewayId } = await agentSends('tampered', 'a.txt', 'text/plain', Buffer.from('a'));
    const url = new URL(link);
    const badSig = new URL(link);
    badSig.searchParams.set('sig', `${url.searchParams.get('sig')!.slice(0, -2)}AA`);
    expect((await fetch(badSig)).status).toBe(403);
    const otherFile = new URL(link.replace(`/${encodeURIComponent(gatewayId)}/`, '/other-conversation/'));
    expect((await fetch(otherFile)).status).toBe(403);
    const unsigned = new URL(link);
    unsigned.search = '';
    expect((await fetch(unsigned)).status).toBe(403);
    // A link signed with the right secret for a file 8x8 does not have.
    const missing = new FileLinkSigner({ baseUrl, secret: SECRET }).url({ conversationId: gatewayId, attachmentId: 'no-such-file', fileName: 'x.txt' });
    expect((await fetch(missing)).status).toBe(404);
    // Renaming the file in the URL is harmless (the name is not what is authorised), the bytes are 8x8's.
    const renamed = link.replace('/a.txt?', '/renamed.txt?');
    expect(await (await fetch(renamed)).text()).toBe('a');
  });

  it('should serve an agent\'s HTML file as a download, sandboxed, never as a page of the bot\'s site', async () => {
    const { link } = await agentSends('html', 'page.html', 'text/html', Buffer.from('<script>alert(1)</script>'));
    const res = await fetch(link);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-disposition')).toMatch(/^attachment;/);
    expect(res.headers.get('content-security-policy')).toBe("default-src 'none'; sandbox");
  });

  it('should link id-only files too (the route downloads by id)', async () => {
    h.emulator.fidelity = 'id-only-files';
    try {
      const { user, gatewayId } = await connectedUser(h, 'links-id-only');
      await h.emulator.agent('agent-1').say('by id', { conversationId: gatewayId, attachments: [{ filename: 'notes.txt', contentType: 'text/plain', data: Buffer.from('by id') }] });
      const [file] = agentFiles(await user.waitForText('by id'));
      expect(file).toMatchObject({ name: 'notes.txt', contentUrl: expect.stringContaining(`${baseUrl}/`) });
      expect(await (await fetch(file!.contentUrl!)).text()).toBe('by id');
    } finally {
      h.emulator.fidelity = 'standard';
    }
  });
});
