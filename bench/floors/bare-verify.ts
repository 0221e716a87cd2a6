/**
 * Floor: RS256 itself. One `crypto.verify` (PKCS#1 v1.5, SHA-256, 2048-bit key) of a signed
 * payload the size of 8x8's, on a ready `KeyObject`: no header parsing, no CRC32, no key lookup.
 */
import { createPublicKey, generateKeyPairSync, sign, verify, type KeyObject } from 'node:crypto';

/** A signed payload and its key, made once outside the timed loop. */
export interface BareVerifyInput {
  data: Buffer;
  key: KeyObject;
  signature: Buffer;
}

/** Signs an 8x8-sized signed payload with a fresh 2048-bit RSA key. */
export function bareVerifyInput(): BareVerifyInput {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const data = Buffer.from('{"checksum":2162610605,"cid":"vccBenchTenant","eid":"e-1","retry":0,"tid":"vccBenchTenant","tt":1713100000000}');
  return { data, key: createPublicKey(publicKey.export({ format: 'pem', type: 'spki' })), signature: sign('sha256', data, privateKey) };
}

/** The floor operation: true when the signature matches. */
export function bareVerify({ data, key, signature }: BareVerifyInput): boolean {
  return verify('sha256', data, key, signature);
}
