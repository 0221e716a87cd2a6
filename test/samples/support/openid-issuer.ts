/**
 * A local stand-in for login.botframework.com: an OpenID configuration and a JWKS served on
 * 127.0.0.1, and a signer for channel tokens shaped like the ones Azure Bot Service sends.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT, type JWK, type KeyLike } from 'jose';

/** Claims a channel token carries; every field can be overridden to make a bad token. */
export interface ChannelClaims {
  iss?: string;
  aud?: string;
  serviceurl?: string;
  exp?: number;
  nbf?: number;
  [claim: string]: unknown;
}

/** The running issuer. */
export interface LocalOpenIdIssuer {
  /** The OpenID configuration URL (what `BotOpenIdMetadata` points at). */
  metadataUrl: string;
  /** Signs a token with the published key (or `key`, to sign with one that is not published). */
  sign(claims: ChannelClaims, options?: { key?: KeyLike; kid?: string }): Promise<string>;
  /** A fresh RSA key that is not in the JWKS. */
  strayKey(): Promise<KeyLike>;
  close(): Promise<void>;
}

export const KID = 'local-channel-key';

/** Starts the issuer on 127.0.0.1:0; its key is endorsed for `endorsements` (channel ids). */
export async function startOpenIdIssuer(endorsements: string[]): Promise<LocalOpenIdIssuer> {
  const { privateKey, publicKey } = await generateKeyPair('RS256');
  const jwk: JWK & { endorsements: string[] } = { ...(await exportJWK(publicKey)), kid: KID, kty: 'RSA', use: 'sig', endorsements };
  let base = '';
  const server = http.createServer((req, res) => {
    const body = req.url === '/v1/.well-known/openidconfiguration'
      ? { issuer: 'https://api.botframework.com', jwks_uri: `${base}/v1/keys`, id_token_signing_alg_values_supported: ['RS256'] }
      : req.url === '/v1/keys' ? { keys: [jwk] } : undefined;
    res.writeHead(body ? 200 : 404, { 'content-type': 'application/json' }).end(JSON.stringify(body ?? {}));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    metadataUrl: `${base}/v1/.well-known/openidconfiguration`,
    sign: async (claims, options = {}) => {
      const now = Math.floor(Date.now() / 1000);
      const { exp = now + 3600, nbf = now - 60, ...rest } = claims;
      return new SignJWT({ ...rest, exp, nbf })
        .setProtectedHeader({ alg: 'RS256', typ: 'JWT', kid: options.kid ?? KID })
        .setIssuedAt(now - 60)
        .sign(options.key ?? privateKey);
    },
    strayKey: async () => (await generateKeyPair('RS256')).privateKey,
    close: () => new Promise((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

/** A token with `alg: none` and no signature, claims as given. */
export function unsignedToken(claims: ChannelClaims): string {
  const part = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
  return `${part({ alg: 'none', typ: 'JWT', kid: KID })}.${part(claims)}.`;
}
