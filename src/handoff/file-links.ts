/**
 * Links to agent files that the bot serves itself (`fileLinks` + `handoff.files()`).
 *
 * 8x8's `preSignedUrl` stops working after a while (the emulator's after an hour), and the older
 * form of a MESSAGE has no URL at all, only the attachment id. A link of ours names the 8x8
 * conversation and attachment, and carries an HMAC over them made with a secret only the bot
 * knows. When it is opened, the bot downloads the file from 8x8 by id at that moment, so the link
 * works as long as 8x8 keeps the file, and no 8x8 credential or pre-signed token is ever in a URL.
 * Pure apart from the HMAC.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { ConfigurationError } from '../errors';

/** The `fileLinks` option of `HandoffMiddleware`. */
export interface FileLinksOptions {
  /**
   * The public URL where `handoff.files()` is mounted, as the user's channel reaches it, e.g.
   * `https://bot.example.com/api/8x8/files` for `app.get('/api/8x8/files/*path', handoff.files())`.
   */
  baseUrl: string;
  /**
   * Signs the links: at least 32 characters, kept out of source control (e.g. `openssl rand
   * -base64 32` in an environment variable). Every instance of the bot needs the same one;
   * changing it breaks the links already sent.
   */
  secret: string;
  /**
   * How long a link works, in seconds. Default: no limit (as long as 8x8 keeps the file). Set it
   * when anyone who ever saw a link must lose access after a while.
   */
  ttlSeconds?: number;
}

/** What a link names. */
export interface FileLinkTarget {
  /** The 8x8 conversation the file belongs to. */
  conversationId: string;
  /** The 8x8 attachment id. */
  attachmentId: string;
  /** The file name shown in the URL's last segment (not signed: it only names the download). */
  fileName: string;
}

/** Why a link was refused. */
export type FileLinkCheck = { ok: true; target: FileLinkTarget } | { ok: false; status: 403 | 404 | 410; reason: string };

const MIN_SECRET_LENGTH = 32;

/** Signs and checks file links. Throws a `ConfigurationError` for bad options. */
export class FileLinkSigner {
  private readonly baseUrl: string;
  private readonly secret: string;
  private readonly ttlMs?: number;

  constructor(options: FileLinksOptions, private readonly clock: () => number = Date.now) {
    if (!options || typeof options !== 'object') throw new ConfigurationError('fileLinks', 'must be { baseUrl, secret }', 'Pass fileLinks: { baseUrl: "https://bot.example.com/api/8x8/files", secret: process.env.FILE_LINKS_SECRET }, or leave it out.');
    let url: URL;
    try {
      url = new URL(options.baseUrl);
    } catch {
      throw new ConfigurationError('fileLinks.baseUrl', `is not an absolute URL: ${String(options.baseUrl)}`, 'Pass the public http(s) URL where handoff.files() is mounted, e.g. https://bot.example.com/api/8x8/files.');
    }
    if (!['http:', 'https:'].includes(url.protocol) || url.search || url.hash) {
      throw new ConfigurationError('fileLinks.baseUrl', `must be an http(s) URL without query or fragment, got ${options.baseUrl}`, 'Pass e.g. https://bot.example.com/api/8x8/files.');
    }
    if (typeof options.secret !== 'string' || options.secret.length < MIN_SECRET_LENGTH) {
      throw new ConfigurationError('fileLinks.secret', `must be a string of at least ${MIN_SECRET_LENGTH} characters`, 'Generate one with `openssl rand -base64 32` and pass it from the environment (the same on every bot instance).');
    }
    const ttl = options.ttlSeconds;
    if (ttl !== undefined && (!Number.isFinite(ttl) || ttl <= 0)) {
      throw new ConfigurationError('fileLinks.ttlSeconds', `must be a positive number of seconds, got ${String(ttl)}`, 'Pass e.g. 2592000 (30 days), or leave it out for links that work as long as 8x8 keeps the file.');
    }
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.secret = options.secret;
    this.ttlMs = ttl === undefined ? undefined : ttl * 1000;
  }

  /** The link to one file: `<baseUrl>/<conversation>/<attachment>/<name>?sig=...[&exp=...]`. */
  url(target: FileLinkTarget): string {
    const exp = this.ttlMs === undefined ? undefined : this.clock() + this.ttlMs;
    const path = [target.conversationId, target.attachmentId, target.fileName || 'file'].map(encodeURIComponent).join('/');
    const query = new URLSearchParams({ sig: this.mac(target.conversationId, target.attachmentId, exp) });
    if (exp !== undefined) query.set('exp', String(exp));
    return `${this.baseUrl}/${path}?${query.toString()}`;
  }

  /**
   * Checks a request path (the last three segments are conversation, attachment and name, so any
   * mount point works) and its query. 404 for a path that is no link, 403 for a wrong signature,
   * 410 for an expired one.
   */
  check(pathname: string, query: URLSearchParams): FileLinkCheck {
    const segments = pathname.split('/').filter((s) => s !== '');
    if (segments.length < 3) return { ok: false, status: 404, reason: 'not a file link' };
    let conversationId: string, attachmentId: string, fileName: string;
    try {
      [conversationId, attachmentId, fileName] = segments.slice(-3).map(decodeURIComponent) as [string, string, string];
    } catch {
      return { ok: false, status: 404, reason: 'malformed file link' };
    }
    const sig = query.get('sig');
    const expText = query.get('exp');
    const exp = expText === null ? undefined : Number(expText);
    if (!sig || (exp !== undefined && !Number.isSafeInteger(exp))) return { ok: false, status: 403, reason: 'unsigned file link' };
    const expected = Buffer.from(this.mac(conversationId, attachmentId, exp));
    const given = Buffer.from(sig);
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) return { ok: false, status: 403, reason: 'bad signature' };
    if (exp !== undefined && exp < this.clock()) return { ok: false, status: 410, reason: 'expired link' };
    return { ok: true, target: { conversationId, attachmentId, fileName } };
  }

  private mac(conversationId: string, attachmentId: string, exp: number | undefined): string {
    // Length-prefixed fields: no two different (conversation, attachment, expiry) sign the same bytes.
    const fields = [conversationId, attachmentId, exp === undefined ? '' : String(exp)].map((f) => `${f.length}:${f}`).join('|');
    return createHmac('sha256', this.secret).update(`8x8-file-link|${fields}`).digest('base64url');
  }
}
