/**
 * Time-limited download links for attachments, like the `preSignedUrl` 8x8 puts in MESSAGE events:
 * anyone holding the link can download without an api key until it expires.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/** Signs and checks `/files/:attachmentId?expires=...&signature=...` links. */
export class FileLinks {
  private readonly secret = randomBytes(32);

  constructor(
    private readonly baseUrl: () => string,
    private readonly now: () => number,
    private readonly ttlMs = 60 * 60 * 1000,
  ) {}

  /** A link to the attachment's bytes, valid for the TTL (default one hour). */
  sign(attachmentId: string): string {
    const expires = this.now() + this.ttlMs;
    return `${this.baseUrl()}/files/${encodeURIComponent(attachmentId)}?expires=${expires}&signature=${this.mac(attachmentId, expires)}`;
  }

  /** True when the signature matches and the link has not expired. */
  verify(attachmentId: string, expires: unknown, signature: unknown): boolean {
    const exp = Number(expires);
    if (!Number.isFinite(exp) || typeof signature !== 'string' || exp < this.now()) return false;
    const expected = Buffer.from(this.mac(attachmentId, exp));
    const given = Buffer.from(signature);
    return expected.length === given.length && timingSafeEqual(expected, given);
  }

  private mac(attachmentId: string, expires: number): string {
    return createHmac('sha256', this.secret).update(`${attachmentId}.${expires}`).digest('base64url');
  }
}
