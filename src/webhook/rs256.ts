/**
 * The RS256 check of the webhook signature on `node:crypto` (issue 12): the JWS header was already
 * parsed and checked by `parseDetachedJws`, so all that is left is one PKCS#1 v1.5 SHA-256 verify
 * of `protected || '.' || payload` (RFC 7797 unencoded payload). Running jose's `flattenedVerify`
 * here would parse the header again and cost about three times the RSA operation itself.
 *
 * Keys still come from jose's JWK import (the key source); this only turns them into a Node
 * `KeyObject` once per key object and refuses what jose would refuse for RS256 verification.
 */
import { KeyObject, verify as cryptoVerify } from 'node:crypto';
import type { KeyLike } from 'jose';

/** RFC 7518 3.3: RS256 keys are at least 2048 bits (jose refuses smaller ones too). */
const MIN_MODULUS_BITS = 2048;

/** A key turned into a usable RS256 verification key, or why it cannot be one. */
type Prepared = { key: KeyObject } | { problem: string };

/** Per key object (so a rotated key, a new object, is prepared afresh; a dropped one is collected). */
const prepared = new WeakMap<object, Prepared>();

function prepare(key: KeyLike): Prepared {
  let keyObject: KeyObject;
  if (key instanceof KeyObject) keyObject = key;
  else {
    try {
      // A WebCrypto CryptoKey (what jose returns on other runtimes); anything else throws.
      keyObject = KeyObject.from(key as Parameters<typeof KeyObject.from>[0]);
    } catch {
      return { problem: 'key is not a KeyObject or CryptoKey' };
    }
  }
  if (keyObject.type !== 'public') return { problem: `RS256 verification needs a public key, got a ${keyObject.type} key` };
  if (keyObject.asymmetricKeyType !== 'rsa') return { problem: `RS256 needs an RSA key, got ${keyObject.asymmetricKeyType ?? 'unknown'}` };
  const bits = keyObject.asymmetricKeyDetails?.modulusLength ?? 0;
  if (bits < MIN_MODULUS_BITS) return { problem: `RS256 keys must be at least ${MIN_MODULUS_BITS} bits, got ${bits}` };
  return { key: keyObject };
}

/** The verification key for `key`, prepared once and cached for the key object's lifetime. */
function verificationKey(key: KeyLike): Prepared {
  const cached = prepared.get(key);
  if (cached) return cached;
  const made = prepare(key);
  prepared.set(key, made);
  return made;
}

/**
 * Verifies an RS256 detached JWS with an unencoded payload. `protectedHeader` and `signature` are
 * the base64url parts of the compact form (already checked to be base64url), `payload` the exact
 * signed text. Returns an error text when the key is unusable or the signature does not match.
 */
export function verifyRs256Detached(protectedHeader: string, payload: string, signature: string, key: KeyLike): string | undefined {
  const usable = verificationKey(key);
  if ('problem' in usable) return usable.problem;
  const signingInput = Buffer.from(`${protectedHeader}.${payload}`, 'utf8');
  const ok = cryptoVerify('sha256', signingInput, usable.key, Buffer.from(signature, 'base64url'));
  return ok ? undefined : 'signature does not match';
}
