import { createPrivateKey, createPublicKey, generateKeyPairSync, sign, webcrypto } from 'node:crypto';
import { verifyRs256Detached } from '../../src/webhook/rs256';

const b64url = (value: string | Buffer): string => Buffer.from(value).toString('base64url');
const HEADER = b64url(JSON.stringify({ alg: 'RS256', kid: 'k', b64: false, crit: ['b64'] }));
const PAYLOAD = '{"checksum":1,"cid":"c","eid":"e","retry":0,"tid":"t","tt":1}';

const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
const signature = b64url(sign('sha256', Buffer.from(`${HEADER}.${PAYLOAD}`), rsa.privateKey));

describe('verifyRs256Detached()', () => {
  it('should accept a signature over header.payload with the matching public KeyObject', () => {
    expect(verifyRs256Detached(HEADER, PAYLOAD, signature, rsa.publicKey)).toBeUndefined();
  });

  it('should give the same answer on every call with one key (the prepared key is cached, not mutated)', () => {
    for (let i = 0; i < 3; i++) expect(verifyRs256Detached(HEADER, PAYLOAD, signature, rsa.publicKey)).toBeUndefined();
    expect(verifyRs256Detached(HEADER, `${PAYLOAD} `, signature, rsa.publicKey)).toBe('signature does not match');
  });

  it('should reject the signature over a different payload or header', () => {
    expect(verifyRs256Detached(HEADER, PAYLOAD.replace('"retry":0', '"retry":1'), signature, rsa.publicKey)).toBe('signature does not match');
    expect(verifyRs256Detached(b64url('{"alg":"RS256"}'), PAYLOAD, signature, rsa.publicKey)).toBe('signature does not match');
  });

  it('should reject a signature made with another key', () => {
    const other = generateKeyPairSync('rsa', { modulusLength: 2048 });
    expect(verifyRs256Detached(HEADER, PAYLOAD, signature, other.publicKey)).toBe('signature does not match');
  });

  it('should accept a WebCrypto CryptoKey (what jose returns on other runtimes)', async () => {
    const spki = rsa.publicKey.export({ format: 'der', type: 'spki' });
    const cryptoKey = await webcrypto.subtle.importKey('spki', spki, { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' }, true, ['verify']);
    expect(verifyRs256Detached(HEADER, PAYLOAD, signature, cryptoKey)).toBeUndefined();
  });

  it('should refuse a private key, as jose does for verification', () => {
    const privateKey = createPrivateKey(rsa.privateKey.export({ format: 'pem', type: 'pkcs8' }));
    expect(verifyRs256Detached(HEADER, PAYLOAD, signature, privateKey)).toMatch(/needs a public key, got a private key/);
  });

  it('should refuse an RSA key under 2048 bits', () => {
    const small = generateKeyPairSync('rsa', { modulusLength: 1024 });
    const smallSig = b64url(sign('sha256', Buffer.from(`${HEADER}.${PAYLOAD}`), small.privateKey));
    expect(verifyRs256Detached(HEADER, PAYLOAD, smallSig, small.publicKey)).toMatch(/at least 2048 bits, got 1024/);
  });

  it('should refuse a non-RSA key', () => {
    const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    expect(verifyRs256Detached(HEADER, PAYLOAD, signature, createPublicKey(ec.publicKey.export({ format: 'pem', type: 'spki' })))).toMatch(/needs an RSA key, got ec/);
  });

  it('should refuse a secret key', () => {
    expect(verifyRs256Detached(HEADER, PAYLOAD, signature, new Uint8Array(32) as never)).toMatch(/not a KeyObject or CryptoKey/);
  });
});
