/**
 * Logging. The package logs through a tiny {@link Logger} port so bot authors can pass their own
 * (pino, bunyan, console wrappers). The default is pino, with redaction of anything secret.
 */
import pino from 'pino';

/** The logging port: a pino-compatible subset. `obj` carries structured context. */
export interface Logger {
  debug(obj: object, msg?: string): void;
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

/**
 * Paths pino blanks out. API keys, signatures, bearer tokens and message text never reach a log
 * line at any level (RELIABILITY.md S8).
 */
export const REDACTED_PATHS = [
  'apiKey',
  '*.apiKey',
  'headers["x-api-key"]',
  '*.headers["x-api-key"]',
  'headers["x-8x8-signature"]',
  '*.headers["x-8x8-signature"]',
  'headers.authorization',
  '*.headers.authorization',
  'text',
  '*.text',
];

/** Creates the default logger: pino at `LOG_LEVEL` (default `info`), secrets redacted. */
export function createDefaultLogger(name = 'botbuilder-8x8-handoff'): Logger {
  return pino({ name, level: process.env.LOG_LEVEL ?? 'info', redact: { paths: REDACTED_PATHS, censor: '[redacted]' } });
}

/** A logger that drops everything; for tests that assert on behaviour, not logs. */
export const silentLogger: Logger = { debug() {}, info() {}, warn() {}, error() {} };
