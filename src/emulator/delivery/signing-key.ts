/**
 * The emulator's own RSA signing key. 8x8 signs webhooks with a private key and publishes the
 * public half as a JWK by `kid`; the emulator does the same with a key made at start-up.
 */
import { exportJWK, generateKeyPair, type JWK, type KeyLike } from 'jose';

/** A private key for signing and its public JWK (with `kid`, `alg` and `use`). */
export interface SigningKey {
  kid: string;
  privateKey: KeyLike;
  publicJwk: JWK & { kid: string };
}

/** Generates an RS256 key pair named `kid`. */
export async function createSigningKey(kid: string): Promise<SigningKey> {
  const { privateKey, publicKey } = await generateKeyPair('RS256', { modulusLength: 2048 });
  const jwk = await exportJWK(publicKey);
  return { kid, privateKey, publicJwk: { ...jwk, kid, alg: 'RS256', use: 'sig' } };
}
