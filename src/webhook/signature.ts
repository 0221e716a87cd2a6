/**
 * The 8x8 webhook signature scheme (REFERENCE.md section 5), the parts shared by the verifier,
 * the emulator and test helpers: the checksum, the signed payload, and signing.
 *
 * 8x8 signs a small JSON document built from five headers and the CRC32 of the raw body, as a
 * detached JWS with an unencoded payload (RFC 7797, `b64: false`), RS256.
 */
import CRC32 from 'crc-32';
import { FlattenedSign, type KeyLike } from 'jose';

/** The six webhook headers 8x8 sends, by their (lower-case) HTTP names. */
export const WEBHOOK_HEADERS = {
  tenantId: 'x-8x8-tenant-id',
  customerId: 'x-8x8-customer-id',
  eventId: 'x-8x8-event-id',
  transmissionTime: 'x-8x8-transmission-time',
  retry: 'x-8x8-retry',
  signature: 'x-8x8-signature',
} as const;

/** The fields of the signed payload, already parsed from the headers. */
export interface SignedFields {
  /** Unsigned CRC32 of the raw body. */
  checksum: number;
  /** `x-8x8-customer-id`. */
  cid: string;
  /** `x-8x8-event-id`. */
  eid: string;
  /** `x-8x8-retry`, 0 on the first attempt. */
  retry: number;
  /** `x-8x8-tenant-id`. */
  tid: string;
  /** `x-8x8-transmission-time`, epoch ms of this attempt. */
  tt: number;
}

/** Unsigned CRC32 (IEEE) of the raw body bytes, as Java's `CRC32` and zlib compute it. */
export function webhookChecksum(rawBody: Uint8Array | string): number {
  const crc = typeof rawBody === 'string' ? CRC32.bstr(Buffer.from(rawBody, 'utf8').toString('binary')) : CRC32.buf(rawBody);
  // crc-32 returns a signed 32-bit integer; 8x8 signs the unsigned value.
  return crc >>> 0;
}

/**
 * The exact bytes 8x8 signs: compact JSON with the keys in lexicographic order.
 * Written by hand so that key order never depends on how the fields object was built.
 */
export function signedPayload(fields: SignedFields): string {
  return (
    `{"checksum":${fields.checksum},"cid":${JSON.stringify(fields.cid)},"eid":${JSON.stringify(fields.eid)},` +
    `"retry":${fields.retry},"tid":${JSON.stringify(fields.tid)},"tt":${fields.tt}}`
  );
}

/** What {@link signWebhook} needs to produce the headers of one delivery attempt. */
export interface SignWebhookInput {
  rawBody: Uint8Array | string;
  tenantId: string;
  customerId: string;
  eventId: string;
  retry: number;
  transmissionTime: number;
  kid: string;
  privateKey: KeyLike | Uint8Array;
}

/**
 * Signs one delivery as 8x8 does and returns the full header set (the six `x-8x8-*` headers).
 * Used by the emulator and by tests that need real signed requests.
 */
export async function signWebhook(input: SignWebhookInput): Promise<Record<string, string>> {
  const payload = signedPayload({
    checksum: webhookChecksum(input.rawBody),
    cid: input.customerId,
    eid: input.eventId,
    retry: input.retry,
    tid: input.tenantId,
    tt: input.transmissionTime,
  });
  const jws = await new FlattenedSign(new TextEncoder().encode(payload))
    .setProtectedHeader({ alg: 'RS256', kid: input.kid, b64: false, crit: ['b64'] })
    .sign(input.privateKey);
  return {
    [WEBHOOK_HEADERS.tenantId]: input.tenantId,
    [WEBHOOK_HEADERS.customerId]: input.customerId,
    [WEBHOOK_HEADERS.eventId]: input.eventId,
    [WEBHOOK_HEADERS.transmissionTime]: String(input.transmissionTime),
    [WEBHOOK_HEADERS.retry]: String(input.retry),
    // Detached compact form: the payload part is left empty.
    [WEBHOOK_HEADERS.signature]: `${jws.protected}..${jws.signature}`,
  };
}
