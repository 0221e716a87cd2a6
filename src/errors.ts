/**
 * The root of this package's error family. Every error it throws has a stable `code` that
 * callers can switch on; messages are for people and may change.
 */
export class HandoffError extends Error {
  /** A stable, machine-readable code, e.g. `E_CONFIG`, `E_8X8_API`, `E_8X8_NETWORK`. */
  readonly code: string;

  constructor(code: string, message: string, options?: { cause?: unknown }) {
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
