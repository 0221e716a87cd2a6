/**
 * The 8x8 webhook signature check (REFERENCE.md section 5) as a pure function: the clock and the
 * key source come in as arguments, the result says why a request failed, and it never throws.
 */
import type { KeyLike } from 'jose';
import { readSignatureHeader, readWebhookMeta, type WebhookHeaders, type WebhookMeta } from './headers';
import { JwkUnavailableError, type JwkSource } from './jwk-source';
import { verifyRs256Detached } from './rs256';
import { signedPayload, webhookChecksum } from './signature';

/** Why a delivery failed verification. Stable strings: they appear in responses and logs. */
export type VerifyFailureReason =
  | 'missing_header'
  | 'malformed_header'
  | 'malformed_signature'
  | 'unsupported_alg'
  | 'unsupported_jws_header'
  | 'stale'
  | 'unknown_kid'
  | 'key_unavailable'
  | 'bad_signature';

/** What {@link verifyWebhookSignature} checks. `rawBody` is the exact bytes received. */
export interface VerifyInput {
  headers: WebhookHeaders;
  rawBody: Uint8Array;
}

/** Dependencies of {@link verifyWebhookSignature}. */
export interface VerifyDeps {
  keySource: JwkSource;
  /** Epoch-ms clock. Default `Date.now`. */
  clock?: () => number;
  /** Allowed distance between `x-8x8-transmission-time` and the clock. Default 300 000 (±5 min). */
  toleranceMs?: number;
}

/** Result of {@link verifyWebhookSignature}. */
export type VerifyResult =
  | { ok: true; meta: WebhookMeta; kid: string }
  | { ok: false; reason: VerifyFailureReason; detail: string };

type JwsParts = { protected: string; signature: string; kid: string };

const BASE64URL = /^[A-Za-z0-9_-]+$/;

function fail(reason: VerifyFailureReason, detail: string): VerifyResult {
  return { ok: false, reason, detail };
}

/**
 * Splits the detached compact JWS and checks its protected header: RS256 only, and exactly the
 * unencoded-payload form 8x8 uses (`b64: false` with `crit: ["b64"]`). Anything else is refused
 * before a key is fetched, so `alg: none` or HS256 never reaches a verifier.
 */
export function parseDetachedJws(signature: string): JwsParts | { reason: VerifyFailureReason; detail: string } {
  const parts = signature.split('.');
  if (parts.length !== 3 || parts[1] !== '') return { reason: 'malformed_signature', detail: 'not a detached compact JWS' };
  const [protectedPart, , signaturePart] = parts as [string, string, string];
  const header = checkedHeader(protectedPart);
  if ('reason' in header) return header;
  // Checked after alg so that `alg: none` (empty signature) is reported as what it is.
  if (!BASE64URL.test(signaturePart)) return { reason: 'malformed_signature', detail: 'signature not base64url' };
  return { protected: protectedPart, signature: signaturePart, kid: header.kid };
}

/** Protected headers seen lately and what checking them gave; bounded, so forged headers cannot grow it. */
const checkedHeaders = new Map<string, { kid: string } | { reason: VerifyFailureReason; detail: string }>();
const CHECKED_HEADERS_LIMIT = 64;

/**
 * The checked protected header. 8x8 signs every delivery with the same header per key, so the
 * answer for a header string is remembered: the JSON is parsed once per key, not once per event.
 */
function checkedHeader(protectedPart: string): { kid: string } | { reason: VerifyFailureReason; detail: string } {
  const known = checkedHeaders.get(protectedPart);
  if (known) return known;
  const checked = checkHeader(protectedPart);
  if (checkedHeaders.size >= CHECKED_HEADERS_LIMIT) checkedHeaders.clear();
  checkedHeaders.set(protectedPart, checked);
  return checked;
}

function checkHeader(protectedPart: string): { kid: string } | { reason: VerifyFailureReason; detail: string } {
  if (!BASE64URL.test(protectedPart)) return { reason: 'malformed_signature', detail: 'header not base64url' };
  let header: Record<string, unknown>;
  try {
    header = JSON.parse(Buffer.from(protectedPart, 'base64url').toString('utf8')) as Record<string, unknown>;
  } catch {
    return { reason: 'malformed_signature', detail: 'protected header is not JSON' };
  }
  if (typeof header !== 'object' || header === null || Array.isArray(header)) {
    return { reason: 'malformed_signature', detail: 'protected header is not an object' };
  }
  if (header.alg !== 'RS256') return { reason: 'unsupported_alg', detail: `alg ${JSON.stringify(header.alg)}` };
  const crit = header.crit;
  if (header.b64 !== false || !Array.isArray(crit) || crit.length !== 1 || crit[0] !== 'b64') {
    return { reason: 'unsupported_jws_header', detail: 'expected b64: false with crit: ["b64"]' };
  }
  if (typeof header.kid !== 'string' || header.kid.length === 0) return { reason: 'malformed_signature', detail: 'no kid' };
  return { kid: header.kid };
}

async function resolveKey(keySource: JwkSource, kid: string): Promise<KeyLike | VerifyResult> {
  try {
    const key = await keySource.getKey(kid);
    return key ?? fail('unknown_kid', `no key ${JSON.stringify(kid)}`);
  } catch (error) {
    const detail = error instanceof JwkUnavailableError ? error.message : 'key source failed';
    return fail('key_unavailable', detail);
  }
}

/**
 * Verifies one 8x8 webhook delivery: reads the six headers, checks freshness of
 * `x-8x8-transmission-time`, rebuilds the signed payload from the headers and the CRC32 of the
 * raw body (never a re-serialised body), and verifies the RS256 detached JWS with `node:crypto`
 * on a key prepared once per key object. Never throws.
 */
export async function verifyWebhookSignature(input: VerifyInput, deps: VerifyDeps): Promise<VerifyResult> {
  try {
    const signature = readSignatureHeader(input.headers);
    if (signature === undefined) return fail('missing_header', 'x-8x8-signature');
    if (signature === null) return fail('malformed_header', 'x-8x8-signature');
    const read = readWebhookMeta(input.headers);
    if (!read.ok) return fail(read.reason, read.header);
    const { meta } = read;
    const now = (deps.clock ?? Date.now)();
    const toleranceMs = deps.toleranceMs ?? 300_000;
    if (Math.abs(now - meta.transmissionTime) > toleranceMs) {
      return fail('stale', `transmission time is ${Math.round((now - meta.transmissionTime) / 1000)} s from now`);
    }
    const jws = parseDetachedJws(signature);
    if ('reason' in jws) return fail(jws.reason, jws.detail);
    const key = await resolveKey(deps.keySource, jws.kid);
    if ('ok' in key) return key;
    const payload = signedPayload({
      checksum: webhookChecksum(input.rawBody),
      cid: meta.customerId,
      eid: meta.eventId,
      retry: meta.retry,
      tid: meta.tenantId,
      tt: meta.transmissionTime,
    });
    // The header is parsed and checked once, above; this is the RSA operation alone (rs256.ts).
    const problem = verifyRs256Detached(jws.protected, payload, jws.signature, key);
    if (problem) return fail('bad_signature', problem);
    return { ok: true, meta, kid: jws.kid };
  } catch (error) {
    // Only reachable through a buggy key source or clock; still a refusal, never a crash.
    return fail('bad_signature', error instanceof Error ? error.message : 'verification failed');
  }
}
