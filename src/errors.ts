/**
 * Every `code` a {@link HandoffError} can carry: stable, so callers can switch on them (the
 * messages are for people and may change).
 *
 * - `E_CONFIG`: bad configuration ({@link ConfigurationError}, `HandoffConfigError`); the message names the option and the fix.
 * - `E_8X8_API`: 8x8 answered with an error status (`ChatGatewayApiError`).
 * - `E_8X8_THROTTLED`: 8x8 throttled the call and retrying was not possible (`ChatGatewayThrottledError`).
 * - `E_8X8_NETWORK`: 8x8 could not be reached, or the call timed out (`ChatGatewayNetworkError`).
 * - `E_8X8_UNAVAILABLE`: the circuit breaker is open, so the call was not tried (`ChatGatewayUnavailableError`).
 * - `E_8X8_JWK`: 8x8's webhook signing keys could not be fetched (`JwkUnavailableError`).
 * - `E_ATTACHMENT_FETCH`, `E_ATTACHMENT_TOO_LARGE`: a user's file could not be read, or is over the limit.
 * - `E_RELAY_DROPPED`: an agent message the Bot Framework connector refused was dropped (`RelayDroppedError`).
 * - `E_HELD_UNANSWERED`: messages typed while the handoff was being created went unanswered (no `bot` option).
 * - `E_REOPEN_EMPTY`: nothing to post to reopen a conversation, so a new one was created.
 * - `E_STORAGE_CONFLICT`: a write lost to a concurrent writer: one stale eTag (`ETagConflictError`), or a
 *   record that kept changing through every compare-and-set attempt (`StorageConflictError`).
 * - `E_STORAGE_ETAG`: the Storage returned an item without an eTag; handoff records need eTags.
 * - `E_STORAGE_ITEM`: a stored item is not a JSON object (`StoredItemError`).
 * - `E_STORAGE_SNAPSHOT`: an internal misuse of a storage snapshot (a bug: please report it).
 * - `E_RECORD_VERSION`: a stored handoff record was written by a newer release (upgrade every instance).
 * - `E_RECORD_FORMAT`: something that is no handoff record is stored under the handoff namespace (give the
 *   middleware its own `namespace`).
 * - `E_INTERNAL`: the handoff core met a state it should never reach (a bug: please report it).
 * - `E_EMULATOR_DEPENDENCIES`, `E_EMULATOR_AGENT`, `E_EMULATOR_CONVERSATION`, `E_EMULATOR_TIMEOUT`: the emulator
 *   (`botbuilder-8x8-handoff/emulator`): a missing peer dependency, an unknown agent or one with no current
 *   conversation, an unknown conversation, a wait that timed out.
 */
export type ErrorCode =
  | 'E_CONFIG'
  | 'E_8X8_API'
  | 'E_8X8_THROTTLED'
  | 'E_8X8_NETWORK'
  | 'E_8X8_UNAVAILABLE'
  | 'E_8X8_JWK'
  | 'E_ATTACHMENT_FETCH'
  | 'E_ATTACHMENT_TOO_LARGE'
  | 'E_RELAY_DROPPED'
  | 'E_HELD_UNANSWERED'
  | 'E_REOPEN_EMPTY'
  | 'E_STORAGE_CONFLICT'
  | 'E_STORAGE_ETAG'
  | 'E_STORAGE_ITEM'
  | 'E_STORAGE_SNAPSHOT'
  | 'E_RECORD_VERSION'
  | 'E_RECORD_FORMAT'
  | 'E_INTERNAL'
  | 'E_EMULATOR_DEPENDENCIES'
  | 'E_EMULATOR_AGENT'
  | 'E_EMULATOR_CONVERSATION'
  | 'E_EMULATOR_TIMEOUT';

/**
 * The root of this package's error family. Every error it throws has a stable `code` that
 * callers can switch on; messages are for people and may change.
 */
export class HandoffError extends Error {
  /** A stable, machine-readable code, e.g. `E_CONFIG`, `E_8X8_API`, `E_8X8_NETWORK` (see {@link ErrorCode}). */
  readonly code: ErrorCode;

  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
  }
}

/**
 * Bad configuration, thrown at construction so a misconfigured bot fails at startup and not on
 * the first escalation. The message names the option and says how to fix it.
 */
export class ConfigurationError extends HandoffError {
  /** The option at fault, as a dotted path (e.g. `gateway.timeoutMs`). */
  readonly option: string;

  constructor(option: string, problem: string, fix: string) {
    super('E_CONFIG', `Invalid option \`${option}\`: ${problem}. ${fix}`);
    this.option = option;
  }
}
