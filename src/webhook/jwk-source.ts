/**
 * Where the verifier gets 8x8's public keys. 8x8 signs webhooks with a private RSA key and
 * publishes the public half as a JWK at `/chat-gateway/v1/jwk/{kid}/public` (REFERENCE.md 3.3).
 */
import { importJWK, type JWK, type KeyLike } from 'jose';
import { HandoffError } from '../errors';

/** A source of verification keys by `kid`. */
export interface JwkSource {
  /**
   * Resolves the RS256 public key for `kid`, or `undefined` when the key does not exist.
   * Rejects with {@link JwkUnavailableError} when it could not be found out (network, 5xx).
   */
  getKey(kid: string): Promise<KeyLike | undefined>;
}

/** The key endpoint could not be reached or answered with an error: retry later, not "forged". */
export class JwkUnavailableError extends HandoffError {
  constructor(kid: string, problem: string, options?: { cause?: unknown }) {
    super('E_8X8_JWK', `Could not fetch the 8x8 webhook key ${JSON.stringify(kid)}: ${problem}`, options);
  }
}

/**
 * Key ids 8x8 uses are short base64url strings (e.g. `EXaiWfZe20eSjklZ70074w`). Anything else
 * is refused before it reaches a URL: no `/`, no `..` segments, no unbounded length.
 */
export function isPlausibleKid(kid: string): boolean {
  return /^[A-Za-z0-9_-][A-Za-z0-9._~-]{0,199}$/.test(kid);
}

/** Imports an RSA public JWK for RS256; rejects other key types so an `oct` key can never be used. */
export async function importRsaPublicJwk(jwk: unknown): Promise<KeyLike> {
  if (typeof jwk !== 'object' || jwk === null || (jwk as JWK).kty !== 'RSA' || 'd' in jwk) {
    throw new Error('not an RSA public JWK');
  }
  const key = await importJWK(jwk as JWK, 'RS256');
  if (key instanceof Uint8Array) throw new Error('not an asymmetric key');
  return key;
}

/** A fixed set of keys: for tests, the emulator, and deployments that pin 8x8's key. */
export class StaticJwkSource implements JwkSource {
  private readonly keys: Map<string, KeyLike>;

  /** @param keys public keys by kid. */
  constructor(keys: Record<string, KeyLike> | Map<string, KeyLike>) {
    this.keys = keys instanceof Map ? new Map(keys) : new Map(Object.entries(keys));
  }

  /** Builds a source from public JWKs (each must carry its `kid`). */
  static async fromJwks(jwks: readonly JWK[]): Promise<StaticJwkSource> {
    const keys = new Map<string, KeyLike>();
    for (const jwk of jwks) {
      if (!jwk.kid) throw new Error('StaticJwkSource.fromJwks: every JWK needs a kid');
      keys.set(jwk.kid, await importRsaPublicJwk(jwk));
    }
    return new StaticJwkSource(keys);
  }

  /** See {@link JwkSource.getKey}. */
  async getKey(kid: string): Promise<KeyLike | undefined> {
    return this.keys.get(kid);
  }
}
