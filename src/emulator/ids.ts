/**
 * Id generation in 8x8's styles (22-char base64url for conversations and events, long base64url
 * for attachments), from an injectable random source so tests can make ids reproducible.
 */
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/** Makes ids from a random source in [0, 1). */
export class IdFactory {
  constructor(private readonly random: () => number) {}

  /** A base64url string of `length` characters. */
  next(length = 22): string {
    let id = '';
    for (let i = 0; i < length; i++) id += ALPHABET[Math.floor(this.random() * ALPHABET.length) % ALPHABET.length];
    return id;
  }
}
