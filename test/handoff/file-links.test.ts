/**
 * The bot's own file links (`fileLinks`): what the option accepts, and how a link is checked
 * (signature over conversation, attachment and expiry; the time is a stubbed clock).
 */
import { ConfigurationError } from '../../src/errors';
import { FileLinkSigner, HandoffMiddleware, type FileLinksOptions } from '../../src/handoff';
import { ProactiveTestAdapter } from '../support/test-adapter';

const SECRET = 'a-secret-of-at-least-thirty-two-characters';
const BASE = 'https://bot.example.com/api/8x8/files';

function check(signer: FileLinkSigner, link: string) {
  const url = new URL(link);
  return signer.check(url.pathname, url.searchParams);
}

describe('FileLinkSigner', () => {
  it('should accept its own link and read conversation, attachment and name back', () => {
    const signer = new FileLinkSigner({ baseUrl: `${BASE}/`, secret: SECRET });
    const link = signer.url({ conversationId: 'conv/1', attachmentId: 'T6c-pPJY_x', fileName: 'my report.pdf' });
    expect(link).toMatch(/^https:\/\/bot\.example\.com\/api\/8x8\/files\/conv%2F1\/T6c-pPJY_x\/my%20report\.pdf\?sig=[\w-]+$/);
    expect(check(signer, link)).toEqual({ ok: true, target: { conversationId: 'conv/1', attachmentId: 'T6c-pPJY_x', fileName: 'my report.pdf' } });
  });

  it('should refuse a link signed with another secret, or for another attachment (403)', () => {
    const signer = new FileLinkSigner({ baseUrl: BASE, secret: SECRET });
    const other = new FileLinkSigner({ baseUrl: BASE, secret: `${SECRET}-rotated` });
    const link = other.url({ conversationId: 'c', attachmentId: 'a', fileName: 'f' });
    expect(check(signer, link)).toMatchObject({ ok: false, status: 403 });
    const mine = signer.url({ conversationId: 'c', attachmentId: 'a', fileName: 'f' });
    expect(check(signer, mine.replace('/c/a/', '/c/b/'))).toMatchObject({ ok: false, status: 403 });
    // Field boundaries are part of what is signed: ("c1", "a") is not ("c", "1a").
    expect(check(signer, signer.url({ conversationId: 'c1', attachmentId: 'a', fileName: 'f' }).replace('/c1/a/', '/c/1a/'))).toMatchObject({ ok: false, status: 403 });
  });

  it('should make links without ttlSeconds that never expire, and with it links that expire (410) and whose expiry cannot be moved', () => {
    let now = 1_000_000;
    const forever = new FileLinkSigner({ baseUrl: BASE, secret: SECRET }, () => now);
    const limited = new FileLinkSigner({ baseUrl: BASE, secret: SECRET, ttlSeconds: 60 }, () => now);
    const a = forever.url({ conversationId: 'c', attachmentId: 'a', fileName: 'f' });
    const b = limited.url({ conversationId: 'c', attachmentId: 'a', fileName: 'f' });
    expect(new URL(a).searchParams.has('exp')).toBe(false);
    now += 59_000;
    expect(check(limited, b).ok).toBe(true);
    now += 2_000;
    expect(check(limited, b)).toMatchObject({ ok: false, status: 410 });
    const extended = new URL(b);
    extended.searchParams.set('exp', String(now + 60_000));
    expect(check(limited, extended.toString())).toMatchObject({ ok: false, status: 403 });
    now += 10 * 365 * 24 * 3600 * 1000;
    expect(check(forever, a).ok).toBe(true);
  });

  it('should answer 404 for a path that is not a link', () => {
    const signer = new FileLinkSigner({ baseUrl: BASE, secret: SECRET });
    expect(signer.check('/files/x', new URLSearchParams('sig=abc'))).toMatchObject({ ok: false, status: 404 });
  });

  it.each<[string, Partial<FileLinksOptions>, string]>([
    ['a relative baseUrl', { baseUrl: '/api/8x8/files' }, 'fileLinks.baseUrl'],
    ['a baseUrl with a query', { baseUrl: `${BASE}?x=1` }, 'fileLinks.baseUrl'],
    ['a short secret', { secret: 'short' }, 'fileLinks.secret'],
    ['a missing secret', { secret: undefined }, 'fileLinks.secret'],
    ['a zero ttlSeconds', { ttlSeconds: 0 }, 'fileLinks.ttlSeconds'],
  ])('should fail at construction of HandoffMiddleware with %s, naming the option', (_what, change, option) => {
    const options = { baseUrl: BASE, secret: SECRET, ...change } as FileLinksOptions;
    const build = () => new HandoffMiddleware({ gateway: fakeGateway, channelId: 'ch', queueId: 'q', adapter: new ProactiveTestAdapter(async () => undefined), botAppId: '', fileLinks: options });
    expect(build).toThrow(ConfigurationError);
    expect(build).toThrow(expect.objectContaining({ option }));
  });

  it('should refuse handoff.files() without fileLinks, and a negative inlineFileMaxBytes, naming the option', () => {
    const base = { gateway: fakeGateway, channelId: 'ch', queueId: 'q', adapter: new ProactiveTestAdapter(async () => undefined), botAppId: '' };
    expect(() => new HandoffMiddleware(base).files()).toThrow(expect.objectContaining({ option: 'fileLinks' }));
    expect(() => new HandoffMiddleware({ ...base, fileLinks: { baseUrl: BASE, secret: SECRET } }).files()).toThrow(expect.objectContaining({ option: 'gateway' }));
    expect(() => new HandoffMiddleware({ ...base, inlineFileMaxBytes: -1 })).toThrow(expect.objectContaining({ option: 'inlineFileMaxBytes' }));
  });
});

/** Construction only checks the gateway's shape; nothing here calls 8x8. */
const fakeGateway = {
  createConversation: () => Promise.reject(new Error('not called')),
  sendMessage: () => Promise.reject(new Error('not called')),
  uploadAttachment: () => Promise.reject(new Error('not called')),
  sendTyping: () => Promise.reject(new Error('not called')),
  removeUser: () => Promise.reject(new Error('not called')),
};
